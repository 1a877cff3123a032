import multiprocessing as mp

def worker(q):
    q.put("from child")

if __name__ == '__main__':
    q = mp.SimpleQueue()
    print(q.empty())
    p = mp.Process(target=worker, args=(q,))
    p.start()
    print(q.get())
    p.join()
    print(q.empty())
    q.close()
