import ArgumentParser
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// `mpbench manager`: Manager dict, list and namespace operations per second, ours beside CPython's
/// `multiprocessing.Manager()` proxies (scripts/bench/manager.py), round by round in one run.
struct ManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manager",
        abstract: "Manager dict writes/reads, list appends and namespace sets per second, beside CPython's Manager.")

    @Option(help: "Rounds (each runs ours, then CPython's scripts/bench/manager.py).")
    var rounds = 3

    @Option(help: "Operations per figure, ours.")
    var count = 100_000

    @Option(help: "Operations per figure, CPython's (each costs it tens of microseconds).")
    var cpythonCount = 10_000

    @Flag(help: "Skip CPython (ours only).")
    var oursOnly = false

    @Flag(help: "Also print one JSON line per figure (ours).")
    var json = false

    static let workloads: [(key: String, label: String)] = [
        ("manager_dict_write", "dict write d[i] = i"),
        ("manager_dict_read", "dict read d[i]"),
        ("manager_dict_write_str", "dict write d[f'key{i}'] = 'value'"),
        ("manager_dict_write_2proc", "dict write, 2 processes"),
        ("manager_list_append", "list append"),
        ("manager_namespace_set", "namespace set ns.x = i"),
    ]

    func run() throws {
        var ours: [String: Sample] = [:], theirs: [String: Sample] = [:]
        for round in 1...rounds {
            for (key, seconds) in try measureOurs(count) {
                ours[key, default: Sample()].add(seconds / Double(key.hasSuffix("2proc") ? 2 * count : count) * 1e6)
            }
            if !oursOnly {
                for record in runManagerScript(cpythonCount) {
                    guard let workload = record["workload"], let us = Double(record["us_per_op"] ?? "") else { continue }
                    theirs[workload, default: Sample()].add(us)
                }
            }
            printErr("round \(round)/\(rounds) done")
        }
        print("mpbench manager — µs per operation (median of \(rounds) rounds; ours \(count) ops, CPython \(cpythonCount) ops"
              + " per figure) beside CPython \(pythonVersion())'s Manager")
        print(pad("operation", 36) + padLeft("ours µs", 10) + padLeft("ours ops/s", 13) + padLeft("CPython µs", 12)
              + padLeft("CPython ops/s", 15) + padLeft("ours/CPython", 14))
        for (key, label) in Self.workloads {
            let o = ours[key]?.median ?? .nan, t = theirs[key]?.median ?? .nan
            print(pad(label, 36) + padLeft(format2(o), 10) + padLeft(rate(1e6 / o) + "/s", 13)
                  + padLeft(t.isFinite ? format2(t) : "n/a", 12) + padLeft(t.isFinite ? rate(1e6 / t) + "/s" : "n/a", 15)
                  + padLeft(t.isFinite ? format2(t / o) + "×" : "n/a", 14))
            if json {
                print(jsonLine([("workload", jsonString(key)), ("param", jsonString("\(count)")),
                                ("us_per_op", format2(o)), ("ops_per_s", format2(1e6 / o))]))
            }
        }
    }

    /// Our figures, in seconds per whole loop, for the same workloads as scripts/bench/manager.py.
    func measureOurs(_ n: Int) throws -> [(String, Double)] {
        let manager = try Manager()
        defer { manager.shutdown() }
        var results: [(String, Double)] = []

        let warm: SharedDictionary<Int, Int> = try manager.dict()
        for i in 0..<1000 { try warm.setValue(i, forKey: i) }

        let d: SharedDictionary<Int, Int> = try manager.dict()
        var t0 = now()
        for i in 0..<n { try d.setValue(i, forKey: i) }
        results.append(("manager_dict_write", seconds(since: t0)))

        t0 = now()
        var total = 0
        for i in 0..<n { total &+= try d.value(forKey: i) }
        results.append(("manager_dict_read", seconds(since: t0)))
        precondition(total == n * (n - 1) / 2, "wrong sum \(total)")

        let ds: SharedDictionary<String, String> = try manager.dict()
        t0 = now()
        for i in 0..<n { try ds.setValue("value", forKey: "key\(i)") }
        results.append(("manager_dict_write_str", seconds(since: t0)))

        // Two writer processes, started and waiting at a barrier; the clock runs from the barrier to both joined.
        let d2: SharedDictionary<String, Int> = try manager.dict()
        let barrier = try Barrier(parties: 3)
        let writers = (0..<2).map { w in
            Process {
                _ = try barrier.wait()
                for i in 0..<n { try d2.setValue(i, forKey: "\(w):\(i)") }
            }
        }
        for w in writers { try w.start() }
        _ = try barrier.wait(timeout: .seconds(30))
        t0 = now()
        for w in writers {
            try w.join()
            precondition(w.exitCode == 0, "a writer failed: \(w)")
        }
        results.append(("manager_dict_write_2proc", seconds(since: t0)))
        let written = try d2.count
        precondition(written == 2 * n, "lost writes: \(written) of \(2 * n)")

        let list: SharedList<Int> = try manager.list()
        t0 = now()
        for i in 0..<n { try list.append(i) }
        results.append(("manager_list_append", seconds(since: t0)))
        let appended = try list.count
        precondition(appended == n, "lost appends: \(appended) of \(n)")

        let ns = try manager.namespace()
        t0 = now()
        for i in 0..<n { try ns.set("x", i) }
        results.append(("manager_namespace_set", seconds(since: t0)))
        let last = try ns.value("x", as: Int.self)
        precondition(last == n - 1, "ns.x is \(last)")
        return results
    }

    func seconds(since t0: Int64) -> Double { Double(now() - t0) / 1e9 }

    /// scripts/bench/manager.py (from the project root), its JSON lines as flat dictionaries.
    func runManagerScript(_ n: Int) -> [[String: String]] {
        let path = "scripts/bench/manager.py"
        guard access(path, R_OK) == 0 else {
            printErr("mpbench: \(path) not found; run from the project root")
            return []
        }
        guard let output = runCommand(["python3", path, "\(n)"]) else { return [] }
        return output.split(separator: "\n").compactMap { parseFlatJSON(String($0)) }
    }
}
