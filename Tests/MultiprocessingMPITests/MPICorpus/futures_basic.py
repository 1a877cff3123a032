# mpirun -n 4 -m mpi4py.futures
# MPIPoolExecutor under `mpirun -n 4 ... -m mpi4py.futures`: rank 0 runs this, ranks 1-3 are the workers.
import time
from concurrent.futures import as_completed, wait, FIRST_COMPLETED, TimeoutError, CancelledError
from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor

def square(x):
    return x * x

def power(base, exponent=2):
    return base ** exponent

def picky(x):
    if x == 3:
        raise ValueError("three is not allowed: %r" % (x,))
    return x

def slow(seconds):
    time.sleep(seconds)
    return seconds

if __name__ == '__main__':
    print("world", MPI.COMM_WORLD.Get_size(), MPI.COMM_WORLD.Get_rank())
    with MPIPoolExecutor() as executor:
        print("workers", executor.num_workers)
        print("map", list(executor.map(square, range(20))))
        print("chunks", list(executor.map(square, range(20), chunksize=6)))
        print("two iterables", list(executor.map(power, [2, 3, 4], [5, 2, 1])))
        print("starmap", list(executor.starmap(power, [(2, 10), (10, 3)])))
        print("unordered", sorted(executor.map(square, range(7), unordered=True)))
        print("submit", executor.submit(power, 3, exponent=4).result())
        try:
            list(executor.map(picky, range(6)))
        except ValueError as e:
            print("error", type(e).__name__, e)
        f = executor.submit(picky, 3)
        print("exception", repr(f.exception()))
        cause = f.exception().__cause__
        print("remote traceback", type(cause).__name__, "in picky" in str(cause), "three is not allowed" in str(cause))
        futures = [executor.submit(square, i) for i in range(10)]
        print("as_completed", sorted(f.result() for f in as_completed(futures)))
        done, not_done = wait(futures)
        print("wait", len(done), len(not_done))
        seen = []
        g = executor.submit(square, 8)
        g.add_done_callback(lambda fut: seen.append(fut.result()))
        g.result()
        print("callback", seen)
        late = executor.submit(slow, 0.5)
        try:
            late.result(timeout=0.05)
        except TimeoutError:
            print("timed out, then", late.result())
        try:
            list(executor.map(slow, [0.3] * 6, timeout=0.05))
        except TimeoutError:
            print("map timed out")
    print("after with")

def bad_setup(x):
    raise RuntimeError("no database at %s" % x)

if __name__ == '__main__':
    from concurrent.futures import BrokenExecutor
    with MPIPoolExecutor(initializer=bad_setup, initargs=("db1",)) as broken:
        try:
            broken.submit(square, 2).result()
        except BrokenExecutor as e:
            print("broken executor:", type(e).__name__)
