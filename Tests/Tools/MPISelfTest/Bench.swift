// The MPI executor benchmark, the Swift library's side (scripts/mpi/bench.sh runs it beside scripts/mpi/bench.py
// under CPython + mpi4py and under mpsh-mpi): the same figures, the same sizes, medians of the repeats.

import Multiprocessing
import MultiprocessingMPI

#if canImport(Glibc)
import Glibc
#endif

func seconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func bench(repeats: Int) throws {
    let executor = try MPIPoolExecutor()
    _ = try executor.map(noop, 0..<100)
    var rates: [Double] = []
    for _ in 0..<repeats {
        let n = 5000, start = seconds()
        _ = try executor.map(noop, 0..<n, chunksize: 1)
        rates.append(Double(n) / (seconds() - start))
    }
    print("tasks_chunksize_1", Int(median(rates)), "tasks/s")
    rates = []
    for _ in 0..<repeats {
        let n = 300_000, start = seconds()
        _ = try executor.map(noop, 0..<n, chunksize: 100)
        rates.append(Double(n) / (seconds() - start))
    }
    print("tasks_chunksize_100", Int(median(rates)), "tasks/s")
    var trips: [Double] = []
    for _ in 0..<repeats {
        var samples: [Double] = []
        for _ in 0..<200 {
            let start = seconds()
            _ = try executor.submit(noop, 1).result()
            samples.append(seconds() - start)
        }
        trips.append(median(samples))
    }
    print("round_trip", (median(trips) * 1e7).rounded() / 10, "us")
    var times: [Double] = []
    let n = 1_000_000
    let chunksize = (n + 4 * executor.numWorkers - 1) / (4 * executor.numWorkers)
    var last = 0
    for _ in 0..<repeats {
        let start = seconds()
        let result = try executor.map(squareInt, 0..<n, chunksize: chunksize)
        times.append(seconds() - start)
        last = result[n - 1]
    }
    precondition(last == (n - 1) * (n - 1))
    print("map_1e6_ints", (median(times) * 1e4).rounded() / 10, "ms")
    executor.shutdown()
}
