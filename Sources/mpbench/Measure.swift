import CShim

#if canImport(Glibc)
import Glibc
#endif

/// Figures from several rounds: the median with min and max. The host moves our two vCPUs about, so a single
/// run means little; variants are interleaved round by round and compared by their medians.
struct Sample {
    var values: [Double] = []
    mutating func add(_ value: Double) { values.append(value) }
    var median: Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }
    func percentile(_ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[Swift.min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Forks a child running `body`, which must end the child itself or return (then the child `_exit`s 0).
/// mpbench stays single-threaded (no Dispatch, no Swift concurrency), so forking is safe.
func forkChild(_ body: () throws -> Void) -> pid_t {
    let pid = cshim_fork_flushed()
    precondition(pid >= 0, "fork failed: \(String(cString: strerror(errno)))")
    if pid == 0 {
        do { try body() } catch {
            let text = Array("mpbench child: \(error)\n".utf8)
            _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            _exit(1)
        }
        _exit(0)
    }
    return pid
}

func reap(_ pid: pid_t) {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    var code: Int32 = 0
    if cshim_exitcode_from_status(status, &code) == 1 && code != 0 {
        fatalError("benchmark child \(pid) failed with exit code \(code)")
    }
}

func now() -> Int64 { cshim_now_ns() }

/// Formats a rate like 12.3 M/s.
func rate(_ value: Double) -> String {
    if value >= 1e9 { return String(format2(value / 1e9)) + " G" }
    if value >= 1e6 { return String(format2(value / 1e6)) + " M" }
    if value >= 1e3 { return String(format2(value / 1e3)) + " k" }
    return format2(value)
}

/// Two significant decimals without Foundation.
func format2(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    let scaled = (value * 100).rounded()
    let whole = Int(scaled / 100)
    let frac = Int(abs(scaled).truncatingRemainder(dividingBy: 100))
    return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }

/// One JSON line per figure, in the format of ../shared/bench/python.
func jsonLine(_ fields: [(String, String)]) -> String {
    "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
}
func jsonString(_ s: String) -> String { "\"\(s)\"" }
