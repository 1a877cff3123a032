// The shared-memory tracker: a small process of its own that removes, when the program ends, the named blocks
// that no process unlinked — CPython's resource tracker (`multiprocessing/resource_tracker.py`).
//
// Why a process. A block's name outlives every process that maps it; if nobody unlinks it, /dev/shm keeps it
// until reboot. The creator's own exit handler (`LinkedNames`) covers the creator that ends normally, but not one
// that is SIGKILLed or OOM-killed, and not a block that a child or pool worker creates for its parent: that one must
// outlive the child (the parent attaches by name after the child is gone), so the child cannot remove it at its exit.
// Something that outlives every process of the program has to.
//
// How. `start()` (in the program's first process, while it has one thread) makes an AF_UNIX SOCK_SEQPACKET pair and
// forks the tracker (twice, so that it is nobody's child: no zombie, not among anyone's children). Every process
// forked afterwards inherits the writing end. Creating a named block sends "R name", unlinking it "U name" (one
// datagram each: atomic, whatever the number of writers). The tracker reads until every writing end is closed —
// that is, until every process of the program has ended, however it ended — then unlinks the names still
// registered and prints CPython's warning. It runs in a session of its own and ignores SIGINT and SIGTERM, as
// CPython's ignores them: the tracker must outlive the program it cleans up after.
//
// With the tracker running, named blocks belong to the program, as in CPython: a block created by a child or a
// pool worker is not unlinked when that process drops it or exits, and any process may unlink a block.
import CShim
import Synchronization

import Glibc

public enum SharedMemoryTracker {
    private struct State {
        var fd: Int32 = -1
        /// The socket's identity, so that a process whose descriptors were closed and reused (a fork server's
        /// children) never writes to whatever now has that number.
        var device: UInt = 0
        var inode: UInt = 0
        /// The process that started the tracker: its blocks are also unlinked by its own exit and deinit.
        var rootPID: pid_t = 0
        var trackerPID: pid_t = 0
    }

    private static let state = Mutex(State())

    /// Starts the tracker unless one runs for this program already (a forked child shares its parent's). Only
    /// while the process has one thread (fork from a multi-threaded process is unsafe); false when it could not
    /// start one. Idempotent. Mirrors `resource_tracker.ensure_running()`.
    @discardableResult
    public static func start() -> Bool {
        if isRunning { return true }
        guard cshim_is_single_threaded() != 0 || cshim_thread_count() == 1 else { return false }
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            return false
        }
        let (reader, writer) = (ends[0], ends[1])
        let parent = getpid()
        let first = cshim_fork_flushed()
        if first == 0 {
            // The intermediate child: forks the tracker and leaves, so that the tracker is nobody's child.
            let tracker = cshim_fork_flushed()
            if tracker == 0 {
                closeDescriptor(writer)
                trackerMain(reader)
            }
            // tell the starter the tracker's pid through the socket's other direction
            var pid = tracker
            _ = withUnsafeBytes(of: &pid) { send(reader, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            _exit(tracker > 0 ? 0 : 1)
        }
        closeDescriptor(reader)
        guard first > 0 else {
            closeDescriptor(writer)
            return false
        }
        var status: Int32 = 0
        while waitpid(first, &status, 0) < 0 && errno == EINTR {}
        var trackerPID: pid_t = 0
        let got = withUnsafeMutableBytes(of: &trackerPID) { recv(writer, $0.baseAddress, $0.count, 0) }
        guard got == MemoryLayout<pid_t>.size, trackerPID > 0 else {
            closeDescriptor(writer)
            return false
        }
        var info = stat()
        guard fstat(writer, &info) == 0 else {
            closeDescriptor(writer)
            return false
        }
        state.withLock {
            $0 = State(fd: writer, device: UInt(info.st_dev), inode: UInt(info.st_ino), rootPID: parent,
                       trackerPID: trackerPID)
        }
        return true
    }

    /// Whether a tracker runs for this process (started here or inherited).
    public static var isRunning: Bool { state.withLock { usable($0) } }

    /// The tracker's pid, if one runs for this process.
    public static var trackerPID: pid_t? { state.withLock { usable($0) ? $0.trackerPID : nil } }

    /// Whether blocks created in this process belong to the program (a tracker runs, and this is not the process
    /// that started it): then they are not unlinked when this process drops them or exits.
    static var blocksOutliveThisProcess: Bool {
        state.withLock { usable($0) && $0.rootPID != getpid() }
    }

    static func register(_ name: String) { tell("R " + name) }
    static func unregister(_ name: String) { tell("U " + name) }

    private static func usable(_ s: State) -> Bool {
        guard s.fd >= 0 else { return false }
        var info = stat()
        return fstat(s.fd, &info) == 0 && UInt(info.st_dev) == s.device && UInt(info.st_ino) == s.inode
    }

    private static func tell(_ message: String) {
        state.withLock { s in
            guard usable(s) else { return }
            var bytes = Array(message.utf8)
            while send(s.fd, &bytes, bytes.count, Int32(MSG_NOSIGNAL)) < 0 && errno == EINTR {}
        }
    }

    /// The tracker process: reads registrations until every writer is gone, then unlinks what is left.
    private static func trackerMain(_ socket: Int32) -> Never {
        // A session of its own: out of the terminal's process group (a Ctrl-C or a hang-up there is the program's,
        // not the tracker's), and not counted among the program's processes by whoever looks at its session.
        _ = setsid()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var keep = [socket]
        _ = cshim_close_fds_except(3, &keep, 1)
        _ = cshim_stdin_to_devnull()
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { _ = dup2(null, 1); if null != 1 { _ = close(null) } }
        var names: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            let message = String(decoding: buffer[..<n], as: UTF8.self)
            let name = String(message.dropFirst(2))
            if message.hasPrefix("R ") {
                names.append(name)
            } else if message.hasPrefix("U "), let i = names.lastIndex(of: name) {
                names.remove(at: i)
            }
        }
        var leaked: [String] = []
        for name in names where cshim_shm_named_unlink("/" + name) == 0 { leaked.append("/" + name) }
        if !leaked.isEmpty {
            // CPython's words (resource_tracker.py), then the names: the program ended with blocks nobody unlinked
            let text = "UserWarning: resource_tracker: There appear to be \(leaked.count) leaked shared_memory objects "
                + "to clean up at shutdown: \(leaked.joined(separator: ", "))\n"
            var bytes = Array(text.utf8)
            _ = write(2, &bytes, bytes.count)
        }
        _exit(0)
    }
}
