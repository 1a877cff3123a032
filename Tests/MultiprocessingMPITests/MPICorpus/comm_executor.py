# mpirun -n 3
# MPICommExecutor: every rank enters the block; the root gets the executor, the others serve and get None.
from mpi4py import MPI
from mpi4py.futures import MPICommExecutor

def cube(x):
    return x ** 3

with MPICommExecutor(MPI.COMM_WORLD, root=0) as executor:
    if executor is not None:
        print("cubes", list(executor.map(cube, range(8), chunksize=2)))
        print("one", executor.submit(cube, 5).result())
flags = MPI.COMM_WORLD.gather(executor is None, root=0)
if MPI.COMM_WORLD.rank == 0:
    print("None on", flags)
