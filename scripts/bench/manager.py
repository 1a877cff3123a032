#!/usr/bin/env python3
"""CPython's Manager proxies, per operation: the side of `mpbench manager` that CPython runs.

  manager_dict_write   : one process, d[i] = i for 10**4 int keys (a fresh Manager().dict())
  manager_dict_read    : one process, d[i] for the same 10**4 keys
  manager_dict_write_str : one process, d[f'key{i}'] = 'value' for 10**4 string keys
  manager_dict_write_2proc : 2 processes each writing 10**4 distinct keys d[f'{wid}:{i}'] = i;
                         barrier start -> both joined; len(d) verified
  manager_list_append  : one process, l.append(i) 10**4 times
  manager_namespace_set: one process, ns.x = i 10**4 times
ops_per_s = operations per second; us_per_op = microseconds per operation.
One JSON line per figure, in the shape of ../shared/bench/python/*.py.
Usage: manager.py [N]   (N operations per figure, default 10**4)
"""
import json
import multiprocessing as mp
import signal
import sys
import time

WATCHDOG_S = 240


def emit(workload, param, seconds, ops):
    rec = {"workload": workload, "param": param, "seconds": round(seconds, 6),
           "ops_per_s": round(ops / seconds, 1), "us_per_op": round(seconds / ops * 1e6, 3)}
    print(json.dumps(rec), flush=True)


def _watchdog(signum, frame):
    raise TimeoutError("benchmark watchdog fired")


def dict_writer(barrier, d, wid, n):
    barrier.wait()
    for i in range(n):
        d[f"{wid}:{i}"] = i


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10**4
    signal.signal(signal.SIGALRM, _watchdog)
    signal.alarm(WATCHDOG_S)
    m = mp.Manager()
    try:
        warm = m.dict()
        for i in range(100):
            warm[i] = i

        d = m.dict()
        t0 = time.perf_counter()
        for i in range(n):
            d[i] = i
        emit("manager_dict_write", f"{n} int keys", time.perf_counter() - t0, n)

        t0 = time.perf_counter()
        total = 0
        for i in range(n):
            total += d[i]
        s = time.perf_counter() - t0
        assert total == n * (n - 1) // 2
        emit("manager_dict_read", f"{n} int keys", s, n)

        ds = m.dict()
        t0 = time.perf_counter()
        for i in range(n):
            ds[f"key{i}"] = "value"
        emit("manager_dict_write_str", f"{n} str keys", time.perf_counter() - t0, n)

        d2 = m.dict()
        barrier = mp.Barrier(3)
        procs = [mp.Process(target=dict_writer, args=(barrier, d2, w, n), daemon=True) for w in range(2)]
        for p in procs:
            p.start()
        barrier.wait(timeout=30)
        t0 = time.perf_counter()
        for p in procs:
            p.join(timeout=120)
            assert p.exitcode == 0, p.exitcode
        s = time.perf_counter() - t0
        assert len(d2) == 2 * n, len(d2)
        emit("manager_dict_write_2proc", f"2x{n} keys", s, 2 * n)

        lst = m.list()
        t0 = time.perf_counter()
        for i in range(n):
            lst.append(i)
        s = time.perf_counter() - t0
        assert len(lst) == n
        emit("manager_list_append", f"{n}", s, n)

        ns = m.Namespace()
        t0 = time.perf_counter()
        for i in range(n):
            ns.x = i
        s = time.perf_counter() - t0
        assert ns.x == n - 1
        emit("manager_namespace_set", f"{n}", s, n)
    finally:
        m.shutdown()
    signal.alarm(0)


if __name__ == "__main__":
    main()
