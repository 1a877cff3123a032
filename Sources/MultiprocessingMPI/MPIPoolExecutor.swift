import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// Runs `RemoteFunction` calls on MPI worker processes and returns `MPIFuture`s; the API of
/// `ProcessPoolExecutor`, over ranks that may sit on other hosts.
///
/// ```swift
/// let square = try RemoteFunction("square") { (x: Int) in x * x }
/// try MPIFutures.run {                       // rank 0 runs this; the other ranks serve
///     let executor = try MPIPoolExecutor()
///     print(try executor.map(square, 0..<10))
///     executor.shutdown()
/// }
/// ```
///
/// Where the workers come from, as in mpi4py: under `mpirun -n N` the ranks 1..N-1 (rank 0 is the master); a
/// program started alone (a singleton) spawns `maxWorkers` copies of itself with `MPI_Comm_spawn`.
///
/// Each worker rank runs its tasks in a child process: a task that segfaults or calls `_exit` fails with
/// `PoolError.workerDied` naming the rank, host and signal, the rank starts a new child and the job goes on
/// (mpi4py loses the rank, and with it the whole job). A rank or host that dies still ends the job: MPI's rule.
///
/// Mirrors `mpi4py.futures.MPIPoolExecutor`.
public class MPIExecutor: @unchecked Sendable {
    let engine: MPIEngine
    private var closer: PoolThread?

    init(engine: MPIEngine) { self.engine = engine }

    deinit {
        if !engine.isShutDown { engine.join() }
        closer?.join()
    }

    /// The number of worker processes. Mirrors `MPIPoolExecutor.num_workers`.
    public var numWorkers: Int { engine.size }

    /// Waits until every worker is ready (its task process started, its initializer run); returns self.
    /// Mirrors `MPIPoolExecutor.bootup(wait=True)`.
    @discardableResult
    public func bootup() -> Self {
        engine.waitReady()
        return self
    }

    /// Same as `numWorkers` (the name `ProcessPoolExecutor` uses).
    public var maxWorkers: Int { engine.size }

    /// Schedules `function(argument)`. Throws at once for an argument that cannot be encoded, a shut-down executor
    /// (`.notRunning`) or one whose initializer failed (`.initializerFailed`, mpi4py's `BrokenExecutor`).
    /// Mirrors `Executor.submit(fn, *args)`.
    public func submit<Argument, Result>(_ function: RemoteFunction<Argument, Result>,
                                         _ argument: Argument) throws -> MPIFuture<Result> {
        try engine.checkRunning()
        let job = MPIJob(function: function.name)
        try engine.enqueue(job, units: [(0, 1, try encodeChunk(function, [argument], start: 0))])
        return MPIFuture(engine: engine, job: job) { job in try decodeAll(job, function)[0] }
    }

    /// Applies `function` to every item; the results in order. Throws `PoolError.timedOut` if they are not all
    /// ready within `timeout` (the unstarted calls are then cancelled), or the first error.
    /// Mirrors `Executor.map(fn, *iterables, timeout, chunksize)`.
    public func map<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ items: some Sequence<Argument>,
                                      timeout: Duration? = nil, chunksize: Int = 1) throws -> [Result] {
        guard chunksize >= 1 else { throw PoolError.invalidArgument("chunksize must be >= 1.") }
        try engine.checkRunning()
        let job = try enqueue(function, Array(items), chunksize: chunksize)
        guard engine.waitDone(job, deadline: poolDeadline(timeout)) else {
            engine.abandon(job)
            throw PoolError.timedOut
        }
        return try decodeAll(job, function)
    }

    /// `map` without waiting: one future for all the results, in order (its error: the first item's that failed).
    /// Mirrors `multiprocessing.Pool.map_async`.
    public func mapAsync<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ items: some Sequence<Argument>,
                                           chunksize: Int = 1) throws -> MPIFuture<[Result]> {
        guard chunksize >= 1 else { throw PoolError.invalidArgument("chunksize must be >= 1.") }
        try engine.checkRunning()
        let job = try enqueue(function, Array(items), chunksize: chunksize)
        return MPIFuture(engine: engine, job: job) { job in try decodeAll(job, function) }
    }

    private func enqueue<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ arguments: [Argument],
                                           chunksize: Int) throws -> MPIJob {
        var units: [(start: Int, count: Int, payload: [UInt8])] = []
        units.reserveCapacity(arguments.count / chunksize + 1)
        var start = 0
        while start < arguments.count {
            let end = min(arguments.count, start + chunksize)
            units.append((start, end - start, try encodeChunk(function, arguments[start..<end], start: start)))
            start = end
        }
        let job = MPIJob(function: function.name)
        try engine.enqueue(job, units: units)
        return job
    }

    /// `map` of a two-argument function over pairs. Mirrors `MPIPoolExecutor.starmap(fn, iterable)`.
    public func starmap<A, B, Result>(_ function: RemoteFunction<Pair<A, B>, Result>, _ items: some Sequence<(A, B)>,
                                      timeout: Duration? = nil, chunksize: Int = 1) throws -> [Result] {
        try map(function, items.map { Pair($0.0, $0.1) }, timeout: timeout, chunksize: chunksize)
    }

    /// Stops accepting work. With `cancelFutures`, futures not yet started are cancelled; with `wait`, returns
    /// once the running ones finished and the workers were let go (otherwise that happens in the background).
    /// Mirrors `Executor.shutdown(wait=True, *, cancel_futures=False)`.
    public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
        if cancelFutures { engine.cancelPending() }
        engine.close()
        if wait {
            engine.join()
        } else if closer == nil {
            let engine = self.engine
            closer = PoolThread { engine.join() }
        }
    }

    /// Yields the futures as they finish. Mirrors `concurrent.futures.as_completed(fs, timeout)`.
    public static func asCompleted<Result>(_ futures: [MPIFuture<Result>], timeout: Duration? = nil)
        -> MPIAsCompleted<Result> {
        MPIAsCompleted(futures, deadline: poolDeadline(timeout))
    }

    /// Waits until the condition holds (or `timeout`); the futures done and not done.
    /// Mirrors `concurrent.futures.wait(fs, timeout, return_when)`.
    public static func wait<Result>(_ futures: [MPIFuture<Result>], timeout: Duration? = nil,
                                    returnWhen: ProcessPoolExecutor.ReturnWhen = .allCompleted)
        -> (done: [MPIFuture<Result>], notDone: [MPIFuture<Result>]) {
        let monitor = PoolMonitor()
        for future in futures { future.addDoneCallback { _ in monitor.withLock { monitor.broadcast() } } }
        let deadline = poolDeadline(timeout)
        monitor.lock()
        while true {
            let done = futures.filter(\.done)
            let satisfied: Bool
            switch returnWhen {
            case .allCompleted: satisfied = done.count == futures.count
            case .firstCompleted: satisfied = !done.isEmpty || futures.isEmpty
            case .firstException:
                satisfied = done.count == futures.count || done.contains { (try? $0.exception(timeout: .zero)) != nil }
            }
            if satisfied || !monitor.wait(until: deadline) { break }
        }
        monitor.unlock()
        return (futures.filter(\.done), futures.filter { !$0.done })
    }
}

/// An executor over MPI worker processes: the ranks 1..N-1 of `mpirun -n N`, or spawned copies of this program.
/// Mirrors `mpi4py.futures.MPIPoolExecutor`.
public final class MPIPoolExecutor: MPIExecutor, @unchecked Sendable {
    /// Starts an executor. Under `mpirun -n N` its workers are ranks 1..N-1 (at most `maxWorkers` of them; call it
    /// on rank 0, inside `MPIFutures.run`); in a program started alone, `maxWorkers` (default: the usable CPU
    /// count) copies of this program started with `MPI_Comm_spawn`, which must call `MPIFutures.run` or
    /// `MPIFutures.initialize` at the top of main, after their `RemoteFunction`s. `initializer` runs in every
    /// worker's task process before its first task. Mirrors `MPIPoolExecutor(max_workers, initializer, initargs)`.
    public convenience init(maxWorkers: Int? = nil) throws {
        try self.init(maxWorkers: maxWorkers, setUp: nil)
    }

    /// With an initializer: `initializer(initargs)` runs in every worker's task process before its first task; if it
    /// throws, the executor is broken (mpi4py's `BrokenExecutor`): pending and later calls fail with
    /// `PoolError.initializerFailed`.
    public convenience init<I, R>(maxWorkers: Int? = nil, initializer: RemoteFunction<I, R>, initargs: I) throws {
        try self.init(maxWorkers: maxWorkers, setUp: (initializer.name, try initializer.encodeArgument(initargs)))
    }

    private init(maxWorkers: Int?, setUp: (name: String, argument: [UInt8])?) throws {
        if let maxWorkers, maxWorkers <= 0 { throw PoolError.invalidArgument("max_workers must be greater than 0") }
        try MPIFutures.initialize()
        if MPI.world.size > 1 {
            guard let world = MPIFutures.worldWorkers else {
                throw PoolError.invalidArgument("under mpirun an MPIPoolExecutor uses the ranks that serve in " +
                                                "MPIFutures.run: call it from run's body (or use MPICommExecutor)")
            }
            guard world.rank == 0 else {
                throw PoolError.invalidArgument("MPIPoolExecutor is created on rank 0 under mpirun (the other ranks " +
                                                "serve in MPIFutures.run); this is rank \(world.rank)")
            }
            try MPIFutures.claimWorld()
            let count = min(maxWorkers ?? (world.size - 1), world.size - 1)
            super.init(engine: MPIEngine(workerSet: .ranks(world, Array(1...count), stopAtEnd: false),
                                         initializer: setUp, releaseWorld: true))
        } else {
            let count = maxWorkers ?? Process.cpuCount
            let intercomm = try MPIFutures.spawnWorkers(count)
            super.init(engine: MPIEngine(workerSet: .spawned(intercomm, count), initializer: setUp, releaseWorld: false))
        }
    }

    /// Runs `body` with a new executor, then shuts it down waiting for its work (Python's `with` statement).
    public static func with<T>(maxWorkers: Int? = nil, _ body: (MPIPoolExecutor) throws -> T) throws -> T {
        let executor = try MPIPoolExecutor(maxWorkers: maxWorkers)
        defer { executor.shutdown(wait: true) }
        return try body(executor)
    }
}

/// An executor over the other ranks of a communicator, for programs started by `mpirun -n N prog` (every rank
/// runs the program): the root gets an executor, the others serve inside the initializer until the root shuts
/// it down, and then get nil.
///
/// ```swift
/// if let executor = try MPICommExecutor(comm: MPI.world, root: 0) {
///     defer { executor.shutdown() }
///     ...
/// }
/// ```
/// Mirrors `with MPICommExecutor(comm, root) as executor: if executor is not None: ...`.
public final class MPICommExecutor: MPIExecutor, @unchecked Sendable {
    public init?(comm: Communicator = MPI.world, root: Int = 0) throws {
        try MPIFutures.initialize()
        guard root >= 0 && root < comm.size else {
            throw PoolError.invalidArgument("root \(root) is not a rank of the communicator (size \(comm.size))")
        }
        // The executor's messages on a copy of the communicator: the program's own never match them.
        let comm = try comm.duplicate()
        guard comm.rank == root else {
            try MPIFutures.serve(comm: comm, master: root)
            return nil
        }
        let ranks = (0..<comm.size).filter { $0 != root }
        guard !ranks.isEmpty else {
            throw PoolError.invalidArgument("MPICommExecutor needs at least 2 ranks (start with mpirun -n N, N >= 2)")
        }
        super.init(engine: MPIEngine(workerSet: .ranks(comm, ranks, stopAtEnd: true), initializer: nil,
                                     releaseWorld: false))
    }
}

/// The result of a call submitted to an MPI executor. Mirrors `concurrent.futures.Future`.
public final class MPIFuture<Result>: @unchecked Sendable {
    let engine: MPIEngine
    let job: MPIJob
    private let extract: (MPIJob) throws -> Result

    init(engine: MPIEngine, job: MPIJob, extract: @escaping (MPIJob) throws -> Result) {
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

    /// Cancels the call if it has not started; whether it is cancelled. Mirrors `Future.cancel()`.
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
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                engine.whenDone(job) { continuation.resume() }
            }
            return try extract(job)
        }
    }

    /// The call's error (nil if it succeeded), waiting at most `timeout`. Mirrors `Future.exception(timeout)`.
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

    /// Calls `body` with this future when it is done (at once if it is), on the executor's thread.
    /// Mirrors `Future.add_done_callback(fn)`.
    public func addDoneCallback(_ body: @escaping @Sendable (MPIFuture<Result>) -> Void) {
        engine.whenDone(job) { [self] in body(self) }
    }
}

/// The futures of `asCompleted`, in the order they finish.
public struct MPIAsCompleted<Result>: Sequence, IteratorProtocol {
    private final class Order: @unchecked Sendable {
        let monitor = PoolMonitor()
        var finished: [Int] = []
        var head = 0
    }

    private let futures: [MPIFuture<Result>]
    private let deadline: Int64?
    private let order = Order()

    init(_ futures: [MPIFuture<Result>], deadline: Int64?) {
        var seen = Set<ObjectIdentifier>()
        self.futures = futures.filter { seen.insert(ObjectIdentifier($0)).inserted }
        self.deadline = deadline
        let order = self.order
        for (index, future) in self.futures.enumerated() {
            future.addDoneCallback { _ in
                order.monitor.withLock {
                    order.finished.append(index)
                    order.monitor.broadcast()
                }
            }
        }
    }

    /// The next finished future; nil when all were yielded or at the deadline (`nextFuture()` throws there).
    public mutating func next() -> MPIFuture<Result>? { try? nextFuture() }

    /// The next finished future, nil when all were yielded; throws `PoolError.timedOut` at the deadline.
    public mutating func nextFuture() throws(PoolError) -> MPIFuture<Result>? {
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

/// A chunk's arguments encoded together (plain numeric types as their memory, others item by item).
private func encodeChunk<A, R>(_ function: RemoteFunction<A, R>, _ arguments: some Collection<A>,
                               start: Int) throws(PoolError) -> [UInt8] {
    do { return try BatchCodec.encode(arguments) } catch {
        throw .unencodableArgument(function: function.name, index: start + error.index, reason: error.reason)
    }
}

/// The job's results in order, or its first error.
func decodeAll<A, R>(_ job: MPIJob, _ function: RemoteFunction<A, R>) throws -> [R] {
    if job.cancelled { throw PoolError.cancelled }
    var results: [R] = []
    for (index, answer) in job.answers.enumerated() {
        guard let answer else { throw PoolError.cancelled }
        let start = job.starts[index]
        try WireReader.reading(answer.segments) { reader in
            for _ in 0..<Int(reader.u32() ?? 0) {
                switch reader.u8() {
                case Wire.values?:
                    guard let count = reader.u32().map(Int.init), let range = reader.blobRange() else { break }
                    do { results += try BatchCodec.decode(R.self, answer.segments[range], count: count) } catch {
                        throw PoolError.undecodableResult(function: function.name, reason: "\(error)")
                    }
                case Wire.error?:
                    let type = reader.string() ?? "Error", text = reader.string() ?? ""
                    throw RemoteError(typeName: type, message: text, worker: answer.worker)
                case Wire.crashed?:
                    let pid = reader.i32() ?? 0, code = reader.i32() ?? 0
                    _ = reader.string()
                    throw PoolError.workerDied(worker: "task process of \(answer.worker)", pid: pid,
                                               status: exitStatusText(code), item: start)
                default:
                    throw PoolError.initializerFailed(reader.string() ?? "the initializer failed")
                }
            }
        }
    }
    return results
}
