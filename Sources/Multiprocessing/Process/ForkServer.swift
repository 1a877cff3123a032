import CShim
import Synchronization

import Glibc

/// The fork server: a single-threaded process that forks the children of the `forkserver` start method.
///
/// Start it early, while the program has one thread and after creating the `RemoteFunction`s its children will
/// run (the server knows the functions registered before it started):
///
/// ```swift
/// let work = try RemoteFunction("work") { (job: Job) in ... }
/// try ForkServer.start()
/// ```
///
/// Otherwise it starts on first use, forked from the process as it is then (if that process already has
/// threads, the server inherits the fork risk once instead of every child).
///
/// Each child is forked by the server with CLONE_PARENT, so it is a child of the process that started the
/// server: `join`, `exitCode`, `sentinel` and `activeChildren` work as with fork. The server belongs to the
/// process that started it; a child process that uses forkserver starts a server of its own. The server ends
/// when its owner ends (it reads end-of-file on its socket, or gets SIGKILL as a parent-death signal), and
/// ignores SIGINT (Ctrl-C reaches the children, not the server). Requests travel on a unix socket: the
/// function's name, the encoded argument, and the descriptors of the shared objects in it (SCM_RIGHTS).
///
/// Mirrors `multiprocessing.forkserver` (`ensure_running`, `connect_to_new_process`). Unlike CPython's, the
/// children are children of their creator, not of the server, and the server needs no resource tracker.
public enum ForkServer {
    private struct State {
        var owner: pid_t
        var socket: Int32
        var server: pid_t
    }

    private static let state = ProcessLocalLock<State?>(nil)

    /// What the server does once, before it serves (see `setPreparation`).
    private static let preparation = ProcessLocalLock<(@Sendable () -> Void)?>(nil)

    /// Sets work the server does once, in the server, right after it starts and before it forks any child: its
    /// children are forks of the server as that work left it. An embedding interpreter imports the program's main
    /// module there, as CPython's server does (`set_forkserver_preload(['__main__'])`, its default), so every child
    /// starts with it imported. Applies to servers started after the call; nil removes it.
    ///
    /// Mirrors `multiprocessing.forkserver.set_forkserver_preload`.
    public static func setPreparation(_ body: (@Sendable () -> Void)?) {
        preparation.withLock { $0 = body }
    }

    /// Starts the server for this process if it is not running. Mirrors `forkserver.ensure_running()`.
    public static func start() throws(ProcessError) {
        try ensureRunning()
    }

    /// The server's pid while this process has one running (it is a child of this process, but not a
    /// `Process`: `activeChildren()` does not list it).
    public static var pid: pid_t? {
        state.withLock { state in
            guard let current = state, current.owner == getpid() else { return nil }
            return current.server
        }
    }

    /// Asks the server for a child and returns its pid (a child of this process).
    static func startChild(_ request: ChildRequest,
                           descriptors: [Int32]) throws(ProcessError) -> (pid: pid_t, sentinel: Int32) {
        try ensureRunning()
        // One request at a time on the socket; the server forks without holding anything of ours.
        let result: Result<(pid: pid_t, sentinel: Int32), ProcessError> = state.withLock { state in
            guard let current = state, current.owner == getpid() else {
                return .failure(.startFailed(.forkserver, "the fork server stopped"))
            }
            let reply: ChildReply
            var sentinel: Int32 = -1
            do {
                try ChildChannel.send(request, descriptors: descriptors, on: current.socket)
                guard let (answer, attached) = try ChildChannel.receive(ChildReply.self, on: current.socket) else {
                    throw SystemError(operation: "fork server", errno: EPIPE, hint: "the server ended")
                }
                reply = answer
                // Where the kernel has no pidfds, a started child's sentinel comes with the answer.
                sentinel = attached.first ?? -1
                for fd in attached.dropFirst() { closeDescriptor(fd) }
            } catch {
                // The server is gone or the channel is out of step: forget it; the next request starts another.
                closeDescriptor(current.socket)
                reap(current.server)
                state = nil
                return .failure(.startFailed(.forkserver, "the fork server did not answer (\(error)); was it killed?"))
            }
            switch reply {
            case .started(let pid): return .success((pid, sentinel))
            case .refused(let why):
                if sentinel >= 0 { closeDescriptor(sentinel) }
                return .failure(.startFailed(.forkserver, why))
            }
        }
        return try result.get()
    }

    /// In a new child: the server state it inherited belongs to its creator.
    static func forgetInherited() {
        state.withLock { state in
            if let current = state, current.owner != getpid() {
                closeDescriptor(current.socket)
                state = nil
            }
        }
    }

    /// Collects a server that ended (without blocking for long: it has been told to stop).
    private static func reap(_ server: pid_t) {
        var status: Int32 = 0
        _ = sendSignal(server, SIGKILL)
        _ = try? syscall("waitpid(fork server \(server))") { waitpid(server, &status, 0) }
    }

    /// Starts this process's server unless it runs. The fork happens without `state` locked, so that neither
    /// the server nor its children inherit a held lock.
    private static func ensureRunning() throws(ProcessError) {
        let owner = getpid()
        let running = state.withLock { state -> Bool in
            guard let current = state else { return false }
            if current.owner == owner { return true }
            closeDescriptor(current.socket)  // inherited from our creator: its server, not ours
            state = nil
            return false
        }
        if running { return }
        var fds: [Int32] = [0, 0]
        let pid: pid_t
        do throws(SystemError) {
            _ = try syscall("socketpair(fork server)") {
                socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
            }
            let prepare = preparation.withLock { $0 }
            do throws(SystemError) {
                pid = try syscall("fork(fork server)", hint: { _ in "too many processes, or out of memory" }) {
                    cshim_fork_flushed()
                }
            } catch {
                closeDescriptor(fds[0])
                closeDescriptor(fds[1])
                throw error
            }
            if pid == 0 { serve(socket: fds[1], owner: owner, prepare: prepare) }
        } catch {
            throw .system(error)
        }
        closeDescriptor(fds[1])
        let lost = state.withLock { state -> Bool in
            if state != nil { return true }  // another thread started one meanwhile: keep theirs
            state = State(owner: owner, socket: fds[0], server: pid)
            return false
        }
        if lost {
            closeDescriptor(fds[0])
            reap(pid)
        }
    }

    /// The server's loop: one request at a time. Never returns.
    private static func serve(socket: Int32, owner: pid_t, prepare: (@Sendable () -> Void)?) -> Never {
        // Hold nothing of the owner's but the socket: a pipe end kept open here would never read end-of-file.
        var keep = [socket]
        _ = cshim_close_fds_except(3, &keep, 1)
        _ = cshim_stdin_to_devnull()
        _ = cshim_set_parent_death_signal(SIGKILL, owner)
        _ = Glibc.signal(SIGINT, SIG_IGN)
        var unavailable: String?
        do { _ = try syscall("clone(CLONE_PARENT)") { cshim_forkserver_prepare() } } catch {
            unavailable = "the fork server cannot fork children for its parent on this system (\(error)); use fork or spawn"
        }
        prepare?()
        while true {
            let received: (ChildRequest, [Int32])?
            do { received = try ChildChannel.receive(ChildRequest.self, on: socket) } catch {
                writeStandardError("Multiprocessing fork server: \(error)\n")
                _exit(1)
            }
            guard let (request, descriptors) = received else { _exit(0) }  // the owner closed its end
            var reply: ChildReply
            var attach: [Int32] = []
            if let why = unavailable ?? refusal(for: request) {
                reply = .refused(why)
            } else {
                // Without pidfds the child's sentinel comes back with it, to go to the owner with the answer.
                var sentinel: Int32 = -1
                do {
                    let pid = try syscall("clone(CLONE_PARENT)", retryOnInterrupt: false,
                                          hint: { _ in "too many processes, or out of memory" }) {
                        cshim_forkserver_fork_watched(&sentinel)
                    }
                    if pid == 0 {
                        closeDescriptor(socket)
                        _ = Glibc.signal(SIGINT, SIG_DFL)
                        runRequestedChild(request, descriptors: descriptors)
                    }
                    reply = .started(pid: pid)
                } catch {
                    reply = .refused(error.description)
                }
                if sentinel >= 0 { attach = [sentinel] }
            }
            for fd in descriptors { closeDescriptor(fd) }
            do { try ChildChannel.send(reply, descriptors: attach, on: socket) } catch { _exit(0) }
            for fd in attach { closeDescriptor(fd) }
        }
    }
}
