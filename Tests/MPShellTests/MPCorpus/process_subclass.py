import multiprocessing as mp

class Worker(mp.Process):
    def __init__(self, q, n):
        super().__init__()
        self.q = q
        self.n = n

    def run(self):
        self.q.put(self.n * 10)

if __name__ == '__main__':
    q = mp.Queue()
    ws = [Worker(q, i) for i in range(4)]
    print([w.name for w in ws])
    print(ws[0])
    for w in ws: w.start()
    for w in ws: w.join()
    print(sorted(q.get() for _ in ws))
    print([w.exitcode for w in ws])
