/// An error raised by a task's function in a worker, carried back as text so that it can always be rebuilt:
/// the error's type name, its description and the worker that ran it. Thrown by `AsyncResult.get`, `Pool.map`,
/// `Future.result` and the others.
///
/// CPython re-raises the pickled exception itself (and wedges when it cannot be unpickled); we cannot rebuild an
/// arbitrary Swift error in another process, so we keep what a person needs. Mirrors `multiprocessing.pool.RemoteTraceback`.
public struct RemoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The Swift type name of the error thrown in the worker, e.g. `ValueError`.
    public let typeName: String
    /// The error's description (`"\(error)"`).
    public let message: String
    /// The worker it was raised in, e.g. `ForkPoolWorker-2 (pid 1234)`.
    public let worker: String

    public init(typeName: String, message: String, worker: String) {
        self.typeName = typeName
        self.message = message
        self.worker = worker
    }

    public var description: String { "\(typeName): \(message) (raised in \(worker))" }
}

/// Misuse of a pool, a task that could not run, or a worker that died. Mirrors the `ValueError`,
/// `TimeoutError` and `BrokenProcessPool` exceptions of `multiprocessing.pool` and `concurrent.futures`.
public enum PoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Work was submitted to a pool that was closed or terminated. CPython: `ValueError("Pool not running")`.
    case notRunning
    /// The function was registered after the pool forked its workers, so they do not know it.
    case functionUnknownToWorkers(String)
    /// An argument could not be encoded (in the caller, at submit time).
    case unencodableArgument(function: String, index: Int, reason: String)
    /// A result could not be decoded as the function's result type.
    case undecodableResult(function: String, reason: String)
    /// `get(timeout:)`, `result(timeout:)` or a `map(timeout:)` timed out. CPython: `TimeoutError`.
    case timedOut
    /// `successful()` on a result that is not ready. CPython: `ValueError("... not ready")`.
    case notReady
    /// The worker running this item died: worker name and pid, how it ended, and the item's index.
    case workerDied(worker: String, pid: Int32, status: String, item: Int)
    /// The item was run by a worker that then died before sending its result (its task's results travel
    /// together; use `chunksize: 1` to isolate every item).
    case resultLost(worker: String, pid: Int32, status: String, item: Int)
    /// The pool was terminated before this task finished.
    case terminated
    /// A worker's initializer threw; the pool cannot run tasks.
    case initializerFailed(String)
    /// The pool is broken (the `breakOnWorkerDeath` option, CPython's `BrokenProcessPool`).
    case brokenPool(String)
    /// The task was cancelled before it started. CPython: `CancelledError`.
    case cancelled
    /// A bad parameter (processes < 1, chunksize < 1, ...). CPython: `ValueError`.
    case invalidArgument(String)
    /// The kernel refused something while setting up the pool: the call, its `errno` and what to do.
    case system(SystemError)
    /// The pool's zygote (the process that forks its workers) could not be started.
    case zygoteNotStarted(ProcessError)

    public var description: String {
        switch self {
        case .notRunning: return "Pool not running (it was closed or terminated; create a new pool for more work)"
        case .functionUnknownToWorkers(let name):
            return "'\(name)' was registered after this pool started its workers; create RemoteFunctions before the Pool"
        case let .unencodableArgument(function, index, reason):
            return "argument \(index) for '\(function)' cannot be encoded: \(reason)"
        case let .undecodableResult(function, reason):
            return "a result of '\(function)' cannot be decoded: \(reason)"
        case .timedOut: return "timed out waiting for the result"
        case .notReady: return "the result is not ready (wait for it first)"
        case let .workerDied(worker, pid, status, item):
            return "worker \(worker) (pid \(pid)) \(status) while running item \(item)"
        case let .resultLost(worker, pid, status, item):
            return "worker \(worker) (pid \(pid)) \(status) after running item \(item) but before sending its result " +
                "(results of one chunk travel together: use chunksize 1 to isolate items)"
        case .terminated: return "the pool was terminated before this task finished"
        case .initializerFailed(let text): return "the pool's initializer failed in a worker: \(text)"
        case .brokenPool(let text):
            return "A process in the process pool was terminated abruptly while the future was running or pending: \(text)"
        case .cancelled: return "the task was cancelled"
        case .invalidArgument(let text): return text
        case .system(let error): return error.description
        case .zygoteNotStarted(let error): return "cannot start the pool's zygote process: \(error)"
        }
    }
}
