import multiprocessing as mp

def child(c):
    data = c.recv_bytes()
    c.send_bytes(data.upper())
    c.send_bytes(b"0123456789", 2, 3)

if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,))
    p.start()
    a.send_bytes(b"shout")
    print(a.recv_bytes())
    print(a.recv_bytes())
    p.join()
