from concurrent.futures import ProcessPoolExecutor
import concurrent.futures

def mul(a, b=1):
    return a * b

if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=2) as ex:
        f = ex.submit(mul, 6, b=7)
        print(f.result())
        print(f.done(), f.cancelled(), f.exception())
        print(repr(f).split(' state=')[1])
        futs = [ex.submit(mul, i, i) for i in range(6)]
        print([x.result(timeout=10) for x in futs])
    print(type(ex).__name__)
    try:
        ex.submit(mul, 1)
    except RuntimeError as e:
        print('RuntimeError:', e)
