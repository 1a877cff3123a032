# Pool.terminate() with work still pending: the results it dropped never become ready, as CPython's: ready() is
# False, get(timeout) raises multiprocessing.TimeoutError, successful() raises ValueError; finished results keep
# their values.
import multiprocessing
import time


def work(x):
    if x == 0:
        return "quick"
    time.sleep(60)
    return x


if __name__ == "__main__":
    p = multiprocessing.Pool(2)
    done = p.apply_async(work, (0,))
    print("done:", done.get(timeout=30), done.ready(), done.successful())
    pending = [p.apply_async(work, (i,)) for i in range(1, 5)]
    mapped = p.map_async(work, [7, 8])
    p.terminate()
    p.join()
    for r in pending + [mapped]:
        print(type(r).__name__, "ready:", r.ready())
        try:
            r.get(0.05)
        except multiprocessing.TimeoutError as e:
            print("  get(0.05):", type(e).__module__, type(e).__name__, repr(str(e)))
        try:
            r.successful()
        except ValueError as e:
            print("  successful(): ValueError", str(e).endswith("not ready"))
        r.wait(0.01)
        print("  after wait:", r.ready())
    print("done still:", done.get(), done.ready())
    try:
        p.apply_async(work, (0,))
    except ValueError as e:
        print("after terminate:", e)
