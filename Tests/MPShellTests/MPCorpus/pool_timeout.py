import multiprocessing as mp
import time

def nap(t):
    time.sleep(t)
    return t

if __name__ == '__main__':
    with mp.Pool(1) as pool:
        r = pool.apply_async(nap, (5,))
        try:
            r.get(timeout=0.2)
        except mp.TimeoutError as e:
            print('TimeoutError', type(e).__module__, isinstance(e, mp.ProcessError))
        print(r.ready())
        it = pool.imap(nap, [5])
        try:
            it.next(timeout=0.1)
        except mp.TimeoutError:
            print('imap timed out')
    print('terminated')
