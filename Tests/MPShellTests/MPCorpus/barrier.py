import multiprocessing as mp

def party(b, q):
    i = b.wait()
    q.put(i)

if __name__ == '__main__':
    b = mp.Barrier(3)
    print(b.parties, b.n_waiting, b.broken)
    q = mp.Queue()
    ps = [mp.Process(target=party, args=(b, q)) for _ in range(2)]
    for p in ps: p.start()
    me = b.wait(5)
    ps_idx = [q.get() for _ in ps]
    for p in ps: p.join()
    print(sorted(ps_idx + [me]))
    b.abort()
    print(b.broken)
