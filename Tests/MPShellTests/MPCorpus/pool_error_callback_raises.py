# An error_callback that raises is reported as a raising callback is (CPython's result handler thread prints it)
# and the program goes on; the remote exception it was given has its RemoteTraceback.
import multiprocessing
import os
import sys
import time


def fail(x):
    raise LookupError("no item %d" % x)


if __name__ == "__main__":
    seen = []

    def on_error(e):
        seen.append((type(e).__name__, type(e.__cause__).__name__))
        raise RuntimeError("the error callback failed too")

    pool = multiprocessing.Pool(2)
    pool.apply_async(fail, (1,), error_callback=on_error)
    for _ in range(3000):
        if seen:
            break
        time.sleep(0.01)
    print("error callback saw:", seen)
    with multiprocessing.Pool(1) as other:
        print("other pool:", other.map(abs, [-1, -2]))
    print("end", flush=True)
    sys.stderr.flush()
    os._exit(0)   # CPython's first pool, its result handler dead, would fail an assertion at exit
