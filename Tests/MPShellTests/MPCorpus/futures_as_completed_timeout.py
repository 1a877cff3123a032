import concurrent.futures as cf
import time

def nap(t):
    time.sleep(t)
    return t

if __name__ == '__main__':
    with cf.ProcessPoolExecutor(2) as ex:
        fs = [ex.submit(nap, 0.01), ex.submit(nap, 3), ex.submit(nap, 3)]
        got = []
        try:
            for f in cf.as_completed(fs, timeout=0.5):
                got.append(f.result())
        except TimeoutError as e:
            print('TimeoutError:', e)
        print(got)
        for f in fs[1:]:
            f.cancel()
    print('done')
