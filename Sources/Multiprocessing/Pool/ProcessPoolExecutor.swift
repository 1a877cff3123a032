import Glibc

/// Runs `RemoteFunction` calls in worker processes and returns `Future`s: a thin layer over the `Pool` engine, so
/// it shares the pool's crash handling.
///
/// ```swift
/// let executor = try ProcessPoolExecutor(maxWorkers: 4)
/// let futures = try (0..<10).map { try executor.submit(square, $0) }
/// for future in ProcessPoolExecutor.asCompleted(futures) { print(try future.result()) }
/// executor.shutdown()
/// ```
///
/// When a worker dies, by default only the future it was running fails (`PoolError.workerDied`), the worker is
/// replaced and the executor goes on; `onWorkerDeath: .breakPool` gives CPython's behaviour: every pending future
/// fails with `PoolError.brokenPool` and the executor refuses new work.
///
/// Mirrors `concurrent.futures.ProcessPoolExecutor`.
public final class ProcessPoolExecutor: @unchecked Sendable {
    /// What a worker's death does.
    public enum WorkerDeathPolicy: Sendable {
        /// Fail the task it was running, replace it, keep going (our default).
        case recover
        /// CPython's semantics: the executor is broken; pending futures fail with `BrokenProcessPool`.
        case breakPool
    }

    let engine: PoolEngine
    private var closer: PoolThread?

    /// Starts `maxWorkers` workers (default: the usable CPU count).
    /// Mirrors `ProcessPoolExecutor(max_workers, initializer, max_tasks_per_child)`.
    public init(maxWorkers: Int? = nil, initializer: (() throws -> Void)? = nil, maxTasksPerChild: Int? = nil,
                onWorkerDeath: WorkerDeathPolicy = .recover) throws(PoolError) {
        if let maxWorkers, maxWorkers <= 0 { throw .invalidArgument("max_workers must be greater than 0") }
        engine = try PoolEngine(processes: maxWorkers ?? Process.cpuCount, initializer: initializer,
                                maxTasksPerChild: maxTasksPerChild, retries: 0,
                                breakOnWorkerDeath: onWorkerDeath == .breakPool, depth: 1)
    }

    deinit {
        if !engine.isShutDown {
            engine.close()
            try? engine.join()
        }
        closer?.join()
    }

    /// Runs `body` with a new executor, then shuts it down waiting for its work (CPython's `with` statement).
    public static func with<T>(maxWorkers: Int? = nil, maxTasksPerChild: Int? = nil,
                               onWorkerDeath: WorkerDeathPolicy = .recover,
                               _ body: (ProcessPoolExecutor) throws -> T) throws -> T {
        let executor = try ProcessPoolExecutor(maxWorkers: maxWorkers, maxTasksPerChild: maxTasksPerChild,
                                               onWorkerDeath: onWorkerDeath)
        defer { executor.shutdown(wait: true) }
        return try body(executor)
    }

    /// The number of worker processes.
    public var maxWorkers: Int { engine.size }

    /// The pids of the current workers.
    public var workerPIDs: [Int32] { engine.workerPIDs }

    /// Schedules `function(argument)`. Throws at once for a function unknown to the workers, an argument that
    /// cannot be encoded, a shut-down executor (`.notRunning`) or a broken one (`.brokenPool`).
    /// Mirrors `Executor.submit(fn, *args)`.
    public func submit<Argument, Result>(_ function: RemoteFunction<Argument, Result>,
                                         _ argument: Argument) throws(PoolError) -> Future<Result> {
        try engine.checkRunning(function: function.name, generation: function.generation)
        let job = PoolJob(function: function.name)
        try engine.enqueue(job, start: 0, count: 1, chunksize: 1, encoder: chunkEncoder([argument]))
        let future = Future<Result>(engine: engine, job: job) { job in try collect(job, function)[0] }
        engine.finishSubmitting(job)
        return future
    }

    /// Applies `function` to every item; the results in order. Throws `PoolError.timedOut` if they are not all
    /// ready within `timeout` (the unstarted calls are then cancelled), or the first error.
    /// Mirrors `Executor.map(fn, *iterables, timeout, chunksize)`.
    public func map<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ items: some Sequence<Argument>,
                                      timeout: Duration? = nil, chunksize: Int = 1) throws -> [Result] {
        guard chunksize >= 1 else { throw PoolError.invalidArgument("chunksize must be >= 1.") }
        try engine.checkRunning(function: function.name, generation: function.generation)
        let arguments = materialize(items)
        let job = PoolJob(function: function.name)
        try engine.enqueue(job, start: 0, count: arguments.count, chunksize: chunksize, encoder: chunkEncoder(arguments))
        engine.finishSubmitting(job)
        guard engine.waitDone(job, deadline: poolDeadline(timeout)) else {
            engine.abandon(job)
            throw PoolError.timedOut
        }
        return try collect(job, function)
    }

    /// Stops accepting work. With `cancelFutures`, futures not yet started are cancelled; with `wait`, returns
    /// once the running ones finished and the workers exited (otherwise that happens in the background).
    /// Mirrors `Executor.shutdown(wait=True, *, cancel_futures=False)`.
    public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
        if cancelFutures { engine.cancelPending() }
        engine.close()
        if wait {
            try? engine.join()
        } else if closer == nil, !engine.isShutDown {
            let engine = self.engine
            closer = PoolThread { try? engine.join() }
        }
    }

    /// Stops the workers at once (SIGTERM; running calls are lost), fails every unfinished future with
    /// `PoolError.terminated`, and shuts the executor down. What Ctrl-C in mpsh does to an executor it waits on.
    /// Mirrors `ProcessPoolExecutor.terminate_workers()` (CPython 3.14).
    public func terminateWorkers() {
        engine.terminate()
    }

    /// Which futures `wait` waits for. Mirrors `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`.
    public enum ReturnWhen: Sendable {
        case firstCompleted, firstException, allCompleted
    }

    /// Yields the futures as they finish (those already finished first). Throws `PoolError.timedOut` from the
    /// iteration if they are not all finished within `timeout` of the call.
    /// Mirrors `concurrent.futures.as_completed(fs, timeout)`.
    public static func asCompleted<Result>(_ futures: [Future<Result>], timeout: Duration? = nil) -> AsCompleted<Result> {
        AsCompleted(futures, deadline: poolDeadline(timeout))
    }

    /// Waits until the condition holds (or `timeout`) and returns the futures that are done and those that are
    /// not. Mirrors `concurrent.futures.wait(fs, timeout, return_when)`.
    public static func wait<Result>(_ futures: [Future<Result>], timeout: Duration? = nil,
                                    returnWhen: ReturnWhen = .allCompleted)
        -> (done: [Future<Result>], notDone: [Future<Result>]) {
        let signal = CompletionSignal()
        for future in futures { future.addDoneCallback { _ in signal.fire() } }
        let deadline = poolDeadline(timeout)
        signal.monitor.lock()
        while true {
            let done = futures.filter(\.done)
            let satisfied: Bool
            switch returnWhen {
            case .allCompleted: satisfied = done.count == futures.count
            case .firstCompleted: satisfied = !done.isEmpty || futures.isEmpty
            case .firstException:
                satisfied = done.count == futures.count || done.contains { (try? $0.exception(timeout: .zero)) != nil }
            }
            if satisfied || !signal.monitor.wait(until: deadline) { break }
        }
        signal.monitor.unlock()
        let done = futures.filter(\.done)
        return (done, futures.filter { !$0.done })
    }
}

/// Wakes a waiter whenever a future finishes.
final class CompletionSignal: @unchecked Sendable {
    let monitor = PoolMonitor()
    func fire() { monitor.withLock { monitor.broadcast() } }
}

/// The indices of futures in the order they finished (filled by their done callbacks).
final class CompletionOrder: @unchecked Sendable {
    let monitor = PoolMonitor()
    var finished: [Int] = []
    var head = 0
    func push(_ index: Int) {
        monitor.withLock {
            finished.append(index)
            monitor.broadcast()
        }
    }
}

/// The futures of `asCompleted`, in the order they finish.
public struct AsCompleted<Result>: Sequence, IteratorProtocol {
    private let futures: [Future<Result>]
    private let deadline: Int64?
    private let order = CompletionOrder()

    init(_ futures: [Future<Result>], deadline: Int64?) {
        var seen = Set<ObjectIdentifier>()
        self.futures = futures.filter { seen.insert(ObjectIdentifier($0)).inserted }
        self.deadline = deadline
        let order = self.order
        // Each finished future queues its index (at once for those already finished, in list order): taking
        // the next one costs O(1), not a scan of the futures left.
        for (index, future) in self.futures.enumerated() { future.addDoneCallback { _ in order.push(index) } }
    }

    /// The next finished future; nil when all were yielded. Stops (nil) at the deadline: check with
    /// `timedOut` or use `nextFuture()` which throws.
    public mutating func next() -> Future<Result>? { try? nextFuture() }

    /// The next finished future, nil when all were yielded; throws `PoolError.timedOut` at the deadline.
    public mutating func nextFuture() throws(PoolError) -> Future<Result>? {
        let order = self.order
        order.monitor.lock()
        defer { order.monitor.unlock() }
        guard order.head < futures.count else { return nil }
        while true {
            if order.head < order.finished.count {
                order.head += 1
                return futures[order.finished[order.head - 1]]
            }
            if !order.monitor.wait(until: deadline) {
                if order.head < order.finished.count { continue }
                throw .timedOut
            }
        }
    }
}

/// The result of a call submitted to a `ProcessPoolExecutor`. Mirrors `concurrent.futures.Future`.
public final class Future<Result>: @unchecked Sendable {
    let engine: PoolEngine
    let job: PoolJob
    private let extract: (PoolJob) throws -> Result

    init(engine: PoolEngine, job: PoolJob, extract: @escaping (PoolJob) throws -> Result) {
        self.engine = engine
        self.job = job
        self.extract = extract
    }

    /// Whether the call finished, failed or was cancelled. Mirrors `Future.done()`.
    public var done: Bool { engine.monitor.withLock { job.isDone } }

    /// Whether a worker is running it. Mirrors `Future.running()`.
    public var running: Bool { engine.monitor.withLock { job.dispatched && !job.isDone } }

    /// Whether it was cancelled. Mirrors `Future.cancelled()`.
    public var cancelled: Bool { engine.monitor.withLock { job.cancelled } }

    /// Cancels the call if it has not started; returns whether it is cancelled. Mirrors `Future.cancel()`.
    @discardableResult
    public func cancel() -> Bool { engine.cancel(job) }

    /// The call's result, waiting at most `timeout`; throws its error, `PoolError.cancelled` or
    /// `PoolError.timedOut`. Mirrors `Future.result(timeout)`.
    public func result(timeout: Duration? = nil) throws -> Result {
        guard engine.waitDone(job, deadline: poolDeadline(timeout)) else { throw PoolError.timedOut }
        return try extract(job)
    }

    /// The result, suspending until it is ready.
    public var value: Result {
        get async throws {
            await engine.done(job)
            return try extract(job)
        }
    }

    /// The call's error (nil if it succeeded), waiting at most `timeout`; throws `PoolError.cancelled` or
    /// `PoolError.timedOut`. Mirrors `Future.exception(timeout)`.
    public func exception(timeout: Duration? = nil) throws -> (any Error)? {
        guard engine.waitDone(job, deadline: poolDeadline(timeout)) else { throw PoolError.timedOut }
        if cancelled { throw PoolError.cancelled }
        do {
            _ = try extract(job)
            return nil
        } catch {
            return error
        }
    }

    /// Calls `body` with this future when it is done (at once if it is), on the executor's handler thread.
    /// Mirrors `Future.add_done_callback(fn)`.
    public func addDoneCallback(_ body: @escaping @Sendable (Future<Result>) -> Void) {
        engine.whenDone(job) { [self] in body(self) }
    }
}
