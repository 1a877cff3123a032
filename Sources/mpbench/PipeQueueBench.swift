import ArgumentParser
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// `mpbench pipe-queue`: the tutorial's "pipes vs queues" exercise (../shared/bench/python/pipe_vs_queue.py):
/// the main process sends `count` messages and a sentinel to a reader process; timed from the first send
/// until the reader has been joined (the reader is started before the clock starts). Ours and CPython's
/// alternate round by round.
struct PipeQueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipe-queue",
        abstract: "Pipes vs queues (ints, 1 KiB and 64 KiB messages), side by side with CPython in one run.")

    @Option(help: "Rounds (each runs ours, then CPython's pipe_vs_queue.py).")
    var rounds = 2

    @Flag(help: "Skip CPython (ours only).")
    var oursOnly = false

    @Flag(help: "Also print one JSON line per figure.")
    var json = false

    struct Case: Hashable { let transport: String; let kind: String; let count: Int }

    static let sentinel = Int.min

    func run() throws {
        let cases: [(kind: String, size: Int, counts: [Int])] = [
            ("int", 0, [10_000, 100_000, 1_000_000]), ("bytes1k", 1024, [10_000, 100_000]), ("bytes64k", 65536, [1000, 10_000]),
        ]
        var ours: [Case: Sample] = [:], theirs: [Case: Sample] = [:]
        for round in 1...rounds {
            for (kind, size, counts) in cases {
                for count in counts {
                    ours[Case(transport: "pipe", kind: kind, count: count), default: Sample()].add(try timePipe(count: count, size: size))
                    ours[Case(transport: "queue", kind: kind, count: count), default: Sample()].add(try timeQueue(count: count, size: size))
                }
            }
            if !oursOnly {
                for record in runCPythonBenchmark("pipe_vs_queue.py") {
                    guard let workload = record["workload"], let count = Int(record["param"] ?? ""),
                          let rate = Double(record["ops_per_s"] ?? "") else { continue }
                    let parts = workload.split(separator: "_", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    theirs[Case(transport: parts[0], kind: parts[1], count: count), default: Sample()].add(rate)
                }
            }
            printErr("round \(round)/\(rounds) done")
        }
        print("mpbench pipe-queue — messages/s, main process → reader process, \(rounds) rounds beside CPython \(pythonVersion())")
        print(pad("workload", 22) + padLeft("count", 10) + padLeft("ours", 14) + padLeft("CPython", 14) + padLeft("ours/CPython", 15))
        for (kind, _, counts) in cases {
            for transport in ["pipe", "queue"] {
                for count in counts {
                    let key = Case(transport: transport, kind: kind, count: count)
                    let o = ours[key]?.median ?? .nan, t = theirs[key]?.median ?? .nan
                    print(pad("\(transport)_\(kind)", 22) + padLeft("\(count)", 10) + padLeft(rate(o) + "/s", 14)
                          + padLeft(t.isFinite ? rate(t) + "/s" : "n/a", 14) + padLeft(t.isFinite ? format2(o / t) + "×" : "n/a", 15))
                    if json {
                        print(jsonLine([("workload", jsonString("\(transport)_\(kind)")), ("param", "\(count)"),
                                        ("ops_per_s", format2(o)), ("cpython_ops_per_s", format2(t))]))
                    }
                }
            }
        }
    }

    /// Messages per second through a Pipe (one-way, as the exercise uses `Pipe()` ends).
    func timePipe(count: Int, size: Int) throws -> Double {
        let (output, input) = try Pipe()
        let payload = [UInt8](repeating: 0xab, count: size)
        let reader = Process(daemon: true) {
            input.close()
            if size == 0 {
                while try output.recv(as: Int.self) != PipeQueueCommand.sentinel {}
            } else {
                while try output.recvBytes().count == size {}
            }
        }
        try reader.start()
        output.close()
        let t0 = now()
        if size == 0 {
            for i in 0..<count { try input.send(value: i) }
            try input.send(value: PipeQueueCommand.sentinel)
        } else {
            for _ in 0..<count { try input.sendBytes(payload) }
            try input.sendBytes([])
        }
        try reader.join()
        let elapsed = now() - t0
        precondition(reader.exitCode == 0)
        return Double(count) / (Double(elapsed) / 1e9)
    }

    /// Messages per second through a Queue.
    func timeQueue(count: Int, size: Int) throws -> Double {
        let t: Int64
        if size == 0 {
            let q = try Queue<Int>()
            let reader = Process(daemon: true) { while try q.get() != PipeQueueCommand.sentinel {} }
            try reader.start()
            let t0 = now()
            for i in 0..<count { try q.put(i) }
            try q.put(PipeQueueCommand.sentinel)
            try reader.join()
            t = now() - t0
        } else {
            let q = try Queue<[UInt8]>()
            let payload = [UInt8](repeating: 0xab, count: size)
            let reader = Process(daemon: true) { while try q.get().count == size {} }
            try reader.start()
            let t0 = now()
            for _ in 0..<count { try q.put(payload) }
            try q.put([])
            try reader.join()
            t = now() - t0
        }
        return Double(count) / (Double(t) / 1e9)
    }
}
