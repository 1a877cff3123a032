import CShim
import Synchronization

import Glibc

/// A child process running a Swift closure.
///
/// ```swift
/// let p = Process(name: "worker") { print("hello from", Process.current.name) }
/// try p.start()
/// try p.join()
/// print(p.exitCode!)        // 0
/// ```
///
/// CPython's rules: a process starts once; only its creator starts, joins or polls it; `exitCode` is 0, the code
/// given to `ProcessExit`, 1 when the target threw, or minus the signal number that killed it; names default to
/// `Process-N` with one counter per creating process (`Process-2:1` for a grandchild); children that are still
/// running when their creator exits normally are joined, daemonic ones terminated first.
///
/// Better than CPython: a child dies with a creator that crashes (a parent-death signal) unless it was created
/// with `diesWithParent: false`; `sentinel` is a pidfd (on kernels that have them), which cannot be confused with a
/// reused pid.
///
/// Start methods (see `StartMethod`): a closure target (or a `run()` override) can only be forked: the child
/// must already hold the closure. fork() is only safe while the process has one thread; from a multi-threaded
/// process the child may deadlock on a lock another thread held, and, as CPython 3.12 does, we say so once on
/// standard error. A process made with `Process(function:argument:)` runs a `RemoteFunction` and works under
/// every start method; its argument may hold queues, pipes, locks and the other shared objects:
///
/// ```swift
/// struct Job: Codable { let results: Queue<Int>; let n: Int }
/// let square = try RemoteFunction("square") { (job: Job) in try job.results.put(job.n * job.n) }
/// let p = Process(startMethod: .spawn, function: square, argument: Job(results: q, n: 7))
/// ```
///
/// Subclasses may override `run()` instead of passing a target, as in CPython:
///
/// ```swift
/// final class Consumer: Process {
///     let tasks: JoinableQueue<Int>
///     init(tasks: JoinableQueue<Int>) { self.tasks = tasks; super.init() }
///     override func run() throws { while let n = try? tasks.get(), n >= 0 { print(name, n); try tasks.taskDone() } }
/// }
/// ```
///
/// Mirrors `multiprocessing.Process`.
open class Process {
    /// Where a process is in its life. Mirrors the status words of CPython's repr.
    public enum State: String, Sendable {
        case initial, started, stopped, closed
    }

    /// The process's name: `Process-N` by default. Settable until it starts. Mirrors `Process.name`.
    public var name: String
    /// Whether the process is daemonic: terminated when its creator exits, and not allowed children of its own.
    /// Settable until it starts. Mirrors `Process.daemon`.
    public var daemon: Bool {
        didSet { precondition(popen == nil, "a process's daemon flag cannot change once it has started") }
    }
    /// Whether the child is killed if its creator dies first (SIGKILL via PR_SET_PDEATHSIG).
    public let diesWithParent: Bool
    /// How the child is created; nil: `getStartMethod()` at `start()` (a closure target is then forked).
    /// Settable until it starts. Mirrors the method of the context a CPython process comes from.
    public var startMethod: StartMethod? {
        didSet { precondition(popen == nil, "a process's start method cannot change once it has started") }
    }

    private let target: (() throws -> Void)?
    private let remote: RemoteCall?
    private let identity: [Int]
    private let creatorPID: pid_t
    private let creatorName: String
    private var popen: Popen?
    private var closed = false

    /// Creates a process that will run `target` once started.
    /// - Parameters:
    ///   - name: defaults to `Process-N`.
    ///   - daemon: see `daemon`; by default inherited from the creating process (which, if daemonic, may not
    ///     start children anyway).
    ///   - diesWithParent: kill the child if its creator dies before it (default true).
    public init(name: String? = nil, daemon: Bool? = nil, diesWithParent: Bool = true,
                target: (() throws -> Void)? = nil) {
        let (identity, inheritedDaemon, creatorName) = ProcessTable.shared.newChildIdentity()
        self.identity = identity
        self.name = name ?? "Process-" + identity.map(String.init).joined(separator: ":")
        self.daemon = daemon ?? inheritedDaemon
        self.diesWithParent = diesWithParent
        self.target = target
        self.remote = nil
        self.creatorPID = getpid()
        self.creatorName = creatorName
    }

    /// Creates a process that will run `function(argument)` (the result is discarded), under any start method.
    /// With forkserver and spawn, `argument` is encoded at `start()`: the shared objects in it (queues, pipes,
    /// locks, values, shared memory) travel as descriptors and are the same objects in the child.
    /// - Parameters: as `init(name:daemon:diesWithParent:target:)`, and `startMethod` (nil: `getStartMethod()`).
    ///
    /// Mirrors `multiprocessing.Process(target=function, args=(argument,))`.
    public init<Argument: Codable, Result: Codable>(
        name: String? = nil, daemon: Bool? = nil, diesWithParent: Bool = true, startMethod: StartMethod? = nil,
        function: RemoteFunction<Argument, Result>, argument: Argument
    ) {
        let (identity, inheritedDaemon, creatorName) = ProcessTable.shared.newChildIdentity()
        self.identity = identity
        self.name = name ?? "Process-" + identity.map(String.init).joined(separator: ":")
        self.daemon = daemon ?? inheritedDaemon
        self.diesWithParent = diesWithParent
        self.startMethod = startMethod
        self.target = nil
        self.remote = RemoteCall(function: function.name,
                                 runHere: { _ = try function(argument) },
                                 encode: { try function.encodeArgument(argument) })
        self.creatorPID = getpid()
        self.creatorName = creatorName
    }

    /// A process that takes the place of `other` (not started): its number, name, daemon flag and creator, with
    /// `function(argument)` as its target. For an embedding interpreter that learns how a process will start only
    /// at `start()` (a Python `Process` made before `set_start_method`): the number taken when `other` was made
    /// stays the process's own, as CPython's `_identity`.
    package init<Argument: Codable, Result: Codable>(
        replacing other: Process, startMethod: StartMethod, function: RemoteFunction<Argument, Result>,
        argument: Argument
    ) {
        precondition(other.popen == nil, "Process(replacing:): the process has started")
        identity = other.identity
        name = other.name
        daemon = other.daemon
        diesWithParent = other.diesWithParent
        self.startMethod = startMethod
        target = nil
        remote = RemoteCall(function: function.name,
                            runHere: { _ = try function(argument) },
                            encode: { try function.encodeArgument(argument) })
        creatorPID = other.creatorPID
        creatorName = other.creatorName
    }

    /// The process this code runs in, as a `Process` value that is never started: for an embedding interpreter
    /// whose child must describe itself (its name, number and daemon flag) without taking a number from its own
    /// counter. Mirrors the process object a CPython child unpickles and runs.
    package init(describingCurrent: Void) {
        let current = ProcessTable.shared.current
        let parent = ProcessTable.shared.parent
        identity = current.identity
        name = current.name
        daemon = current.daemon
        diesWithParent = true
        target = nil
        remote = nil
        creatorPID = parent?.pid ?? getppid()
        creatorName = parent?.name ?? "MainProcess"
    }

    // MARK: Life cycle

    /// Starts the child. Mirrors `Process.start()`.
    public func start() throws(ProcessError) {
        try checkNotClosed()
        guard popen == nil else { throw .alreadyStarted }
        guard creatorPID == getpid() else { throw .notCreator("start") }
        guard !ProcessTable.shared.currentIsDaemon else { throw .daemonCannotHaveChildren }
        ProcessTable.shared.reapFinished()
        let method = try resolvedStartMethod()
        let popen = method == .fork ? try Popen.fork(self) : try Popen.request(method, childRequest())
        self.popen = popen
        ProcessTable.shared.adopt(self, pid: popen.pid)
    }

    /// The method `start()` uses: the process's, else the one set, else the default (a closure target is then
    /// forked whatever the default, since it cannot travel).
    private func resolvedStartMethod() throws(ProcessError) -> StartMethod {
        let chosen = startMethod ?? explicitStartMethod
        guard remote != nil else {
            if let chosen, chosen != .fork { throw .targetCannotTravel(chosen) }
            return .fork
        }
        return chosen ?? getStartMethod()
    }

    /// What a child started by the fork server or by spawn is told: the function, the encoded argument (its
    /// shared objects' descriptors beside it), and who the child is.
    private func childRequest() throws(ProcessError) -> (ChildRequest, [Int32]) {
        guard let remote else { throw .targetCannotTravel(startMethod ?? .spawn) }
        do {
            let (argument, descriptors) = try DescriptorTransfer.sending { try remote.encode() }
            let request = ChildRequest(function: remote.function, argument: argument, name: name, identity: identity,
                                       daemon: daemon, diesWithParent: diesWithParent, parentPID: creatorPID,
                                       parentName: creatorName)
            return (request, descriptors)
        } catch {
            throw .argumentNotSendable("\(error)")
        }
    }

    /// Runs in the child, after fork: runs the target, cleans up, exits. Never returns.
    ///
    /// Kept to a few pages of code and data, since each page a new child touches costs it a page fault: the child
    /// records which process it is in C and the process table rebuilds itself from that only if the target asks
    /// (`Process.current`, a child of its own ...); the exit path skips the table when it was never used.
    fileprivate final func runInChild() -> Never {
        cshim_forked_child_begin(Unmanaged.passUnretained(self).toOpaque(), diesWithParent ? SIGKILL : 0,
                                 creatorPID)
        var code: Int32 = 0
        do {
            try run()
        } catch let exit as ProcessExit {
            code = exit.code
        } catch {
            // CPython prints "Process Process-1:" and the traceback; we print the error, which says what failed.
            writeStandardError("Process \(name):\n\(error)\n")
            code = 1
        }
        if cshim_forked_child_table_settled() != 0 { ProcessTable.shared.cleanUpChildren() }
        cshim_child_exit(code)
    }

    /// Who a forked child is, for the process table (read only in that child).
    fileprivate var childIdentity: (identity: [Int], name: String, daemon: Bool, parent: ParentProcess) {
        (identity, name, daemon, ParentProcess(name: creatorName, pid: creatorPID))
    }

    /// What the child does: calls the target given at creation. Override it in a subclass instead of passing a
    /// target. Runs in the child process. Mirrors `Process.run()`.
    open func run() throws {
        if let remote { try remote.runHere() } else { try target?() }
    }

    /// Waits for the child to finish, at most `timeout` (`nil`: for ever). Returns whether it finished; after a
    /// timeout the process is still running and `exitCode` is nil. Mirrors `Process.join(timeout)`.
    @discardableResult
    public func join(timeout: Duration? = nil) throws(ProcessError) -> Bool {
        try checkNotClosed()
        guard creatorPID == getpid() else { throw .notCreator("join") }
        guard let popen else { throw .notStarted("join") }
        let finished = try popen.wait(timeout: timeout)
        if finished { ProcessTable.shared.forget(pid: popen.pid) }
        return finished
    }

    /// Whether the child is running. Reaps it if it has finished. Mirrors `Process.is_alive()`.
    public var isAlive: Bool {
        guard !closed, creatorPID == getpid(), let popen else { return false }
        return (try? popen.wait(timeout: .zero)) == false
    }

    /// The child's pid once started. Mirrors `Process.pid`.
    public var pid: pid_t? { popen?.pid }

    /// The exit code once the child has finished and been waited for: 0, the code given to `ProcessExit`, 1 for
    /// a thrown error, or minus the number of the signal that killed it. Mirrors `Process.exitcode`.
    public var exitCode: Int32? {
        guard let popen else { return nil }
        if popen.exitCode == nil, creatorPID == getpid() { _ = try? popen.wait(timeout: .zero) }
        return popen.exitCode
    }

    /// A descriptor that becomes readable when the child finishes, for `poll` or `Connection.wait`: a pidfd, or
    /// where the kernel has no pidfd_open (before 5.3, or a sandbox that refuses it) a pipe or socket whose other
    /// end only the child holds open, as CPython's. Mirrors `Process.sentinel`.
    public var sentinel: Int32 {
        get throws(ProcessError) {
            try checkNotClosed()
            guard let popen else { throw .notStarted("sentinel") }
            guard popen.sentinel >= 0 else {
                throw .system(SystemError(operation: "pidfd_open(\(popen.pid))", errno: ENOSYS,
                                          hint: "no pidfds here, and the child's sentinel could not be made"))
            }
            return popen.sentinel
        }
    }

    /// Sends SIGTERM. Mirrors `Process.terminate()`.
    public func terminate() throws(ProcessError) { try signal(SIGTERM) }

    /// Sends SIGKILL. Mirrors `Process.kill()`.
    public func kill() throws(ProcessError) { try signal(SIGKILL) }

    private func signal(_ number: Int32) throws(ProcessError) {
        try checkNotClosed()
        guard let popen else { throw .notStarted("signal") }
        popen.send(signal: number)
    }

    /// Releases the resources held for a finished process; most properties then throw or return nil.
    /// Mirrors `Process.close()`.
    public func close() throws(ProcessError) {
        guard !closed else { return }
        if let popen {
            guard (try? popen.wait(timeout: .zero)) == true else { throw .stillRunning }
            popen.release()
            ProcessTable.shared.forget(pid: popen.pid)
        }
        closed = true
    }

    private func checkNotClosed() throws(ProcessError) {
        if closed { throw .closed }
    }

    /// The process's state, as CPython's repr names it.
    public var state: State {
        if closed { return .closed }
        guard let popen else { return .initial }
        if popen.exitCode != nil || (creatorPID == getpid() && (try? popen.wait(timeout: .zero)) == true) {
            return .stopped
        }
        return .started
    }

    // MARK: The process tree

    /// The process this code runs in: `MainProcess` at the top, or the `Process` a child is running.
    /// Mirrors `multiprocessing.current_process()`.
    public static var current: CurrentProcess { ProcessTable.shared.current }

    /// The process that started this one, or nil in the main process. Mirrors `parent_process()`.
    public static var parent: ParentProcess? { ProcessTable.shared.parent }

    /// The children of this process that are still running (finished ones are reaped).
    /// Mirrors `multiprocessing.active_children()`.
    public static func activeChildren() -> [Process] {
        ProcessTable.shared.reapFinished()
        return ProcessTable.shared.children
    }

    /// The number of CPUs this process may run on (its affinity mask), not the machine's total.
    /// Mirrors `multiprocessing.cpu_count()` (which counts the machine's CPUs: we count the usable ones).
    public static var cpuCount: Int { Int(cshim_usable_cpu_count()) }

    /// Says that this process's other threads are parked while it forks (an embedding interpreter whose main
    /// thread only waits for the thread that runs the program), so the multi-threaded warning is not printed.
    public static func otherThreadsAreParkedAtFork() { ProcessTable.shared.skipThreadWarning() }
}

extension Process: CustomStringConvertible {
    /// `<Process name='Process-1' pid=1234 parent=1200 started daemon>`, as CPython's repr (a subclass shows its own name).
    public var description: String {
        var parts = [String(describing: type(of: self)), "name='\(name)'"]
        if let pid = popen?.pid { parts.append("pid=\(pid)") }
        parts.append("parent=\(creatorPID)")
        let state = self.state
        parts.append(creatorPID == getpid() || state == .closed || popen == nil ? state.rawValue : "unknown")
        if state == .stopped, let code = popen?.exitCode { parts.append("exitcode=\(exitCodeName(code))") }
        if daemon { parts.append("daemon") }
        return "<" + parts.joined(separator: " ") + ">"
    }
}

/// CPython's repr names a signal exit code: `-SIGTERM`.
func exitCodeName(_ code: Int32) -> String {
    let names: [Int32: String] = [SIGTERM: "SIGTERM", SIGKILL: "SIGKILL", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV",
                                  SIGABRT: "SIGABRT", SIGHUP: "SIGHUP", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                  SIGPIPE: "SIGPIPE", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2", SIGQUIT: "SIGQUIT"]
    if code < 0, let name = names[-code] { return "-" + name }
    return String(code)
}

/// The process code is running in. Mirrors what `multiprocessing.current_process()` returns.
public struct CurrentProcess: Sendable, CustomStringConvertible {
    public let name: String
    public let pid: pid_t
    public let daemon: Bool
    public let identity: [Int]
    /// The creator's pid, recorded when this process started (nil in the main process).
    public let parentPID: pid_t?
    public var description: String {
        guard let parentPID else { return "<_MainProcess name='\(name)' parent=None started>" }
        return "<Process name='\(name)' parent=\(parentPID) started\(daemon ? " daemon" : "")>"
    }
}

/// The process that started this one. Mirrors what `multiprocessing.parent_process()` returns.
public struct ParentProcess: Sendable, CustomStringConvertible {
    public let name: String
    public let pid: pid_t
    /// Whether the parent is still running (its pid still belongs to our parent).
    public var isAlive: Bool { getppid() == pid }
    public var description: String { "<_ParentProcess name='\(name)' parent=None \(isAlive ? "started" : "unknown")>" }
}

/// Raised inside a process target to end the process with an exit code. Mirrors `sys.exit(code)`.
public struct ProcessExit: Error, Sendable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }
}

/// Misuse of a `Process`, with CPython's messages.
public enum ProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyStarted
    case notStarted(String)
    case notCreator(String)
    case daemonCannotHaveChildren
    case stillRunning
    case closed
    case system(SystemError)
    /// A closure target (or a `run()` override) under forkserver or spawn: it cannot reach another process.
    case targetCannotTravel(StartMethod)
    /// The argument of `Process(function:argument:)` could not be encoded for the child.
    case argumentNotSendable(String)
    /// The fork server or the spawned program could not start the child.
    case startFailed(StartMethod, String)

    public var description: String {
        switch self {
        case .alreadyStarted: return "cannot start a process twice"
        case let .notStarted(what): return "can only \(what) a started process"
        case let .notCreator(what): return "can only \(what) a child process (this process did not create it)"
        case .daemonCannotHaveChildren: return "daemonic processes are not allowed to have children"
        case .stillRunning:
            return "Cannot close a process while it is still running. You should first call join() or terminate()."
        case .closed: return "process object is closed"
        case let .system(error): return error.description
        case let .targetCannotTravel(method):
            return "a closure cannot be sent to another process (start method \(method)); use "
                + "Process(function:argument:) with a RemoteFunction, or the fork start method"
        case let .argumentNotSendable(why): return "the process's argument cannot be sent to the child: \(why)"
        case let .startFailed(method, why): return "\(method) could not start the child: \(why)"
        }
    }
}

/// kill(2), named apart from `Process.kill()`.
@inline(__always) func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 { kill(pid, signal) }

func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            offset += n
        }
    }
}

// MARK: - Popen: a started child

/// A started child: its pid, its sentinel and, once reaped, its exit code. Mirrors CPython's `Popen` classes.
final class Popen {
    let pid: pid_t
    /// Readable once the child has ended (see `cshim_fork_watched`); nil if there is none. Closed with this
    /// object, or by `release()`.
    private var ownedSentinel: FileDescriptor?
    private(set) var exitCode: Int32?

    /// The sentinel's number, or -1 if there is none (the C helpers' convention).
    var sentinel: Int32 { ownedSentinel?.rawValue ?? -1 }

    private init(pid: pid_t, sentinel: Int32) {
        self.pid = pid
        self.ownedSentinel = FileDescriptor.owning(sentinel)
    }

    /// Starts a child by the fork server or by spawn (it is our child either way).
    static func request(_ method: StartMethod, _ request: (ChildRequest, [Int32])) throws(ProcessError) -> Popen {
        let started = method == .forkserver
            ? try ForkServer.startChild(request.0, descriptors: request.1)
            : try Spawner.startChild(request.0, descriptors: request.1)
        // The starter gives a sentinel only where the kernel has no pidfds.
        let sentinel = started.sentinel >= 0 ? started.sentinel : cshim_pidfd_open(started.pid)
        return Popen(pid: started.pid, sentinel: sentinel)
    }

    /// Does once, in this process, what every child would otherwise do for itself after fork, paying page faults
    /// in each: see `ChildPathWarmUp`.
    private static let childPathWarmed: Bool = { ChildPathWarmUp.run(); return true }()

    /// Forks `process`; the child runs it and never returns.
    static func fork(_ process: Process) throws(ProcessError) -> Popen {
        ProcessTable.shared.warnIfMultiThreaded()
        _ = childPathWarmed
        var sentinel: Int32 = -1
        let pid = cshim_fork_watched(&sentinel)
        if pid < 0 { throw .system(SystemError(operation: "fork", errno: errno, hint: "too many processes, or out of memory")) }
        if pid == 0 { process.runInChild() }
        // The sentinel makes join(timeout:) an event wait instead of a poll.
        return Popen(pid: pid, sentinel: sentinel)
    }

    /// Waits up to `timeout`; true once the child has finished (and been reaped).
    func wait(timeout: Duration?) throws(ProcessError) -> Bool {
        if exitCode != nil { return true }
        var code: Int32 = 0
        let rc = cshim_wait_child(pid, sentinel, cshimTimeout(timeout), &code)
        switch rc {
        case 0:
            exitCode = code
            return true
        case ETIMEDOUT:
            return false
        default:
            throw .system(SystemError(operation: "waitpid(\(pid))", errno: rc))
        }
    }

    func send(signal: Int32) {
        // Only while it has not been reaped: afterwards the pid may belong to someone else.
        if exitCode == nil { _ = sendSignal(pid, signal) }
    }

    func release() { ownedSentinel = nil }
}

// MARK: - The process table

/// Per-OS-process state: who we are, who started us, our children. A forked child resets it.
final class ProcessTable: Sendable {
    static let shared = ProcessTable()

    private struct State {
        var identity: [Int] = []
        var name = "MainProcess"
        var daemon = false
        var counter = 0
        var parent: ParentProcess?
        var children: [pid_t: Process] = [:]
        var warnedAboutThreads = false
        var exitHookInstalled = false
        /// The forked child (cshim_forked_child_process) this state was last rebuilt for; a new value there
        /// means this is a new child whose state is still its parent's copy.
        var settledFor: UnsafeMutableRawPointer?
    }

    private struct Box: @unchecked Sendable { var state = State() }  // Process objects stay in this OS process
    private let box = ProcessLocalLock(Box())

    /// The state, first rebuilt if this is a forked child that has not used it yet (see `Process.runInChild`).
    private func withState<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        try box.withLock { box in
            let forked = cshim_forked_child_process()
            if forked != box.state.settledFor, let forked {
                let child = Unmanaged<Process>.fromOpaque(forked).takeUnretainedValue().childIdentity
                box.state = State(identity: child.identity, name: child.name, daemon: child.daemon, counter: 0,
                                  parent: child.parent, children: [:],
                                  warnedAboutThreads: box.state.warnedAboutThreads,
                                  exitHookInstalled: box.state.exitHookInstalled, settledFor: forked)
                cshim_forked_child_note_table_settled()
            }
            return try body(&box.state)
        }
    }

    func newChildIdentity() -> (identity: [Int], daemon: Bool, creatorName: String) {
        withState { state in
            state.counter += 1
            return (state.identity + [state.counter], state.daemon, state.name)
        }
    }

    var current: CurrentProcess {
        withState {
            CurrentProcess(name: $0.name, pid: getpid(), daemon: $0.daemon, identity: $0.identity,
                           parentPID: $0.parent?.pid)
        }
    }
    var currentIsDaemon: Bool { withState { $0.daemon } }
    var parent: ParentProcess? { withState { $0.parent } }
    var children: [Process] { withState { Array($0.children.values) }.sorted { ($0.pid ?? 0) < ($1.pid ?? 0) } }

    func adopt(_ process: Process, pid: pid_t) {
        let install = withState { state -> Bool in
            state.children[pid] = process
            defer { state.exitHookInstalled = true }
            return !state.exitHookInstalled
        }
        if install { atexit { ProcessTable.shared.cleanUpChildren() } }
    }

    func forget(pid: pid_t) { _ = withState { $0.children.removeValue(forKey: pid) } }

    /// Drops children that have finished. Mirrors CPython's `_cleanup()`.
    func reapFinished() {
        for child in children where !child.isAlive { if let pid = child.pid { forget(pid: pid) } }
    }

    /// In a new child not forked by `Process` (the fork server's, spawn's, a pool's): it is now `process`, with
    /// no children and a counter of its own.
    func becomeChild(identity: [Int], name: String, daemon: Bool, parent: ParentProcess) {
        box.withLock { box in
            box.state = State(identity: identity, name: name, daemon: daemon, counter: 0, parent: parent,
                              children: [:], warnedAboutThreads: box.state.warnedAboutThreads,
                              exitHookInstalled: box.state.exitHookInstalled,
                              settledFor: cshim_forked_child_process())
        }
    }

    /// At exit: daemonic children are terminated, then every child is joined. Mirrors `_exit_function`.
    func cleanUpChildren() {
        let all = children
        for child in all where child.daemon { try? child.terminate() }
        for child in all { _ = try? child.join() }
    }

    func skipThreadWarning() { withState { $0.warnedAboutThreads = true } }

    func warnIfMultiThreaded() {
        // A free check on every start; /proc is read only to say how many threads, once.
        guard cshim_is_single_threaded() == 0 else { return }
        let first = withState { state -> Bool in
            defer { state.warnedAboutThreads = true }
            return !state.warnedAboutThreads
        }
        // glibc's flag never returns to single-threaded once a thread has existed, so the first start after that
        // counts the threads alive (a pool whose threads have ended leaves a single-threaded process) and warns
        // only if there are others; either way /proc is read once.
        if first, case let threads = cshim_thread_count(), threads > 1 {
            writeStandardError("Multiprocessing: this process (pid=\(getpid())) has \(threads) threads; fork() may "
                               + "deadlock the child on a lock another thread held. Start processes before starting threads.\n")
        }
    }
}

/// Work a forked child would otherwise repeat in every child, done once in the creator before its first fork:
/// lazy symbol binding (the dynamic linker writes the binding into a page the child then owns, and faults in its
/// own code and the libraries' symbol tables to find it: about 15-20 page faults, 50-100 µs on a virtual machine)
/// and lazily instantiated Swift metadata (the demangler, a heap allocation).
private enum ChildPathWarmUp {
    final class Cell: @unchecked Sendable { var value = 0 }  // touched once, before any fork
    static let cell = Cell()

    /// A modify access to a class property that spans a call to a closure the optimizer cannot know is checked
    /// at run time with tracking, which makes the Swift runtime look up its thread-local access set (libswiftCore's
    /// `__tls_get_addr`, lazily bound). A child's own code may well make such an access.
    @inline(never)
    static func modify(_ value: inout Int, _ body: () -> Void) {
        body()
        value &+= 1
    }

    /// Boxes a `ProcessExit` as an `Error`, as a target that ends with one does (opaque to the optimizer, so the
    /// boxing happens).
    @inline(never)
    static func boxed(_ code: Int32) -> any Error { ProcessExit(code) }

    static func run() {
        let bodies: [() -> Void] = [{}, { _ = cshim_now_ns() }]
        modify(&cell.value, bodies[Int(cshim_now_ns() & 1)])
        // Weak references (a target closure that captures `[weak self]`): the runtime's weak entry points are
        // bound lazily, by the first caller.
        weak let weakCell = cell
        withExtendedLifetime(weakCell) {}
        // A child that ends with ProcessExit boxes it as an Error and runInChild casts it back: the conformance's
        // witness table and the `any Error` metadata are instantiated on first use.
        let errors = [boxed(Int32(truncatingIfNeeded: cshim_now_ns() & 1))]
        if let exit = errors.first as? ProcessExit, exit.code > 1 { writeStandardError("") }
        // print's machinery (its [Any] storage, the conformance look-ups that decide how a String and an Int
        // are written), into a string: the tutorial's child prints `print("Worker:", i)`. Then print itself and
        // the standard output lock it takes, lazily bound: printing nothing writes nothing (an empty string is
        // never passed to fwrite), so standard output is left as it was.
        var sink = ""
        print("", Int(truncatingIfNeeded: cshim_now_ns() & 1), to: &sink)
        print(terminator: "")
    }
}

/// The function and argument of a `Process(function:argument:)`: run here after fork, or encoded for a child
/// started by the fork server or by spawn.
struct RemoteCall {
    let function: String
    let runHere: () throws -> Void
    let encode: () throws -> [UInt8]
}
