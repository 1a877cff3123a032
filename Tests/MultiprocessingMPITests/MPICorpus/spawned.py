# alone
# A singleton: MPIPoolExecutor spawns its workers (MPI_Comm_spawn of this program).
from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor

def where(x):
    return x + 1000

if __name__ == '__main__':
    print("world", MPI.COMM_WORLD.Get_size())
    with MPIPoolExecutor(max_workers=2) as executor:
        print("workers", executor.num_workers)
        print(list(executor.map(where, range(6), chunksize=2)))
