# Future.cancel() on futures waiting behind a busy worker: cancelled() True, done() True, result() and exception()
# raise CancelledError, the done callback runs at once; a running or finished future cannot be cancelled.
from concurrent.futures import ProcessPoolExecutor, CancelledError
import multiprocessing


def block(ev):
    ev.wait(30)
    return "released"


def quick(x):
    return x


if __name__ == "__main__":
    m = multiprocessing.Manager()
    ev = m.Event()
    with ProcessPoolExecutor(1) as ex:
        first = ex.submit(quick, 0)
        print(first.result(timeout=30), first.cancel())
        running = ex.submit(block, ev)
        waiting = [ex.submit(quick, i) for i in range(1, 6)]
        notes = []
        waiting[-1].add_done_callback(lambda f: notes.append(("callback", f.cancelled())))
        cancelled = waiting[-1].cancel()
        print("cancel:", cancelled, waiting[-1].cancelled(), waiting[-1].done(), notes)
        for call in (waiting[-1].result, waiting[-1].exception):
            try:
                call(timeout=1)
            except CancelledError as e:
                print(call.__name__, "->", type(e).__name__)
        ev.set()
        print(running.result(timeout=30), [f.result(timeout=30) for f in waiting[:-1]])
    m.shutdown()
