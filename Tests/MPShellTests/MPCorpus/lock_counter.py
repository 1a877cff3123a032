import multiprocessing as mp

def add(v, lock, n):
    for _ in range(n):
        with lock:
            v.value += 1

if __name__ == '__main__':
    lock = mp.Lock()
    v = mp.Value('i', 0, lock=False)
    ps = [mp.Process(target=add, args=(v, lock, 500)) for _ in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(v.value)
