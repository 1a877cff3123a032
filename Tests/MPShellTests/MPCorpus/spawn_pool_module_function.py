# A Pool under spawn: each worker runs this file as __mp_main__ (the module-level print appears once per worker),
# and the tasks are module-level functions found by name, seeing the module's globals.
import multiprocessing as mp

print("loading", __name__)
OFFSET = 10

def shifted(x):
    return x * x + OFFSET

def describe(x):
    return (__name__, OFFSET, mp.current_process().name.split('-')[0])

if __name__ == '__main__':
    OFFSET = 1000
    ctx = mp.get_context('spawn')
    pool = ctx.Pool(2)
    print(pool.map(shifted, range(6)))
    print(pool.apply(describe, (1,)))
    print(sorted(pool.imap_unordered(abs, [-3, -1, -2])))
    pool.close()
    pool.join()
    print("done", OFFSET)
