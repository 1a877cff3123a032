# A future's done callback sees the worker's exception and its _RemoteTraceback cause; as_completed and wait
# report the failed future like the others.
from concurrent.futures import ProcessPoolExecutor, as_completed, wait, FIRST_EXCEPTION


def task(x):
    if x < 0:
        raise ArithmeticError("negative: %d" % x)
    return x + 100


if __name__ == "__main__":
    seen = []
    with ProcessPoolExecutor(2) as ex:
        futures = [ex.submit(task, x) for x in (1, -2, 3)]
        for f in futures:
            f.add_done_callback(lambda f: seen.append(type(f.exception()).__name__ if f.exception() else f.result()))
        done, not_done = wait(futures, timeout=30, return_when=FIRST_EXCEPTION)
        print("some failed:", any(f.exception() for f in done))
        results = []
        for f in as_completed(futures, timeout=30):
            e = f.exception()
            if e is not None:
                results.append((type(e).__name__, str(e), type(e.__cause__).__name__,
                                "ArithmeticError: negative: -2" in str(e.__cause__)))
            else:
                results.append(f.result())
        print(sorted(results, key=str))
    print(sorted(seen, key=str))
