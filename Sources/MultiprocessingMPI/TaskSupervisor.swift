// Crash isolation on a worker rank: tasks run in a child process, never in the MPI process itself.
//
//   worker rank (MPI, threads) ──control socket──▶ supervisor (no MPI, one thread) ──fork──▶ task runner
//              └──────────────────────────── task socket (passed by SCM_RIGHTS) ──────────────▲
//
// MPI_Init starts threads (Open MPI's progress and PMIx threads), and a process must fork only while it is
// single-threaded: so before MPI_Init every would-be worker forks a supervisor, which never touches MPI. When the
// rank needs a runner, the supervisor forks one (it is single-threaded: fork is safe) with a socketpair, and hands
// the rank its end; the rank then talks to the runner directly (no relay: a 64 MiB result crosses one socket).
// A runner that segfaults or calls _exit ends its socket; the rank asks the supervisor to reap it, which answers
// with how it ended (the signal), fails that item with an error naming rank, host and signal, and gets a new runner.
//
// Nothing here is MPI's fault tolerance: a rank (or host) that dies is still the end of the job (MPI's rule).

import CShim
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes length-prefixed frames on a stream socket: a u32 length, then the bytes.
enum Frame {
    /// Writes one frame (one buffer: one system call for a small frame). Throws on a closed peer (EPIPE).
    static func write(_ fd: Int32, _ payload: [UInt8]) throws(SystemError) {
        var frame = [UInt8]()
        frame.reserveCapacity(payload.count + 4)
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { frame.append(contentsOf: $0) }
        frame.append(contentsOf: payload)
        var offset = 0
        while offset < frame.count {
            // MSG_NOSIGNAL: a runner that died must not kill its rank with SIGPIPE; the rank reads EPIPE instead.
            offset += try syscall("send(task socket)") {
                frame.withUnsafeBytes { raw in send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    /// Reads one frame; nil at end of file (the peer is gone).
    static func read(_ fd: Int32) throws(SystemError) -> [UInt8]? {
        var reader = FrameReader(fd)
        return try reader.next()
    }
}

/// Reads frames through a buffer: a stream of small answers costs one read(2) per buffer, not two per frame.
struct FrameReader {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0

    init(_ fd: Int32) { self.fd = fd }

    /// The next frame; nil at end of file (before or inside a frame: the peer died either way).
    mutating func next() throws(SystemError) -> [UInt8]? {
        guard try fill(4) else { return nil }
        let length = buffer.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt32.self))) }
        start += 4
        if length <= buffer.count {
            guard try fill(length) else { return nil }
            defer { start += length }
            return Array(buffer[start..<start + length])
        }
        // larger than the buffer: what is buffered, then the rest read straight into the frame
        var frame = [UInt8](repeating: 0, count: length)
        let buffered = end - start
        frame.withUnsafeMutableBytes { target in
            buffer.withUnsafeBytes { source in
                target.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: buffered)
            }
        }
        start = 0
        end = 0
        var offset = buffered
        while offset < length {
            let got = try syscall("read(task socket)") {
                frame.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + offset, length - offset) }
            }
            if got == 0 { return nil }
            offset += got
        }
        return frame
    }

    /// Makes `count` bytes available from `start`; false at end of file.
    private mutating func fill(_ count: Int) throws(SystemError) -> Bool {
        if end - start >= count { return true }
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        while end - start < count {
            let got = try syscall("read(task socket)") { [end] in
                buffer.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress! + end, raw.count - end) }
            }
            if got == 0 { return false }
            end += got
        }
        return true
    }
}

/// The rank's end of its supervisor. Mirrors nothing in mpi4py (whose workers run tasks in the rank itself).
final class TaskSupervisor: @unchecked Sendable {
    /// The rank's end of the control socket.
    private let control: Int32
    /// The supervisor's pid.
    let pid: pid_t

    private init(control: Int32, pid: pid_t) {
        self.control = control
        self.pid = pid
    }

    /// Forks the supervisor. Call only while single-threaded, before MPI_Init.
    static func start() throws(SystemError) -> TaskSupervisor {
        var fds: [Int32] = [0, 0]
        _ = try syscall("socketpair(supervisor)") {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        }
        fflush(nil)  // what the program buffered must not be written twice
        let child = try syscall("fork(supervisor)") { fork() }
        if child == 0 {
            closeDescriptor(fds[0])
            supervise(fds[1])
        }
        closeDescriptor(fds[1])
        return TaskSupervisor(control: fds[0], pid: child)
    }

    /// A new task runner: its pid and the rank's end of its task socket.
    func spawnRunner() throws(SystemError) -> (pid: pid_t, socket: Int32) {
        try Frame.write(control, [UInt8(ascii: "S")])
        var answer = [UInt8](repeating: 0, count: 8)
        var fds: [Int32] = [-1]
        var count: Int32 = 0
        let rc = cshim_socket_recv_with_fds(control, &answer, answer.count, &fds, 1, &count)
        guard rc == 0 else {
            throw SystemError(operation: "recv(supervisor)", errno: rc == -2 ? EPIPE : errno,
                              hint: "the task supervisor of this rank is gone")
        }
        let pid = answer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: Int32.self) }
        let error = answer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: Int32.self) }
        guard error == 0, count == 1 else {
            throw SystemError(operation: "fork(task runner)", errno: error == 0 ? EPROTO : error)
        }
        return (pid, fds[0])
    }

    /// Waits for the runner `pid` (whose socket ended) and returns how it ended: its exit code, or minus the
    /// signal number that killed it.
    func reap(_ pid: pid_t) throws(SystemError) -> Int32 {
        var writer = WireWriter()
        writer.u8(UInt8(ascii: "R"))
        writer.i32(pid)
        try Frame.write(control, writer.bytes)
        guard let answer = try Frame.read(control) else {
            throw SystemError(operation: "read(supervisor)", errno: EPIPE, hint: "the task supervisor of this rank is gone")
        }
        return WireReader.reading(answer) { $0.i32() } ?? 0
    }

    /// Ends the supervisor (it kills and reaps any runner left) and waits for it.
    func close() {
        closeDescriptor(control)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// The supervisor's loop (in the forked child; never returns).
    private static func supervise(_ control: Int32) -> Never {
        signal(SIGINT, SIG_IGN)  // Ctrl-C in mpirun's terminal is the rank's to handle, not ours
        var runners: Set<pid_t> = []
        while true {
            guard let request = try? Frame.read(control), let kind = request.first else { break }
            if kind == UInt8(ascii: "S") {
                var fds: [Int32] = [0, 0]
                var pid: pid_t = -1
                var error: Int32 = 0
                if socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) != 0 {
                    error = errno
                } else {
                    fflush(nil)
                    pid = fork()
                    if pid == 0 {
                        closeDescriptor(control)
                        closeDescriptor(fds[0])
                        TaskRunner.serve(fds[1])
                    }
                    if pid < 0 { error = errno }
                    closeDescriptor(fds[1])
                }
                var answer = [UInt8](repeating: 0, count: 8)
                answer.withUnsafeMutableBytes { raw in
                    raw.storeBytes(of: pid, toByteOffset: 0, as: Int32.self)
                    raw.storeBytes(of: error, toByteOffset: 4, as: Int32.self)
                }
                let passed: [Int32] = error == 0 ? [fds[0]] : []
                let rc = cshim_socket_send_with_fds(control, answer, answer.count, passed, Int32(passed.count))
                if error == 0 {
                    closeDescriptor(fds[0])
                    runners.insert(pid)
                }
                if rc != 0 { break }
            } else if kind == UInt8(ascii: "R") {
                let pid = WireReader.reading(request) { reader -> Int32? in
                    _ = reader.u8()
                    return reader.i32()
                } ?? -1
                var status: Int32 = 0
                var code: Int32 = 0
                while waitpid(pid, &status, 0) < 0 {
                    if errno != EINTR { break }
                }
                runners.remove(pid)
                // WIFSIGNALED / WTERMSIG / WEXITSTATUS are macros: the bits by hand, as <sys/wait.h> defines them.
                if status & 0x7f != 0 { code = -(status & 0x7f) } else { code = (status >> 8) & 0xff }
                var writer = WireWriter()
                writer.i32(code)
                if (try? Frame.write(control, writer.bytes)) == nil { break }
            }
        }
        // The rank is gone or done: no runner outlives it.
        for pid in runners { kill(pid, SIGKILL) }
        for pid in runners {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        _exit(0)
    }
}

/// The task runner: runs the calls its rank sends, one answer frame per unit (a chunk: with chunksize 1, one call). Lives in a child of the supervisor.
enum TaskRunner {
    /// Request kinds on the task socket.
    static let initialize = UInt8(ascii: "I"), items = UInt8(ascii: "T")
    /// Answer statuses: the result's bytes, or the error's type name and text.
    static let ok: UInt8 = 0, failed: UInt8 = 1

    static func serve(_ socket: Int32) -> Never {
        signal(SIGINT, SIG_IGN)
        // A task that crashes ends with its signal, which its error names; the Swift runtime's backtracer (a page
        // of registers per crash, on the job's output) is left to the program's own processes.
        for crash in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] { signal(crash, SIG_DFL) }
        while let request = try? Frame.read(socket) {
            WireReader.reading(request) { reader in
                switch reader.u8() {
                case initialize?:
                    let name = reader.string() ?? "", argument = reader.blob() ?? []
                    if (try? Frame.write(socket, run(name, argument))) == nil { _exit(0) }
                    fflush(nil)
                case items?:
                    // units (chunks); one answer frame per unit, its segments
                    let units = Int(reader.u32() ?? 0)
                    for _ in 0..<units {
                        let name = reader.string() ?? "", count = Int(reader.u32() ?? 0)
                        let payload = reader.blobRange().map { request[$0] } ?? []
                        let answer = runUnit(name, count: count, payload: payload)
                        fflush(nil)  // a task's prints reach mpirun before its result
                        if (try? Frame.write(socket, answer)) == nil { _exit(0) }
                    }
                default:
                    _exit(2)
                }
            }
        }
        fflush(nil)
        _exit(0)
    }

    /// A unit (chunk): its items decoded together and run by the function's typed runner (the library's
    /// `PoolBatchRegistry`, which `RemoteFunction` fills), its results encoded together: the answer's segments.
    static func runUnit(_ name: String, count: Int, payload: ArraySlice<UInt8>) -> [UInt8] {
        let segments: [PoolSegment]
        if let runner = PoolBatchRegistry.runner(name) {
            segments = runner.run(payload, count: count, beforeItem: { _ in })
        } else {
            let failure = PoolSegment.failure(typeName: "RemoteFunctionError",
                                              message: RemoteFunctionError.unknownFunction(name).description)
            segments = Array(repeating: failure, count: count)
        }
        var writer = WireWriter()
        writer.u32(UInt32(segments.count))
        for segment in segments {
            switch segment {
            case let .values(bytes, count):
                writer.u8(Wire.values)
                writer.u32(UInt32(count))
                writer.blob(bytes)
            case let .failure(typeName, message):
                writer.u8(Wire.error)
                writer.string(typeName)
                writer.string(message)
            case .inPlace:  // only for the local pool's shared arena
                writer.u8(Wire.error)
                writer.string("RemoteFunctionError")
                writer.string("results written in place cannot travel over MPI")
            }
        }
        return writer.bytes
    }

    /// One call (an initializer): status byte, then the result's bytes or the error's type name and description.
    static func run(_ name: String, _ argument: [UInt8]) -> [UInt8] {
        var writer = WireWriter()
        do {
            let result = try FunctionRegistry.call(name, argument: argument)
            writer.u8(ok)
            writer.bytes.append(contentsOf: result)
        } catch {
            writer.u8(failed)
            writer.string(String(describing: type(of: error)))
            writer.string(String(describing: error))
        }
        return writer.bytes
    }
}
