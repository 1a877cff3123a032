import multiprocessing as mp

results = []
errors = []

def square(x):
    if x < 0:
        raise ValueError('negative: %d' % x)
    return x * x

def collect(r):
    results.append(r)

def on_error(e):
    errors.append(repr(e))

if __name__ == '__main__':
    pool = mp.Pool(3)
    for i in range(-2, 6):
        pool.apply_async(square, (i,), callback=collect, error_callback=on_error)
    pool.close()
    pool.join()
    print(sorted(results))
    print(sorted(errors))
    pool = mp.Pool(2)
    got = []
    r = pool.map_async(square, range(5), callback=got.append)
    r.get()
    print(got)
    r = pool.map_async(square, [1, -1], error_callback=got.append)
    r.wait()
    print(type(got[-1]).__name__, got[-1])
    pool.terminate()
    pool.join()
