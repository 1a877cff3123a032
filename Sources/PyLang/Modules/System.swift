// Operating-system helpers the modules share: kernel randomness (`os.urandom`, `secrets`, `uuid.uuid4`, seeding),
// `time.sleep`'s argument check, and the errno-to-exception mapping of `OSError`'s subclasses.
#if canImport(Glibc)
import Glibc
#endif
import CModules

extension Interpreter {
    /// Called between the slices of a blocking wait (a socket, a pipe, a child process): raises KeyboardInterrupt on
    /// Ctrl-C, and under a loop budget (fuzzed or untrusted programs) charges the wait to it, so that a program
    /// that waits for ever (a recv nobody answers) ends with "loop budget exhausted" as a loop would.
    func waitSliceCheck() throws {
        if let b = loopBudget { loopBudget = max(0, b - 10_000) }
        try checkInterrupt()
    }

    /// Waits until `fd` is ready for `events` (POLLIN/POLLOUT) in slices of 100 ms, checking between them
    /// (`waitSliceCheck`); nil `deadline` waits as long as it takes. Returns false when the deadline passed.
    func waitReady(_ fd: Int32, _ events: Int32, deadline: Double? = nil) throws -> Bool {
        var p = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            var slice: Int32 = 100
            if let d = deadline {
                let left = d - monoSeconds(CLOCK_MONOTONIC)
                if left <= 0 { return false }
                slice = Int32(min(left * 1000 + 1, 100))
            }
            let r = poll(&p, 1, slice)
            if r > 0 { return true }
            if r < 0 && errno != EINTR { throw osErrorNamed(errno, nil) }
            try waitSliceCheck()
        }
    }

    /// `n` bytes from the kernel's CSPRNG, retrying `EINTR` and short reads. Mirrors CPython's `_PyOS_URandom`
    /// (`Python/bootstrap_hash.c`). The corresponding C function is `getrandom`.
    func osRandomBytes(_ n: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        var filled = 0
        while filled < n {
            let r = out.withUnsafeMutableBytes { cmodules_getrandom($0.baseAddress! + filled, n - filled) }
            if r < 0 {
                let e = errno
                if e == EINTR { try checkInterrupt(); continue }
                throw osError(e)
            }
            filled += Int(r)
        }
        return out
    }

    /// The `OSError` subclass CPython raises for `errno` `e` (`Objects/exceptions.c`'s errnomap), with its message.
    func osError(_ e: Int32, _ filename: String? = nil) -> PyException {
        let name: String
        switch e {
        case ENOENT: name = "FileNotFoundError"
        case EEXIST: name = "FileExistsError"
        case EISDIR: name = "IsADirectoryError"
        case ENOTDIR: name = "NotADirectoryError"
        case EACCES, EPERM: name = "PermissionError"
        case ESRCH: name = "ProcessLookupError"
        case ECHILD: name = "ChildProcessError"
        case EINTR: name = "InterruptedError"
        case EAGAIN: name = "BlockingIOError"
        case EPIPE, ESHUTDOWN: name = "BrokenPipeError"
        case ECONNREFUSED: name = "ConnectionRefusedError"
        case ECONNRESET: name = "ConnectionResetError"
        case ECONNABORTED: name = "ConnectionAbortedError"
        case ETIMEDOUT: name = "TimeoutError"
        default: name = "OSError"
        }
        let text = "[Errno \(e)] \(String(cString: strerror(e)))"
        return err(name, filename.map { "\(text): '\($0)'" } ?? text)
    }

    /// `time.sleep`'s argument as seconds, with CPython's errors (`_PyTime_FromSecondsObject`): NaN is a
    /// ValueError, a length beyond what 64-bit nanoseconds hold an OverflowError, a negative one a ValueError.
    func sleepSeconds(_ v: Value) throws -> Double {
        let maxSeconds = Double(Int64.max) / 1e9
        switch v {
        case .int(let n):
            if n > Int(maxSeconds) || n < -Int(maxSeconds) { throw err("OverflowError", "timestamp too large to convert to C _PyTime_t") }
            if n < 0 { throw err("ValueError", "sleep length must be non-negative") }
            return Double(n)
        case .bool(let b): return b ? 1 : 0
        case .bigBox: throw err("OverflowError", "timestamp too large to convert to C _PyTime_t")
        case .float(let d):
            if d.isNaN { throw err("ValueError", "Invalid value NaN (not a number)") }
            if !(abs(d) < maxSeconds) { throw err("OverflowError", "timestamp out of range for platform time_t") }
            if d < 0 { throw err("ValueError", "sleep length must be non-negative") }
            return d
        default:
            if case .obj(let inst as PyInstance) = v, inst.cls.lookup("__float__") != nil {
                return try sleepSeconds(.float(try toDouble(v)))
            }
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
    }
}
