import multiprocessing as mp

if __name__ == '__main__':
    q = mp.Queue()
    print(q.qsize(), q.empty())
    for i in range(10):
        q.put(i)
    print(q.qsize())
    print([q.get() for _ in range(10)])
    print(q.qsize(), q.empty())
    q.close()
    q.join_thread()
