import multiprocessing as mp

def inc(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1

if __name__ == '__main__':
    lock = mp.RLock()
    v = mp.Value('i', 0, lock=lock)
    print(v.get_lock() is lock)
    ps = [mp.Process(target=inc, args=(v, 300)) for _ in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(v.value)
