import ArgumentParser
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// `mpbench pool`: Pool and ProcessPoolExecutor, ours beside CPython's (scripts/bench/pool.py) in one run.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Pool start+teardown, map, apply round trip, imapUnordered, executor: side by side with CPython.")

    @Option(help: "Worker processes in each pool (CPython's pool_map.py uses 2).")
    var processes = 2

    @Flag(help: "Skip CPython (ours only).")
    var oursOnly = false

    @Option(help: "Profiling aid: only run map(square) over 10^6 this many times (ours), then stop.")
    var profileMap = 0

    @Option(help: "Profiling aid: only run Pool start + close + join this many times, then stop.")
    var profileStart = 0

    @Option(help: "Profiling aid: only run applyAsync(square, 3).get() this many times (ours), then stop.")
    var profileApply = 0

    @Option(help: "Profiling aid: only run imapUnordered(square) over 10^5 this many times (ours), then stop.")
    var profileImap = 0

    func run() throws {
        if profileStart > 0 {
            var sample = Sample()
            for _ in 0..<profileStart {
                let t0 = now()
                let pool = try Pool(processes: processes)
                let t1 = now()
                pool.close()
                try pool.join()
                sample.add(Double(now() - t0) / 1e6)
                if sample.values.count <= 3 { print("start", format2(Double(t1 - t0) / 1e6), "ms, total", format2(Double(now() - t0) / 1e6), "ms") }
            }
            print("Pool start + close + join, median:", format2(sample.median), "ms (min", format2(sample.min) + ", p25", format2(sample.percentile(0.25)) + ")")
            return
        }
        if profileImap > 0 {
            let square = try RemoteFunction("mpbench.square") { (x: Int) in x * x }
            try Pool.with(processes: processes) { pool in
                for _ in 0..<profileImap {
                    let t0 = now()
                    var total = 0
                    let results = try pool.imapUnordered(square, 0..<100_000)
                    while let value = try results.next() { total += value }
                    print("imapUnordered 10^5:", format2(Double(now() - t0) / 1e6), "ms")
                    precondition(total == (100_000 - 1) * 100_000 * (2 * 100_000 - 1) / 6)
                }
            }
            return
        }
        if profileApply > 0 {
            let square = try RemoteFunction("mpbench.square") { (x: Int) in x * x }
            try Pool.with(processes: processes) { pool in
                _ = try pool.map(square, 0..<100)
                var latencies = Sample()
                for _ in 0..<profileApply {
                    let t0 = now()
                    let value = try pool.applyAsync(square, 3).get()
                    latencies.add(Double(now() - t0) / 1e3)
                    precondition(value == 9)
                }
                print("applyAsync().get() median", format2(latencies.median), "µs, p99", format2(latencies.percentile(0.99)), "µs")
            }
            return
        }
        if profileMap > 0 {
            let square = try RemoteFunction("mpbench.square") { (x: Int) in x * x }
            try Pool.with(processes: processes) { pool in
                for _ in 0..<profileMap {
                    let t0 = now()
                    _ = try pool.map(square, 0..<1_000_000)
                    print("map 10^6:", format2(Double(now() - t0) / 1e6), "ms")
                }
            }
            return
        }
        // Registered before any pool: the workers are forked knowing it.
        let square = try RemoteFunction("mpbench.square") { (x: Int) in x * x }
        func expectSum(_ n: Int) -> Int { (n - 1) * n * (2 * n - 1) / 6 }
        var ours: [String: Double] = [:]  // workload/param -> seconds
        var oursP99 = 0.0

        try Pool.with(processes: processes) { pool in _ = try pool.map(square, 0..<10) }  // warm up
        var start = Sample()
        for _ in 0..<10 {
            let t0 = now()
            let pool = try Pool(processes: processes)
            pool.close()
            try pool.join()
            start.add(Double(now() - t0) / 1e9)
        }
        ours["pool_start_teardown"] = start.median

        let pool = try Pool(processes: processes)
        _ = try pool.map(square, 0..<100)
        for n in [10, 10_000, 100_000, 1_000_000] {
            // Five maps each, as in pool.py: the median, and the first (whose pages are new) on its own line.
            var times = Sample()
            for rep in 0..<5 {
                let t0 = now()
                let result = try pool.map(square, 0..<n)
                let seconds = Double(now() - t0) / 1e9
                times.add(seconds)
                precondition(result.reduce(0, +) == expectSum(n), "map(square) over \(n) gave a wrong sum")
                if rep == 0 { ours["pool_map_first n=\(n)"] = seconds }
            }
            ours["pool_map n=\(n)"] = times.median
        }

        var latencies = Sample()
        for _ in 0..<2000 {
            let t0 = now()
            let value = try pool.applyAsync(square, 3).get()
            latencies.add(Double(now() - t0) / 1e9)
            precondition(value == 9)
        }
        ours["apply_async_get"] = latencies.median
        oursP99 = latencies.percentile(0.99)

        var t0 = now()
        var total = 0
        let results = try pool.imapUnordered(square, 0..<100_000)
        while let value = try results.next() { total += value }
        ours["imap_unordered"] = Double(now() - t0) / 1e9
        precondition(total == expectSum(100_000))
        pool.close()
        try pool.join()

        try ProcessPoolExecutor.with(maxWorkers: processes) { executor in
            _ = try executor.submit(square, 1).result()
            t0 = now()
            let futures = try (0..<10_000).map { try executor.submit(square, $0) }
            var sum = 0
            for future in ProcessPoolExecutor.asCompleted(futures) { sum += try future.result() }
            ours["executor_as_completed"] = Double(now() - t0) / 1e9
            precondition(sum == expectSum(10_000))
        }

        var theirs: [String: Double] = [:]
        var theirsP99 = Double.nan
        if !oursOnly {
            let output = runCommand(["python3", "scripts/bench/pool.py", String(processes)]) ?? ""
            for record in output.split(separator: "\n").compactMap({ parseFlatJSON(String($0)) }) {
                guard let workload = record["workload"], let seconds = Double(record["seconds"] ?? "") else { continue }
                let key = workload.hasPrefix("pool_map") ? "\(workload) \(record["param"] ?? "")" : workload
                theirs[key] = seconds
                if let p99 = Double(record["p99"] ?? "") { theirsP99 = p99 }
            }
            if theirs.isEmpty { printErr("mpbench pool: no figures from scripts/bench/pool.py (run from the project root)") }
        }

        print("mpbench pool — \(processes) workers, ours beside CPython \(oursOnly ? "(skipped)" : pythonVersion())")
        print(pad("workload", 36) + padLeft("ours", 13) + padLeft("CPython", 13) + padLeft("CPython/ours", 14))
        let rows: [(String, String)] = [
            ("Pool start + close + join", "pool_start_teardown"),
            ("map(square) over 10", "pool_map n=10"),
            ("map(square) over 10^4", "pool_map n=10000"),
            ("map(square) over 10^5", "pool_map n=100000"),
            ("map(square) over 10^6", "pool_map n=1000000"),
            ("map(square) 10^6, the pool's first", "pool_map_first n=1000000"),
            ("applyAsync().get(), median", "apply_async_get"),
            ("imapUnordered over 10^5", "imap_unordered"),
            ("executor submit+asCompleted 10^4", "executor_as_completed"),
        ]
        for (label, key) in rows { row(label, ours[key] ?? .nan, theirs[key] ?? .nan) }
        row("applyAsync().get(), p99", oursP99, theirsP99)
        print("targets: map 10^6 (median of 5) >= 20x; apply median <= 1/20 (20x); start+teardown <= 1/5 (5x)")
    }

    func row(_ label: String, _ ours: Double, _ theirs: Double) {
        func show(_ seconds: Double) -> String {
            guard seconds.isFinite else { return "n/a" }
            return seconds < 1e-3 ? format2(seconds * 1e6) + " µs" : format2(seconds * 1e3) + " ms"
        }
        let ratio = theirs.isFinite && ours > 0 ? format2(theirs / ours) + "x" : "n/a"
        print(pad(label, 36) + padLeft(show(ours), 13) + padLeft(show(theirs), 13) + padLeft(ratio, 14))
    }
}
