import multiprocessing as mp

class Counter:
    def __init__(self, start):
        self.start = start
    def count(self, q, n):
        for i in range(n):
            q.put(self.start + i)

if __name__ == '__main__':
    c = Counter(10)
    q = mp.Queue()
    p = mp.Process(target=c.count, args=(q, 3))
    p.start()
    print([q.get() for _ in range(3)])
    p.join()
