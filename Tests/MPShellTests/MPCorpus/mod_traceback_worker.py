# A worker's error handler formats the traceback with traceback.format_exc and sends its last line back.
import multiprocessing as mp
import traceback

def risky(n):
    try:
        return 10 // n
    except ZeroDivisionError:
        text = traceback.format_exc()
        return 'failed: ' + text.strip().splitlines()[-1]

def worker(q, n):
    try:
        if n < 0:
            raise ValueError('negative input %d' % n)
        q.put(('ok', n))
    except ValueError as e:
        q.put(('error', traceback.format_exception_only(type(e), e)[-1].strip()))

if __name__ == '__main__':
    with mp.Pool(2) as pool:
        for line in pool.map(risky, [5, 0, 2]):
            print(line)
    q = mp.Queue()
    ps = [mp.Process(target=worker, args=(q, n)) for n in (1, -3)]
    for p in ps:
        p.start()
    results = sorted(q.get(timeout=10) for _ in ps)
    for p in ps:
        p.join()
    print(results)
