import multiprocessing as mp

def child(conn):
    conn.send(["hello", 42, None])
    print("child got", conn.recv(), flush=True)
    conn.close()

if __name__ == '__main__':
    parent, c = mp.Pipe()
    p = mp.Process(target=child, args=(c,))
    p.start()
    print(parent.recv(), flush=True)
    parent.send({"reply": True})
    p.join()
