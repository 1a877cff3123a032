# A callback that raises: CPython prints the exception in its result handler thread ("Exception in thread
# Thread-3 (_handle_results):" and the traceback) and the program goes on; mpsh prints the same and keeps the pool
# working (CPython's pool stops delivering results there, so more work goes to a new pool in this program).
import multiprocessing
import os
import sys
import time


def square(x):
    return x * x


def fail(x):
    raise KeyError(x)


if __name__ == "__main__":
    calls = []

    def bad_callback(value):
        calls.append(value)
        raise ValueError("callback got %r" % value)

    # not closed: CPython's pool, its result handler gone, would fail an assertion in terminate()
    first = multiprocessing.Pool(2)
    first.apply_async(square, (3,), callback=bad_callback)
    for _ in range(3000):
        if calls:
            break
        time.sleep(0.01)
    print("callback ran with", calls)
    with multiprocessing.Pool(2) as p:
        print("more work:", p.map(square, range(5)))
        got = []
        r = p.apply_async(fail, (1,), error_callback=lambda e: got.append(repr(e)))
        r.wait(30)
        print("error callback:", got)
    print("end", flush=True)
    sys.stderr.flush()
    # CPython's exit would terminate the first pool and fail "Cannot have cache with result_hander not alive"
    # at exit (its handler thread died): end here, in both interpreters
    os._exit(0)
