#!/usr/bin/env python3
"""CPython's side of `mpbench pool`: Pool and ProcessPoolExecutor figures, one JSON line per figure.

  pool_start_teardown   : Pool(P) then close(); join()  (median of 10)
  pool_map              : warm Pool(P).map(square, range(N)), N = 10, 1e4, 1e5, 1e6, default chunksize (median of 5)
  pool_map_first        : the first of those five maps for N = 1e6
  apply_async_get       : warm Pool(P).apply_async(square, (3,)).get() round trip, median and p99 of 2000
  imap_unordered        : warm Pool(P).imap_unordered(square, range(1e5)) (default chunksize 1), summed
  executor_as_completed : ProcessPoolExecutor(P): 1e4 x submit(square, i), then as_completed()

Usage: python3 scripts/bench/pool.py [processes=2]. Default start method (fork on Linux). Results are verified.
The same shape as ../shared/bench/python/*.py: {"workload", "param", "seconds", ...}.
"""
import json
import multiprocessing as mp
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed


def square(x):
    return x * x


def emit(workload, param, seconds, **extra):
    record = {"workload": workload, "param": param, "seconds": round(seconds, 9)}
    record.update(extra)
    print(json.dumps(record), flush=True)


def expect_sum(n):
    return (n - 1) * n * (2 * n - 1) // 6


def main():
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with mp.Pool(processes) as pool:  # warm the fork path
        pool.map(square, range(10))

    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        pool = mp.Pool(processes)
        pool.close()
        pool.join()
        times.append(time.perf_counter() - t0)
    emit("pool_start_teardown", f"processes={processes}", statistics.median(times))

    pool = mp.Pool(processes)
    pool.map(square, range(100))
    for n in (10, 10**4, 10**5, 10**6):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            result = pool.map(square, range(n))
            times.append(time.perf_counter() - t0)
            assert sum(result) == expect_sum(n)
        emit("pool_map", f"n={n}", statistics.median(times))
        if n == 10**6:
            emit("pool_map_first", f"n={n}", times[0])

    latencies = []
    for _ in range(2000):
        t0 = time.perf_counter()
        assert pool.apply_async(square, (3,)).get() == 9
        latencies.append(time.perf_counter() - t0)
    latencies.sort()
    emit("apply_async_get", "n=2000", statistics.median(latencies), p99=round(latencies[int(len(latencies) * 0.99)], 9))

    t0 = time.perf_counter()
    total = sum(pool.imap_unordered(square, range(10**5)))
    emit("imap_unordered", "n=100000", time.perf_counter() - t0)
    assert total == expect_sum(10**5)
    pool.close()
    pool.join()

    with ProcessPoolExecutor(processes) as executor:
        executor.submit(square, 1).result()
        t0 = time.perf_counter()
        futures = [executor.submit(square, i) for i in range(10**4)]
        total = sum(f.result() for f in as_completed(futures))
        emit("executor_as_completed", "n=10000", time.perf_counter() - t0)
        assert total == expect_sum(10**4)


if __name__ == "__main__":
    main()
