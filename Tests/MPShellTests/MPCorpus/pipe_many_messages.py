import multiprocessing as mp

def echo(c):
    while True:
        m = c.recv()
        if m is None:
            break
        c.send(m + 1)

if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=echo, args=(b,))
    p.start()
    total = 0
    for i in range(1000):
        a.send(i)
        total += a.recv()
    a.send(None)
    p.join()
    print(total)
