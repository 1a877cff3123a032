import multiprocessing as mp

def waiter(cond, ready, q):
    with cond:
        cond.wait_for(lambda: ready.value == 1, timeout=5)
        q.put("woken with %d" % ready.value)

if __name__ == '__main__':
    cond = mp.Condition()
    print(cond)
    ready = mp.Value('i', 0)
    q = mp.Queue()
    p = mp.Process(target=waiter, args=(cond, ready, q))
    p.start()
    with cond:
        ready.value = 1
        cond.notify_all()
    print(q.get())
    p.join()
