# terminate() with results pending: neither their callback nor their error_callback runs (CPython never delivers
# them); results finished before still ran theirs; the pool is then closed for new work.
import multiprocessing
import time


def work(x):
    if x:
        time.sleep(60)
    return x


if __name__ == "__main__":
    calls = []
    p = multiprocessing.Pool(2)
    first = p.apply_async(work, (0,), callback=lambda v: calls.append(("ok", v)))
    first.wait(30)
    pending = [p.apply_async(work, (i,), callback=lambda v: calls.append(("ok", v)),
                             error_callback=lambda e: calls.append(("error", repr(e)))) for i in (1, 2, 3)]
    mapped = p.map_async(work, [4, 5], callback=lambda v: calls.append(("map", v)),
                         error_callback=lambda e: calls.append(("map error", repr(e))))
    p.terminate()
    p.join()
    print("ready:", [r.ready() for r in pending], mapped.ready())
    print("callbacks:", calls)
    for method, args in (("apply_async", (work, (0,))), ("map", (work, [1]))):
        try:
            getattr(p, method)(*args)
        except ValueError as e:
            print(method, "after terminate:", e)
