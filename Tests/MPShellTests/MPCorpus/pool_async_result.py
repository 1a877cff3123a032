import multiprocessing as mp
import time

def slow(x):
    time.sleep(0.3)
    return x + 1

def fails(x):
    raise RuntimeError('no luck with %r' % (x,))

if __name__ == '__main__':
    with mp.Pool(2) as pool:
        r = pool.apply_async(slow, (1,))
        try:
            r.successful()
        except ValueError as e:
            print('ValueError', str(e).endswith('not ready'))
        print(r.ready())
        r.wait()
        print(r.ready(), r.successful(), r.get())
        r2 = pool.apply_async(fails, ('x',))
        r2.wait(timeout=10)
        print(r2.ready(), r2.successful())
        try:
            r2.get()
        except RuntimeError as e:
            print('RuntimeError:', e)
        m = pool.map_async(slow, [1, 2, 3])
        print(m.get(timeout=10))
        print(type(r).__name__, type(m).__name__)
