# mpcorpus: unordered
import multiprocessing as mp

def double(x):
    return 2 * x

if __name__ == '__main__':
    with mp.Pool(4) as pool:
        for r in pool.imap_unordered(double, range(8)):
            print('got', r)
        print('total', sum(pool.imap_unordered(double, range(100), chunksize=9)))
