import multiprocessing as mp

def child(c, ev):
    ev.wait()
    c.send("late")

if __name__ == '__main__':
    a, b = mp.Pipe()
    ev = mp.Event()
    p = mp.Process(target=child, args=(b, ev))
    p.start()
    print(a.poll(), a.poll(0.05))
    ev.set()
    print(a.poll(5))
    print(a.recv())
    p.join()
