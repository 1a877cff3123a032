# mpirun -n 3 -m mpi4py.futures
# A task's exception carries the worker's traceback as its __cause__ (mpi4py.futures._core.RemoteTraceback), from
# submit and from map alike: the traceback's text ends with the exception's line and triple quotes.
from mpi4py.futures import MPIPoolExecutor


def fail(x):
    if x == 2:
        raise ValueError("item %d" % x)
    return x


def describe(e):
    c = e.__cause__
    lines = str(c).splitlines()
    return "%s: %s <- %s %s %s %r" % (type(e).__name__, e, type(c).__name__,
                                      "Traceback (most recent call last):" in lines, lines[-2], lines[-1])


if __name__ == '__main__':
    with MPIPoolExecutor() as executor:
        try:
            executor.submit(fail, 2).result()
        except ValueError as e:
            print("submit", describe(e))
        try:
            list(executor.map(fail, range(4)))
        except ValueError as e:
            print("map", describe(e))
        try:
            list(executor.map(fail, range(4), chunksize=2))
        except ValueError as e:
            print("map chunks", describe(e))
        print(list(executor.map(fail, [0, 1, 3])))
