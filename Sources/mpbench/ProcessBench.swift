import ArgumentParser
import CShim
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

    @Flag(help: "Instead of the table: where a start+join's time goes (start, join, faults, CPU, switches), beside fork+_exit+waitpid.")
    var breakdown = false

    func run() throws {
        if breakdown { return try runBreakdown() }
        var ours = Sample(), oursP99 = Sample(), oursFour = Sample()
        var theirs = Sample(), theirsP99 = Sample(), theirsFour = Sample()
        for round in 1...rounds {
            var thisRound = Sample()
            for _ in 0..<count {
                let t0 = now()
                let p = Process {}
                try p.start()
                try p.join()
                thisRound.add(Double(now() - t0))
                precondition(p.exitCode == 0)
            }
            // As spawn.py: a p99 per round of `count`; the table shows the median over rounds, as for CPython.
            ours.values += thisRound.values
            oursP99.add(pythonPercentile(thisRound.values, 0.99))
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
        row("Process start+join, p99/round", oursP99.median, theirsP99.median)
        row("four printing workers (wall)", oursFour.median, theirsFour.median)
    }

    func row(_ label: String, _ ours: Double, _ theirs: Double) {
        print(pad(label, 34) + padLeft(format2(ours / 1e6) + " ms", 12) + padLeft(format2(theirs / 1e6) + " ms", 12)
              + padLeft(theirs.isFinite && theirs > 0 ? "1/" + format2(theirs / ours) : "n/a", 15))
    }
}


extension ProcessCommand {
    /// `--breakdown`: each start+join split into start() and join(), with the page faults, CPU time and context
    /// switches of this process and of its children (getrusage), beside fork+_exit+waitpid in the same process.
    func runBreakdown() throws {
        func report(_ label: String, _ n: Int, total: Sample, start: Sample?, join: Sample?, me: Usage, kids: Usage) {
            let d = Double(n)
            print(pad(label, 14) + padLeft(format2(total.median / 1e3) + " µs", 11)
                  + padLeft(start.map { format2($0.median / 1e3) + " µs" } ?? "-", 11)
                  + padLeft(join.map { format2($0.median / 1e3) + " µs" } ?? "-", 11)
                  + padLeft(format2(me.faults / d), 8) + padLeft(format2(kids.faults / d), 8)
                  + padLeft(format2((me.user + me.system) / d) + " µs", 12)
                  + padLeft(format2((kids.user + kids.system) / d) + " µs", 12)
                  + padLeft(format2(me.switches / d), 8))
        }
        print(pad("per start", 14) + padLeft("median", 11) + padLeft("start()", 11) + padLeft("join()", 11)
              + padLeft("flt me", 8) + padLeft("flt kid", 8) + padLeft("cpu me", 12) + padLeft("cpu kids", 12)
              + padLeft("csw me", 8))
        let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
        guard let page, page != MAP_FAILED else { throw BreakdownError.noSharedPage }
        defer { munmap(page, 4096) }
        let stamp = page.bindMemory(to: Int64.self, capacity: 1)
        for _ in 1...rounds {
            var total = Sample(), starts = Sample(), joins = Sample()
            var me0 = Usage.of(RUSAGE_SELF), kids0 = Usage.of(RUSAGE_CHILDREN)
            for _ in 0..<count {
                let t0 = now()
                let p = Process {}
                try p.start()
                let t1 = now()
                try p.join()
                let t2 = now()
                total.add(Double(t2 - t0)); starts.add(Double(t1 - t0)); joins.add(Double(t2 - t1))
            }
            report("Process", count, total: total, start: starts, join: joins,
                   me: Usage.of(RUSAGE_SELF) - me0, kids: Usage.of(RUSAGE_CHILDREN) - kids0)
            total = Sample()
            me0 = Usage.of(RUSAGE_SELF); kids0 = Usage.of(RUSAGE_CHILDREN)
            for _ in 0..<count {
                let t0 = now()
                let pid = cshim_fork_flushed()
                if pid == 0 { cshim_child_exit(0) }  // _exit without lazy binding, as a Process child
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                total.add(Double(now() - t0))
            }
            report("fork+waitpid", count, total: total, start: nil, join: nil,
                   me: Usage.of(RUSAGE_SELF) - me0, kids: Usage.of(RUSAGE_CHILDREN) - kids0)
            // Where the target runs on the way: the child writes the time its target starts into a shared page.
            var toTarget = Sample(), fromTarget = Sample()
            for _ in 0..<count {
                let t0 = now()
                let p = Process { stamp.pointee = now() }
                try p.start()
                try p.join()
                let t2 = now()
                toTarget.add(Double(stamp.pointee - t0)); fromTarget.add(Double(t2 - stamp.pointee))
            }
            print(pad("  start() to the target's first line \(format2(toTarget.median / 1e3)) µs, from there to join() "
                      + "returning \(format2(fromTarget.median / 1e3)) µs (medians; the shared page costs the child a fault)", 0))
        }
        let status = readProcFile("/proc/self/status")
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS") || line.hasPrefix("RssAnon") {
            print(line)
        }
        let maps = readProcFile("/proc/self/maps")
        print("mappings:", maps.split(separator: "\n").count)
    }
}

    /// spawn.py's `pct`: the value at index round(q * (n - 1)) of the sorted values.
private func pythonPercentile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))]
}

private enum BreakdownError: Error { case noSharedPage }

/// Page faults, CPU time (µs) and context switches from getrusage.
private struct Usage {
        var faults = 0.0, user = 0.0, system = 0.0, switches = 0.0
        static func of(_ who: __rusage_who) -> Usage {
            var u = rusage()
            getrusage(who.rawValue, &u)
            return Usage(faults: Double(u.ru_minflt + u.ru_majflt),
                         user: Double(u.ru_utime.tv_sec) * 1e6 + Double(u.ru_utime.tv_usec),
                         system: Double(u.ru_stime.tv_sec) * 1e6 + Double(u.ru_stime.tv_usec),
                         switches: Double(u.ru_nvcsw + u.ru_nivcsw))
        }
        static func - (a: Usage, b: Usage) -> Usage {
            Usage(faults: a.faults - b.faults, user: a.user - b.user, system: a.system - b.system,
                  switches: a.switches - b.switches)
        }
    }

/// A /proc file's text (its size is unknown until read); empty if it cannot be read.
func readProcFile(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
