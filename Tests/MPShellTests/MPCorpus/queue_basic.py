import multiprocessing as mp

def producer(q):
    for i in range(5):
        q.put(i)
    q.put(None)

if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q,))
    p.start()
    out = []
    while True:
        x = q.get()
        if x is None:
            break
        out.append(x)
    p.join()
    print(out)
