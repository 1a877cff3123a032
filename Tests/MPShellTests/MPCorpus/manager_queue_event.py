import multiprocessing as mp

def producer(q, ev):
    for i in range(3):
        q.put(i)
    ev.set()

if __name__ == '__main__':
    m = mp.Manager()
    q = m.Queue()
    ev = m.Event()
    p = mp.Process(target=producer, args=(q, ev))
    p.start()
    ev.wait(10)
    p.join()
    print(ev.is_set(), q.qsize(), [q.get() for _ in range(3)], q.empty())
    m.shutdown()
