// `_subprocess`: the native half of `subprocess` (Sources/CPyLib/python/subprocess.py): start a program with
// posix_spawn (cmodules_spawn), wait for it with a timeout (CShim's pidfd wait), and move bytes through its pipes
// with poll(2) so that a child filling one pipe never blocks on the other (Popen.communicate).
// Mirrors CPython's `Modules/_posixsubprocess.c` and `Popen._communicate`.
import CModules
import CShim
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    func makeSubprocessCore() -> PyModule {
        let m = PyModule(name: "_subprocess")
        /// spawn(args, executable, env, cwd, stdin, stdout, stderr) -> pid
        m.fn("spawn") { i, a, _ in
            try i.need(a, 7, "spawn")
            let args = try i.toArray(a[0]).map { try i.pathArg($0, "spawn") }
            guard let first = args.first else { throw i.err("IndexError", "list index out of range") }
            let program = a[1].isNone ? first : try i.pathArg(a[1], "spawn")
            var env: [String] = []
            if a[2].isNone {
                env = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
            } else {
                for (k, v) in try i.toArray(try i.callMethod(a[2], "items", [], [])).map({ try i.toArray($0) }).map({ ($0[0], $0[1]) }) {
                    env.append("\(try i.pathArg(k, "spawn"))=\(try i.pathArg(v, "spawn"))")
                }
            }
            let cwd = a[3].isNone ? nil : try i.pathArg(a[3], "spawn")
            let fds = try (4..<7).map { Int32(try i.intArg(a[$0])) }
            i.flushAll()
            func cStrings(_ list: [String]) -> [UnsafeMutablePointer<CChar>?] { list.map { strdup($0) } + [nil] }
            let argv = cStrings(args), envp = cStrings(env)
            defer { for p in argv + envp { free(p) } }
            var pid: pid_t = 0
            let search = !program.contains("/")
            let rc: Int32 = cwd.withOptionalCString { c in
                cmodules_spawn(program, argv, envp, c, fds[0], fds[1], fds[2], search ? 1 : 0, &pid)
            }
            if rc != 0 {
                // CPython names the program, or the directory when chdir failed
                if let c = cwd, rc == ENOENT, !FileManager.default.fileExists(atPath: c) { throw i.osErrorNamed(rc, c) }
                throw i.osErrorNamed(rc, program)
            }
            return .int(Int(pid))
        }
        /// wait(pid, timeout) -> returncode, or None when the timeout (seconds; None: no limit) passed first
        m.fn("wait") { i, a, _ in
            try i.need(a, 2, "wait")
            let pid = pid_t(try i.intArg(a[0]))
            let deadline: Double? = a[1].isNone ? nil : i.monoSeconds(CLOCK_MONOTONIC) + max(0, try i.toDouble(a[1]))
            let pidfd = cshim_pidfd_open(pid)
            defer { if pidfd >= 0 { close(pidfd) } }
            var code: Int32 = 0
            // in slices of 100 ms, so that Ctrl-C and a loop budget reach a wait for a child that does not end
            while true {
                var slice: Int64 = 100_000_000
                if let d = deadline {
                    let left = d - i.monoSeconds(CLOCK_MONOTONIC)
                    if left <= 0 { slice = 0 } else { slice = min(slice, Int64(left * 1e9)) }
                }
                let rc = cshim_wait_child(pid, pidfd, slice, &code)
                if rc == 0 { return .int(Int(code)) }
                if rc == ETIMEDOUT {
                    if let d = deadline, i.monoSeconds(CLOCK_MONOTONIC) >= d { return .none }
                    try i.waitSliceCheck()
                    continue
                }
                if rc == EINTR { try i.checkInterrupt(); continue }
                throw i.osErrorNamed(rc, nil)
            }
        }
        /// poll_status(pid) -> returncode, or None while it runs
        m.fn("poll_status") { i, a, _ in
            try i.need(a, 1, "poll_status")
            var status: Int32 = 0
            let r = waitpid(pid_t(try i.intArg(a[0])), &status, WNOHANG)
            if r == 0 { return .none }
            if r < 0 { throw i.osErrorNamed(errno, nil) }
            var code: Int32 = 0
            return cshim_exitcode_from_status(status, &code) == 1 ? .int(Int(code)) : .none
        }
        /// communicate(stdin_fd, input, stdout_fd, stderr_fd, timeout) -> (out, err, finished): writes input to
        /// stdin_fd (then closes it), reads stdout_fd and stderr_fd to their ends; -1 for a descriptor not used.
        m.fn("communicate") { i, a, _ in
            try i.need(a, 5, "communicate")
            var inFD = Int32(try i.intArg(a[0]))
            let input = a[1].isNone ? [] : try i.bytesArg(a[1])
            var outFD = Int32(try i.intArg(a[2])), errFD = Int32(try i.intArg(a[3]))
            let deadline = a[4].isNone ? nil : Optional(i.monoSeconds(CLOCK_MONOTONIC) + (try i.toDouble(a[4])))
            var written = 0
            var out: [UInt8] = [], err: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            if inFD >= 0 && input.isEmpty { close(inFD); inFD = -1 }
            while inFD >= 0 || outFD >= 0 || errFD >= 0 {
                var fds: [pollfd] = []
                if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
                if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
                if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
                var wait: Int32 = -1
                if let d = deadline {
                    let left = d - i.monoSeconds(CLOCK_MONOTONIC)
                    if left <= 0 { return .tuple(PyTuple([.obj(PyBytes(out)), .obj(PyBytes(err)), .bool(false)])) }
                    wait = Int32(min(left * 1000 + 1, 100))
                } else {
                    wait = 100
                }
                let n = poll(&fds, nfds_t(fds.count), wait)
                if n < 0 {
                    if errno == EINTR { try i.checkInterrupt(); continue }
                    throw i.osErrorNamed(errno, nil)
                }
                if n == 0 { try i.waitSliceCheck() }
                for p in fds where p.revents != 0 {
                    if p.fd == inFD {
                        let w = input.withUnsafeBytes { write(inFD, $0.baseAddress! + written, min(65536, input.count - written)) }
                        if w < 0 && errno != EINTR && errno != EAGAIN { close(inFD); inFD = -1; continue }   // EPIPE: the child stopped reading
                        if w > 0 { written += w }
                        if written >= input.count { close(inFD); inFD = -1 }
                    } else {
                        let r = buf.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, 65536) }
                        if r < 0 && errno == EINTR { continue }
                        if r <= 0 {
                            if p.fd == outFD { outFD = -1 } else { errFD = -1 }
                            continue
                        }
                        if p.fd == outFD { out += buf[0..<r] } else { err += buf[0..<r] }
                    }
                }
            }
            return .tuple(PyTuple([.obj(PyBytes(out)), .obj(PyBytes(err)), .bool(true)]))
        }
        return m
    }
}

extension Optional where Wrapped == String {
    func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let s): return s.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}
