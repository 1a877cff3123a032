import ArgumentParser
import Multiprocessing

/// `mpbench lock`: Lock, RLock and SharedValue costs beside CPython's ../shared/bench/python/lock.py.
struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Lock acquire+release (uncontended) and locked increments (2 processes), beside CPython.")

    @Option(help: "Rounds (each runs ours, then CPython's lock.py).")
    var rounds = 3

    @Flag(help: "Skip CPython (ours only).")
    var oursOnly = false

    func run() throws {
        var ours: [String: Sample] = [:], theirs: [String: Sample] = [:]
        let n = 1_000_000
        for round in 1...rounds {
            let lock = try Lock()
            ours["Lock acquire/release", default: Sample()].add(try nanosecondsPerPair(n) {
                _ = try lock.acquire()
                try lock.release()
            })
            ours["Lock with", default: Sample()].add(try nanosecondsPerPair(n) { try lock.withLock {} })
            let rlock = try RLock()
            ours["RLock acquire/release", default: Sample()].add(try nanosecondsPerPair(n) {
                _ = try rlock.acquire()
                try rlock.release()
            })
            // Contended: 2 processes x 100,000 locked increments of a shared value, exact count checked.
            let value = try SharedValue(Int32(0))
            let t0 = now()
            let workers = (0..<2).map { _ in Process { for _ in 0..<100_000 { value.withLock { $0 += 1 } } } }
            for w in workers { try w.start() }
            for w in workers { try w.join() }
            let elapsed = Double(now() - t0)
            precondition(value.value == 200_000, "lost increments: \(value.value)")
            ours["2 processes x 1e5 locked increments", default: Sample()].add(elapsed / 200_000)
            if !oursOnly {
                for record in runCPythonBenchmark("lock.py") {
                    guard let param = record["param"] else { continue }
                    if record["workload"] == "lock_uncontended", let ns = Double(record["ns_per_pair"] ?? "") {
                        let key = param.hasPrefix("mp.Lock acquire") ? "Lock acquire/release"
                            : param.hasPrefix("mp.Lock with") ? "Lock with" : param.hasPrefix("mp.RLock") ? "RLock acquire/release" : nil
                        if let key { theirs[key, default: Sample()].add(ns) }
                    }
                    if record["workload"] == "lock_contended", param == "Value.get_lock()", let rate = Double(record["ops_per_s"] ?? "") {
                        theirs["2 processes x 1e5 locked increments", default: Sample()].add(1e9 / rate)
                    }
                }
            }
            printErr("round \(round)/\(rounds) done")
        }
        print("mpbench lock — ns per operation (median of \(rounds) rounds) beside CPython \(pythonVersion())")
        print(pad("operation", 40) + padLeft("ours", 10) + padLeft("CPython", 10) + padLeft("CPython/ours", 14))
        for key in ["Lock acquire/release", "Lock with", "RLock acquire/release", "2 processes x 1e5 locked increments"] {
            let o = ours[key]?.median ?? .nan, t = theirs[key]?.median ?? .nan
            print(pad(key, 40) + padLeft(format2(o), 10) + padLeft(t.isFinite ? format2(t) : "n/a", 10)
                  + padLeft(t.isFinite ? format2(t / o) + "×" : "n/a", 14))
        }
    }

    /// Best of 5 timed loops of `n` pairs, in ns per pair (the machine is noisy; the best is the cost).
    func nanosecondsPerPair(_ n: Int, _ body: () throws -> Void) throws -> Double {
        for _ in 0..<10_000 { try body() }
        var best = Double.infinity
        for _ in 0..<5 {
            let t0 = now()
            for _ in 0..<n { try body() }
            best = min(best, Double(now() - t0) / Double(n))
        }
        return best
    }
}
