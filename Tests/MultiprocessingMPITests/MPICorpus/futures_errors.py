# mpirun -n 3 -m mpi4py.futures
# Bad input to the executor and to COMM_WORLD: clear Python exceptions, the same ones mpi4py raises.
from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor

def square(x):
    return x * x

def report(what, call):
    try:
        print(what, "->", call())
    except Exception as e:
        print(what, "->", type(e).__name__)

if __name__ == '__main__':
    report("max_workers=0", lambda: MPIPoolExecutor(max_workers=0))
    executor = MPIPoolExecutor()
    report("chunksize=0", lambda: list(executor.map(square, range(4), chunksize=0)))
    report("empty map", lambda: list(executor.map(square, [])))
    report("no such argument", lambda: executor.submit(square).result())
    report("not callable", lambda: executor.submit(42, 1).result())
    executor.shutdown()
    report("after shutdown", lambda: executor.submit(square, 1))
    comm = MPI.COMM_WORLD
    report("send to rank 99", lambda: comm.send(1, dest=99))
    report("bcast from rank 99", lambda: comm.bcast(1, root=99))
