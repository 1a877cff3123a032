import multiprocessing as mp

def limited(sem, inside, lock, q):
    with sem:
        with lock:
            inside.value += 1
            q.put(inside.value)
        with lock:
            inside.value -= 1

if __name__ == '__main__':
    sem = mp.Semaphore(2)
    print(sem, sem.get_value())
    inside = mp.Value('i', 0)
    lock = mp.Lock()
    q = mp.Queue()
    ps = [mp.Process(target=limited, args=(sem, inside, lock, q)) for _ in range(6)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(max(q.get() for _ in ps) <= 2, sem.get_value())
