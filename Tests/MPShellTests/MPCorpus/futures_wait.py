import concurrent.futures as cf
from concurrent.futures import wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED
import time

def nap(t):
    time.sleep(t)
    return t

def bad():
    raise ValueError('x')

if __name__ == '__main__':
    with cf.ProcessPoolExecutor(3) as ex:
        fs = [ex.submit(nap, t) for t in (0.01, 0.5, 0.5)]
        done, not_done = wait(fs, return_when=FIRST_COMPLETED)
        print(len(done) >= 1, fs[0] in done)
        r = wait(fs, timeout=10, return_when=ALL_COMPLETED)
        print(len(r.done), len(r.not_done), type(r).__name__)
        fs = [ex.submit(bad), ex.submit(nap, 0.5)]
        done, not_done = wait(fs, return_when=FIRST_EXCEPTION)
        print(fs[0] in done)
        done, not_done = wait([ex.submit(nap, 2)], timeout=0.1)
        print(len(done), len(not_done))
