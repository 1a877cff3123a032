import multiprocessing as mp

def risky(q, x):
    try:
        q.put(10 // x)
    except ZeroDivisionError as e:
        q.put(e)

if __name__ == '__main__':
    q = mp.Queue()
    for x in (5, 0):
        p = mp.Process(target=risky, args=(q, x))
        p.start()
        r = q.get()
        p.join()
        print(type(r).__name__, r)
