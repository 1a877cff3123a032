# The MPI executor benchmark, CPython + mpi4py's side (and mpsh-mpi's: the same program runs under both).
# Run by scripts/mpi/bench.sh under `mpirun -n 4 ... -m mpi4py.futures`: 3 workers. Prints one line per figure:
# name, the median of the repeats, the unit.
import sys
import time
from mpi4py.futures import MPIPoolExecutor

def noop(x):
    return x

def square(x):
    return x * x

def median(values):
    values = sorted(values)
    return values[len(values) // 2]

def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with MPIPoolExecutor() as executor:
        list(executor.map(noop, range(100)))          # workers up
        rates = []
        for _ in range(repeats):
            n = 5000
            start = time.perf_counter()
            list(executor.map(noop, range(n), chunksize=1))
            rates.append(n / (time.perf_counter() - start))
        print("tasks_chunksize_1", round(median(rates)), "tasks/s")
        rates = []
        for _ in range(repeats):
            n = 300000
            start = time.perf_counter()
            list(executor.map(noop, range(n), chunksize=100))
            rates.append(n / (time.perf_counter() - start))
        print("tasks_chunksize_100", round(median(rates)), "tasks/s")
        trips = []
        for _ in range(repeats):
            samples = []
            for _ in range(200):
                start = time.perf_counter()
                executor.submit(noop, 1).result()
                samples.append(time.perf_counter() - start)
            trips.append(median(samples))
        print("round_trip", round(median(trips) * 1e6, 1), "us")
        times = []
        n = 10 ** 6
        chunksize = -(-n // (4 * executor.num_workers))  # multiprocessing.Pool.map's default
        for _ in range(repeats):
            start = time.perf_counter()
            result = list(executor.map(square, range(n), chunksize=chunksize))
            times.append(time.perf_counter() - start)
        assert result[-1] == (n - 1) ** 2
        print("map_1e6_ints", round(median(times) * 1e3, 1), "ms")

if __name__ == '__main__':
    main()
