# logging's %(processName)s names the process that logs (a Process child, pool workers), as CPython's LogRecord.
import logging
import multiprocessing
import sys


def child():
    logging.basicConfig(stream=sys.stdout, format="%(processName)s %(levelname)s %(message)s", force=True)
    logging.warning("from the child")


def worker(x):
    logging.basicConfig(stream=sys.stdout, format="%(processName)s %(message)s", force=True)
    logging.warning("task %d", x)
    sys.stdout.flush()
    return x


if __name__ == "__main__":
    p = multiprocessing.Process(target=child, name="Logger")
    p.start()
    p.join()
    q = multiprocessing.Process(target=child)
    q.start()
    q.join()
    with multiprocessing.Pool(1) as pool:
        pool.map(worker, [1])
    logging.basicConfig(stream=sys.stdout, format="%(processName)s %(message)s", force=True)
    logging.warning("main")
