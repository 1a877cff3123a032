import ArgumentParser
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// `mpbench process`: Process start+join with fork, ours beside CPython's (../shared/bench/python/spawn.py),
/// round by round.
struct ProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process start+join (fork) latency, side by side with CPython in one run.")

    @Option(help: "Rounds (each runs ours, then CPython's spawn.py).")
    var rounds = 3

    @Option(help: "Sequential start+join per round, as spawn.py's 100.")
    var count = 100

    @Flag(help: "Skip CPython (ours only).")
    var oursOnly = false

    func run() throws {
        var ours = Sample(), oursFour = Sample(), theirs = Sample(), theirsP99 = Sample(), theirsFour = Sample()
        for round in 1...rounds {
            for _ in 0..<count {
                let t0 = now()
                let p = Process {}
                try p.start()
                try p.join()
                ours.add(Double(now() - t0))
                precondition(p.exitCode == 0)
            }
            // The tutorial's four printing workers, in-process and warm (spawn.py's four_workers_print).
            let devnull = open("/dev/null", O_WRONLY)
            let saved = dup(1)
            fflush(nil)
            dup2(devnull, 1)
            for _ in 0..<10 {
                let t0 = now()
                let jobs = (0..<4).map { i in Process { print("Worker:", i) } }
                for job in jobs { try job.start() }
                for job in jobs { try job.join() }
                oursFour.add(Double(now() - t0))
            }
            fflush(nil)
            dup2(saved, 1)
            close(saved)
            close(devnull)
            if !oursOnly {
                for record in runCPythonBenchmark("spawn.py") where record["param"] == "fork" {
                    if record["workload"] == "process_start_join", let ms = Double(record["median_ms"] ?? "") {
                        theirs.add(ms * 1e6)
                        if let p99 = Double(record["p99_ms"] ?? "") { theirsP99.add(p99 * 1e6) }
                    }
                    if record["workload"] == "four_workers_print", let s = Double(record["seconds"] ?? "") {
                        theirsFour.add(s * 1e9)
                    }
                }
            }
            printErr("round \(round)/\(rounds) done")
        }
        print("mpbench process — start+join with fork, \(rounds) rounds alternating with CPython \(pythonVersion())")
        print(pad("workload", 34) + padLeft("ours", 12) + padLeft("CPython", 12) + padLeft("ours/CPython", 15))
        row("Process start+join, median", ours.median, theirs.median)
        row("Process start+join, p99", ours.percentile(0.99), theirsP99.median)
        row("four printing workers (wall)", oursFour.median, theirsFour.median)
    }

    func row(_ label: String, _ ours: Double, _ theirs: Double) {
        print(pad(label, 34) + padLeft(format2(ours / 1e6) + " ms", 12) + padLeft(format2(theirs / 1e6) + " ms", 12)
              + padLeft(theirs.isFinite && theirs > 0 ? "1/" + format2(theirs / ours) : "n/a", 15))
    }
}

