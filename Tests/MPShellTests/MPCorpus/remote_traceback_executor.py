# concurrent.futures: a worker's exception has concurrent.futures.process._RemoteTraceback as its __cause__,
# through future.result(), future.exception() and executor.map.
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import _RemoteTraceback


def g(x):
    if x % 2:
        raise ValueError("odd %d" % x)
    return x


def describe(e):
    c = e.__cause__
    lines = str(c).splitlines()
    return "%s(%s) <- %s.%s %s %r %r" % (type(e).__name__, e, type(c).__module__, type(c).__name__,
                                         isinstance(c, _RemoteTraceback), lines[1], lines[-2])


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        f = ex.submit(g, 3)
        print(describe(f.exception(timeout=30)))
        try:
            f.result()
        except ValueError as e:
            print(describe(e))
        try:
            print(list(ex.map(g, [0, 2, 5, 6])))
        except ValueError as e:
            print(describe(e))
        print(list(ex.map(g, [0, 2, 4], chunksize=2)))
