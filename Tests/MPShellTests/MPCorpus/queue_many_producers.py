import multiprocessing as mp

def produce(q, k):
    for i in range(100):
        q.put((k, i))

if __name__ == '__main__':
    q = mp.Queue()
    ps = [mp.Process(target=produce, args=(q, k)) for k in range(4)]
    for p in ps: p.start()
    got = [q.get() for _ in range(400)]
    for p in ps: p.join()
    print(len(got), sorted(got) == [(k, i) for k in range(4) for i in range(100)])
    per = {}
    for k, i in got:
        per.setdefault(k, []).append(i)
    print(all(v == list(range(100)) for v in per.values()))
