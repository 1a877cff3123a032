# Pending (issue 17): logging's %(processName)s in a child names the child, as CPython's LogRecord does
# (`multiprocessing.current_process().name` when multiprocessing is imported). mpsh's logging module
# (Sources/PyLang/ModulesText.swift, the LogRecord dict) writes "MainProcess" always. The fix, in the logging
# module: when `multiprocessing` is in sys.modules, processName = current_process().name. Move this program to
# Tests/MPShellTests/MPCorpus/ once it passes.
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
