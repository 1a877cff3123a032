import multiprocessing as mp

if __name__ == '__main__':
    mp.set_start_method('fork')
    q = mp.Queue()
    base = 100
    p = mp.Process(target=lambda: q.put(base + 1))
    p.start()
    print(q.get())
    p.join()
    def make(k):
        def inner():
            q.put(k * 2)
        return inner
    p = mp.Process(target=make(21))
    p.start()
    print(q.get())
    p.join()
