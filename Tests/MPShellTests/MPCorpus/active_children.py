import multiprocessing as mp

def wait_on(ev):
    ev.wait()

if __name__ == '__main__':
    ev = mp.Event()
    ps = [mp.Process(target=wait_on, args=(ev,), name="w%d" % i) for i in range(3)]
    for p in ps: p.start()
    print(sorted(c.name for c in mp.active_children()))
    ev.set()
    for p in ps: p.join()
    print(mp.active_children())
