# The exception an error_callback receives carries the worker's traceback as its __cause__, as get() raises it.
import multiprocessing


class TaskFailed(Exception):
    pass


def work(x):
    if x % 3 == 0:
        raise TaskFailed("task %d failed" % x)
    return x


if __name__ == "__main__":
    errors = []
    with multiprocessing.Pool(2) as p:
        results = [p.apply_async(work, (x,), error_callback=errors.append) for x in range(1, 7)]
        for r in results:
            r.wait(30)
        values = [r.get() for r in results if r.successful()]
        m = p.map_async(work, range(3), error_callback=errors.append)
        m.wait(30)
    print("values:", values)
    for e in sorted(errors, key=str):
        lines = str(e.__cause__).strip().splitlines()
        print(type(e).__name__, e, type(e.__cause__).__name__, lines[-2])
