import multiprocessing as mp

def wait_for(ev):
    ev.wait()

if __name__ == '__main__':
    ev = mp.Event()
    p = mp.Process(target=wait_for, args=(ev,))
    p.start()
    p.join(0.05)
    print(p.is_alive(), p.exitcode)
    ev.set()
    p.join()
    print(p.is_alive(), p.exitcode)
