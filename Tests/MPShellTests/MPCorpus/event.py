import multiprocessing as mp

def setter(ev):
    ev.set()

if __name__ == '__main__':
    ev = mp.Event()
    print(ev.is_set(), ev.wait(0.02))
    p = mp.Process(target=setter, args=(ev,))
    p.start()
    print(ev.wait(5), ev.is_set())
    ev.clear()
    print(ev.is_set())
    p.join()
