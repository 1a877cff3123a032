import multiprocessing as mp

def child(c):
    c.send("only one")

if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,))
    p.start()
    b.close()
    p.join()
    print(a.recv())
    try:
        a.recv()
    except EOFError:
        print("EOFError: the child is gone")
