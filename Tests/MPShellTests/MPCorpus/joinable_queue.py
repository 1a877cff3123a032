import multiprocessing as mp

def consumer(q, results):
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        results.put(item * 2)
        q.task_done()

if __name__ == '__main__':
    q = mp.JoinableQueue()
    results = mp.Queue()
    c = mp.Process(target=consumer, args=(q, results))
    c.start()
    for i in range(5):
        q.put(i)
    q.put(None)
    q.join()
    print("all tasks done")
    print(sorted(results.get() for _ in range(5)))
    c.join()
