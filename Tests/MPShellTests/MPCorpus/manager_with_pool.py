import multiprocessing as mp

def record(args):
    d, l, i = args
    d[i] = i * 2
    l.append(i)
    return i

if __name__ == '__main__':
    with mp.Manager() as manager:
        d = manager.dict()
        l = manager.list()
        with mp.Pool(2) as pool:
            print(pool.map(record, [(d, l, i) for i in range(6)]))
        print(sorted(d.items()), sorted(l))
