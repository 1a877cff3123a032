import CShim
import Synchronization

import Glibc

/// How a `Process` creates its child.
///
/// - `fork`: the child is a copy of the creator. Fastest, and the only method that can run a closure target
///   (the child already holds the closure and everything it captured). Only safe while the creator has one
///   thread: a child forked from a multi-threaded process may deadlock on a lock another thread held.
/// - `forkserver`: a single-threaded server process, started once (by `ForkServer.start()`, best at program
///   start, or on first use), forks each child on request. The child is still a child of the creator (the
///   server forks with CLONE_PARENT), so `join`, `exitCode`, `sentinel` and `activeChildren` behave as with
///   fork. The child runs a `RemoteFunction` that the server knew when it started.
/// - `spawn`: a fresh run of the program (`/proc/self/exe`, or the one given to `setExecutable`), whose `main`
///   calls `Multiprocessing.bootstrap()` after making its `RemoteFunction` registrations. Slowest; shares
///   nothing but what the argument carries.
///
/// With forkserver and spawn the child receives its argument encoded; the shared objects in it (queues, pipes,
/// locks, values, shared memory ...) travel as descriptors and are the same objects on the other side.
///
/// Mirrors the start methods of `multiprocessing` (`'fork'`, `'forkserver'`, `'spawn'`).
public enum StartMethod: String, Sendable, CaseIterable, CustomStringConvertible {
    case fork, forkserver, spawn

    public var description: String { rawValue }
}

/// Misuse of the start-method settings.
public enum StartMethodError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `setStartMethod` was called again without `force`. Mirrors CPython's "context has already been set".
    case alreadySet(StartMethod)

    public var description: String {
        switch self {
        case .alreadySet(let method):
            return "the start method has already been set (to \(method)); pass force: true to change it"
        }
    }
}

private struct StartSettings: Sendable {
    var method: StartMethod?
    var executable: String?
    var arguments: [String] = []
}

private let startSettings = ProcessLocalLock(StartSettings())

/// Sets the start method of processes created without one. Call it once, early; a second call throws unless
/// `force` is true (`nil` with `force` goes back to the default). Mirrors
/// `multiprocessing.set_start_method(method, force=False)`.
public func setStartMethod(_ method: StartMethod?, force: Bool = false) throws(StartMethodError) {
    let previous: StartMethod? = startSettings.withLock { settings in
        if let current = settings.method, !force { return current }
        settings.method = method
        return nil
    }
    if let previous { throw .alreadySet(previous) }
}

/// The start method for processes created without one: the one set by `setStartMethod`, or the default:
/// `fork` while this process has one thread, `forkserver` once it has more (fork from a multi-threaded
/// process can deadlock the child).
///
/// A process with a closure target (or a `run()` override) cannot be sent to another process: when the
/// start method was not chosen (neither here nor for the process), such a process is forked whatever the
/// default says, with the multi-threaded warning on standard error; when forkserver or spawn was chosen,
/// `start()` throws.
///
/// Mirrors `multiprocessing.get_start_method()`.
public func getStartMethod() -> StartMethod {
    explicitStartMethod ?? (cshim_is_single_threaded() != 0 ? .fork : .forkserver)
}

/// The start method set by `setStartMethod`, if any.
var explicitStartMethod: StartMethod? { startSettings.withLock { $0.method } }

/// The start methods this platform supports, the default first. Mirrors `multiprocessing.get_all_start_methods()`.
public func getAllStartMethods() -> [StartMethod] { [.fork, .forkserver, .spawn] }

/// Sets the program that `spawn` runs (default: this program, `/proc/self/exe`, with no arguments) and the
/// arguments it is given. The program's `main` must call `Multiprocessing.bootstrap()`.
/// Mirrors `multiprocessing.set_executable(path)`.
public func setExecutable(_ path: String?, arguments: [String] = []) {
    startSettings.withLock {
        $0.executable = path
        $0.arguments = arguments
    }
}

/// The program `spawn` runs and its arguments.
var spawnExecutable: (path: String, arguments: [String]) {
    startSettings.withLock { ($0.executable ?? "/proc/self/exe", $0.arguments) }
}

/// A start method, as a value whose factories create processes that use it.
///
/// ```swift
/// let context = Multiprocessing.getContext(.spawn)
/// let p = context.process(function: worker, argument: Job(queue: q, n: 3))
/// try p.start()
/// ```
///
/// Mirrors `multiprocessing.get_context(method)`.
public struct Context: Sendable {
    /// The start method of the processes this context creates.
    public let startMethod: StartMethod

    /// A process that runs `function(argument)` (its result is discarded). Mirrors `ctx.Process(target, args)`.
    public func process<Argument: Codable, Result: Codable>(
        name: String? = nil, daemon: Bool? = nil, diesWithParent: Bool = true,
        function: RemoteFunction<Argument, Result>, argument: Argument
    ) -> Process {
        Process(name: name, daemon: daemon, diesWithParent: diesWithParent, startMethod: startMethod,
                function: function, argument: argument)
    }

    /// A process with a closure target: only `fork` can start it. Mirrors `ctx.Process(target)`.
    public func process(name: String? = nil, daemon: Bool? = nil, diesWithParent: Bool = true,
                        target: @escaping () throws -> Void) -> Process {
        let process = Process(name: name, daemon: daemon, diesWithParent: diesWithParent, target: target)
        process.startMethod = startMethod
        return process
    }
}

/// A context for `method`, or for the current start method. Mirrors `multiprocessing.get_context(method=None)`.
public func getContext(_ method: StartMethod? = nil) -> Context { Context(startMethod: method ?? getStartMethod()) }
