import multiprocessing as mp

if __name__ == '__main__':
    l = mp.Lock()
    print(l)
    print(l.acquire())
    print(l)
    print(l.acquire(False))
    l.release()
    print(l.acquire(timeout=0.01))
    l.release()
    r = mp.RLock()
    print(r)
    r.acquire(); r.acquire()
    print(r)
    r.release(); r.release()
    print(r)
