import concurrent.futures as cf
import time

def nap(t):
    time.sleep(t)
    return t

if __name__ == '__main__':
    with cf.ProcessPoolExecutor(1) as ex:
        first = ex.submit(nap, 0.5)
        queued = [ex.submit(nap, 0.01) for _ in range(3)]
        try:
            first.result(timeout=0.05)
        except TimeoutError:
            print('TimeoutError')
        cancelled = queued[-1].cancel()
        print(cancelled, queued[-1].cancelled(), queued[-1].done())
        try:
            queued[-1].result()
        except cf.CancelledError:
            print('CancelledError')
        print(first.result(), first.cancel())
    try:
        list(cf.as_completed([ex.submit(nap, 1)] if False else [], timeout=0.01))
        print('empty ok')
    except Exception as e:
        print(type(e).__name__)
