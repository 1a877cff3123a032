# forkserver: the children find their targets by name in the main module as the module defines it (a global
# changed after import is not seen), for a Process and for a Pool's workers.
import multiprocessing as mp

print("loading", __name__)
LIMIT = 3

def count(q, start):
    q.put([start + i for i in range(LIMIT)])

def cube(x):
    return x ** 3 + LIMIT

if __name__ == '__main__':
    LIMIT = 100
    ctx = mp.get_context('forkserver')
    q = ctx.Queue()
    for start in (0, 10):
        p = ctx.Process(target=count, args=(q, start))
        p.start()
        print(q.get())
        p.join()
        print(p.name, p.exitcode)
    pool = ctx.Pool(2)
    print(pool.map(cube, range(5)))
    pool.close()
    pool.join()
    print("done", LIMIT)
