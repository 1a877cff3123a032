import multiprocessing as mp

def cube(x):
    return x ** 3

def gen(n):
    for i in range(n):
        yield i

if __name__ == '__main__':
    with mp.Pool(3) as pool:
        it = pool.imap(cube, gen(12))
        print(next(it), next(it))
        print(list(it))
        print(list(pool.imap(cube, range(20), chunksize=4)))
        print(it.__class__.__name__)
        for x in pool.imap(cube, []):
            print('never')
        print('done')
