# executor.shutdown(wait=True, cancel_futures=True): the futures that had not started are cancelled — cancelled()
# and done() True, result() and exception() raise CancelledError, their done callbacks ran — and those that ran
# have their results.
from concurrent.futures import ProcessPoolExecutor, CancelledError
import multiprocessing
import time


def work(x):
    # long enough that 39 tasks on 2 workers are still queued when shutdown cancels: without it a loaded machine
    # (the submitting loop descheduled) could see every task finish first, and nothing cancelled
    time.sleep(0.02)
    return x * 10


if __name__ == "__main__":
    seen = []
    ex = ProcessPoolExecutor(2)
    first = ex.submit(work, 0)
    print("first:", first.result(timeout=30))
    futures = [ex.submit(work, i) for i in range(1, 40)]
    for f in futures:
        f.add_done_callback(lambda f: seen.append(f.cancelled()))
    ex.shutdown(wait=True, cancel_futures=True)
    cancelled = [f for f in futures if f.cancelled()]
    finished = [f for f in futures if not f.cancelled()]
    print("some cancelled:", len(cancelled) > 0, "last cancelled:", futures[-1].cancelled())
    print("all done:", all(f.done() for f in futures), "none running:", not any(f.running() for f in futures))
    ok = True
    for f in cancelled:
        try:
            f.exception()
            ok = False
        except CancelledError:
            pass
        try:
            f.result(timeout=1)
            ok = False
        except CancelledError:
            pass
        ok = ok and "state=cancelled" in repr(f) and not f.cancel() is False
    print("cancelled futures raise CancelledError:", ok)
    print("finished have results:", all(f.result() == 10 * (futures.index(f) + 1) for f in finished))
    print("finished come first:", futures[:len(finished)] == finished)
    print("callbacks:", len(seen), seen.count(True) == len(cancelled))
    print("cancel after shutdown:", futures[-1].cancel(), first.cancel())
    try:
        ex.submit(work, 1)
    except RuntimeError as e:
        print("submit after shutdown:", e)
