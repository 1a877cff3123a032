# Pool and executor workers are numbered from the same counter as Process-N, as CPython's: ForkPoolWorker-2 and
# -3 after one Process, the next Process after them, and so on across several pools and executors; _identity
# holds the number. The pools are closed and joined, not terminated (as `with` does): a worker terminated while
# its queue's feeder thread holds the queue's write lock leaves the lock taken in CPython, and the next pool's
# workers then block in q.put (seen as queue.Empty after 30 s in CI).
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

names = None


def remember(q):
    me = multiprocessing.current_process()
    q.put((me.name, me._identity, me.daemon))


def noop():
    pass


def started(q, n):
    return sorted(q.get(timeout=30) for _ in range(n))


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=noop)
    p.start(); p.join()
    print(p.name, p._identity)
    pool = multiprocessing.Pool(2, initializer=remember, initargs=(q,))
    print(started(q, 2))
    print(pool.map(abs, [-1, -2]))
    pool.close(); pool.join()
    print(multiprocessing.Process(target=noop).name)
    pool = multiprocessing.Pool(3, initializer=remember, initargs=(q,))
    print(started(q, 3))
    pool.close(); pool.join()
    with ProcessPoolExecutor(2, initializer=remember, initargs=(q,)) as ex:
        print(list(ex.map(abs, [-3, -4])))
        print(started(q, 2))
    p = multiprocessing.Process(target=noop, name="custom")
    print(p.name, p._identity)
    print(multiprocessing.Process(target=noop).name)
