import Glibc

/// A pool of worker processes that run `RemoteFunction`s on many arguments.
///
/// ```swift
/// let square = try RemoteFunction("square") { (x: Int) in x * x }   // before the pool: its workers are forked
/// let squares = try Pool.with(processes: 4) { pool in try pool.map(square, Array(0..<10)) }
/// ```
///
/// Tasks name their code with `RemoteFunction`s, which the workers know because they are forked after the
/// functions were created; a function created after the pool started is refused at submit time
/// (`PoolError.functionUnknownToWorkers`), as is an argument that cannot be encoded.
///
/// Better than CPython:
/// - a worker that dies mid-task (SIGKILL, a crash, `exit`) turns that item's result into
///   `PoolError.workerDied` (worker, pid, signal or exit code), promptly; the worker is replaced and every other
///   task completes. Nothing hangs (CPython's `map` waits for ever: gh-66587), nothing runs twice unless asked
///   (`retries:`);
/// - errors come back as `RemoteError` values that always decode;
/// - workers are forked by a single-threaded "zygote" process, never by this (multi-threaded) process;
/// - workers ignore SIGINT, so Ctrl-C reaches only the parent;
/// - `Pool.with` drains the pool (close + join) when its body returns; CPython's `with Pool()` terminates it.
///
/// Zygote reuse: a pool made without an initializer that ends with `close()` and `join()` leaves its zygote idle
/// (no workers), and the next pool of the same size forks its workers from it: a start then costs two forks of
/// the small zygote instead of a fork of this process as well. While no `RemoteFunction` was registered since, the
/// workers behave the same; they see this process's memory as it was when that zygote was forked, as CPython's
/// forkserver workers do. `Pool.releaseIdleZygote()` ends the idle zygote.
///
/// Mirrors `multiprocessing.Pool`.
public final class Pool: @unchecked Sendable {
    let engine: PoolEngine

    /// The number of worker processes.
    public var processes: Int { engine.size }

    /// Starts `processes` workers (default: the usable CPU count).
    /// - Parameters:
    ///   - initializer: runs in each worker when it starts; if it throws, the pool is broken and every task fails
    ///     with `PoolError.initializerFailed` (CPython restarts such workers for ever).
    ///   - maxTasksPerChild: a worker exits after this many tasks (chunks) and is replaced; nil: never.
    ///   - retries: how many times an item whose worker died is run again before its error is reported
    ///     (0: never; the item may then run more than once).
    /// Mirrors `multiprocessing.Pool(processes, initializer, initargs, maxtasksperchild)`.
    public init(processes: Int? = nil, initializer: (() throws -> Void)? = nil, maxTasksPerChild: Int? = nil,
                retries: Int = 0) throws(PoolError) {
        engine = try PoolEngine(processes: processes ?? Process.cpuCount, initializer: initializer,
                                maxTasksPerChild: maxTasksPerChild, retries: retries, breakOnWorkerDeath: false)
    }

    /// A terminated pool's workers are gone; a pool dropped while running is terminated, as CPython's `__del__` does.
    deinit {
        if !engine.isShutDown { engine.terminate() }
    }

    /// Runs `body` with a new pool, then drains it: `close()` and `join()`, so every submitted task finishes.
    /// If `body` throws, the pool is terminated instead (nobody will read its results).
    /// CPython's `with Pool() as pool:` terminates the pool on exit, throwing pending work away.
    public static func with<T>(processes: Int? = nil, initializer: (() throws -> Void)? = nil,
                               maxTasksPerChild: Int? = nil, retries: Int = 0,
                               _ body: (Pool) throws -> T) throws -> T {
        let pool = try Pool(processes: processes, initializer: initializer, maxTasksPerChild: maxTasksPerChild,
                            retries: retries)
        let result: T
        do {
            result = try body(pool)
        } catch {
            pool.terminate()
            throw error
        }
        pool.close()
        try pool.join()
        return result
    }

    /// The async form of `with`.
    public static func with<T>(processes: Int? = nil, initializer: (() throws -> Void)? = nil,
                               maxTasksPerChild: Int? = nil, retries: Int = 0,
                               _ body: (Pool) async throws -> T) async throws -> T {
        let pool = try Pool(processes: processes, initializer: initializer, maxTasksPerChild: maxTasksPerChild,
                            retries: retries)
        let result: T
        do {
            result = try await body(pool)
        } catch {
            pool.terminate()
            throw error
        }
        pool.close()
        try pool.join()
        return result
    }

    /// Ends the zygote process that the last pool to close and join cleanly left idle for the next pool (see
    /// "Zygote reuse" above), if any: its process exits and its descriptors close. The next pool forks a fresh
    /// zygote. For a program that must leave no child process behind at a given point (a test's end).
    public static func releaseIdleZygote() { PoolSite.endIdle() }

    /// The pids of the current workers. They change when a worker is replaced.
    public var workerPIDs: [Int32] { engine.workerPIDs }

    /// CPython's default chunk size for `map`: `len / (4 * processes)`, rounded up (0 for no items).
    public static func defaultChunksize(items: Int, processes: Int) -> Int {
        let (quotient, remainder) = items.quotientAndRemainder(dividingBy: processes * 4)
        return quotient + (remainder > 0 ? 1 : 0)
    }

    // MARK: map

    /// Applies `function` to every item in the workers and returns the results in order. Throws the first
    /// failed item's error (a `RemoteError`, or a `PoolError` such as `.workerDied`).
    /// - Parameters:
    ///   - chunksize: items per task; default CPython's rule (`defaultChunksize`).
    ///   - progress: called with (items done, total) after each finished chunk, on the pool's handler thread.
    /// Mirrors `Pool.map(func, iterable, chunksize)`.
    public func map<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ items: some Sequence<Argument>,
                                      chunksize: Int? = nil,
                                      progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [Result] {
        try mapAsync(function, items, chunksize: chunksize, progress: progress).get()
    }

    /// `map`, suspending instead of blocking.
    public func map<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ items: some Sequence<Argument>,
                                      chunksize: Int? = nil,
                                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> [Result] {
        try await mapAsync(function, items, chunksize: chunksize, progress: progress).value
    }

    /// Starts a `map` and returns at once. `callback` gets the results, or `errorCallback` the first error, on
    /// the pool's handler thread. Mirrors `Pool.map_async(func, iterable, chunksize, callback, error_callback)`.
    public func mapAsync<Argument, Result>(_ function: RemoteFunction<Argument, Result>,
                                           _ items: some Sequence<Argument>, chunksize: Int? = nil,
                                           progress: (@Sendable (Int, Int) -> Void)? = nil,
                                           callback: (@Sendable ([Result]) -> Void)? = nil,
                                           errorCallback: (@Sendable (any Error) -> Void)? = nil)
        throws(PoolError) -> AsyncResult<[Result]> {
        try engine.checkRunning(function: function.name, generation: function.generation)
        if let chunksize, chunksize < 1 { throw .invalidArgument("Chunksize must be 1+, not \(chunksize)") }
        let job = PoolJob(function: function.name)
        job.progress = progress
        let prepared = PreparedResults<Result>()
        let result = AsyncResult<[Result]>(engine: engine, job: job, extract: { job in
            try collect(job, function, prepared: prepared)
        }, fill: { [engine] job, deadline in
            try collectWhileWaiting(job, function, prepared: prepared, engine: engine, deadline: deadline)
        })
        result.install(callback: callback, errorCallback: errorCallback)
        let count: Int
        let encoder: PoolEncoder
        let layout: PoolRawLayout?
        if Argument.self == Int.self, BatchCodec.isRaw(Result.self), let range = items as? Range<Int> {
            // Sent as the range itself (the workers compute their arguments): no array of the arguments at all.
            (count, encoder, layout) = (range.count, rangeEncoder(range), rangeLayout(range, Result.self))
        } else {
            let arguments = materialize(items)
            (count, encoder, layout) = (arguments.count, chunkEncoder(arguments), rawLayout(arguments, Result.self))
        }
        // Before the first piece can finish: `get` copies the pieces in the order they finish.
        if PreparedResults<Result>.wanted(count: count) { engine.monitor.withLock { job.finishedOrder = [] } }
        try engine.enqueue(job, start: 0, count: count,
                           chunksize: chunksize ?? Pool.defaultChunksize(items: count, processes: processes),
                           encoder: encoder, layout: layout)
        prepared.prepare(count: count)
        engine.finishSubmitting(job)
        return result
    }

    /// `map` for functions of two arguments: each item is a pair. Mirrors `Pool.starmap(func, iterable)`.
    public func starmap<A, B, Result>(_ function: RemoteFunction<Pair<A, B>, Result>, _ items: some Sequence<(A, B)>,
                                      chunksize: Int? = nil) throws -> [Result] {
        try map(function, items.map { Pair($0.0, $0.1) }, chunksize: chunksize)
    }

    /// `mapAsync` for functions of two arguments. Mirrors `Pool.starmap_async`.
    public func starmapAsync<A, B, Result>(_ function: RemoteFunction<Pair<A, B>, Result>,
                                           _ items: some Sequence<(A, B)>, chunksize: Int? = nil,
                                           callback: (@Sendable ([Result]) -> Void)? = nil,
                                           errorCallback: (@Sendable (any Error) -> Void)? = nil)
        throws(PoolError) -> AsyncResult<[Result]> {
        try mapAsync(function, items.map { Pair($0.0, $0.1) }, chunksize: chunksize, callback: callback,
                     errorCallback: errorCallback)
    }

    // MARK: imap

    /// Applies `function` to the items lazily, yielding results in order as they arrive. The input is read only
    /// as far as needed to keep the workers busy (a bounded window), so an endless or huge input streams in
    /// bounded memory. Mirrors `Pool.imap(func, iterable, chunksize=1)`.
    public func imap<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ items: some Sequence<Argument>,
                                       chunksize: Int = 1) throws(PoolError) -> PoolResults<Argument, Result> {
        try PoolResults(pool: self, function: function, items: items, chunksize: chunksize, ordered: true)
    }

    /// `imap` yielding results in the order they finish. Mirrors `Pool.imap_unordered(func, iterable, chunksize=1)`.
    public func imapUnordered<Argument, Result>(_ function: RemoteFunction<Argument, Result>,
                                                _ items: some Sequence<Argument>,
                                                chunksize: Int = 1) throws(PoolError) -> PoolResults<Argument, Result> {
        try PoolResults(pool: self, function: function, items: items, chunksize: chunksize, ordered: false)
    }

    // MARK: apply

    /// Runs `function(argument)` in a worker and waits for the result. Mirrors `Pool.apply(func, args)`.
    public func apply<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ argument: Argument) throws -> Result {
        try applyAsync(function, argument).get()
    }

    /// `apply`, suspending instead of blocking.
    public func apply<Argument, Result>(_ function: RemoteFunction<Argument, Result>,
                                        _ argument: Argument) async throws -> Result {
        try await applyAsync(function, argument).value
    }

    /// Starts `function(argument)` in a worker and returns at once. `callback` gets the result, or
    /// `errorCallback` the error, on the pool's handler thread.
    /// Mirrors `Pool.apply_async(func, args, callback, error_callback)`.
    @_specialize(where Argument == [UInt8], Result == [UInt8])  // the shell's tasks (PoolBridge)
    public func applyAsync<Argument, Result>(_ function: RemoteFunction<Argument, Result>, _ argument: Argument,
                                             callback: (@Sendable (Result) -> Void)? = nil,
                                             errorCallback: (@Sendable (any Error) -> Void)? = nil)
        throws(PoolError) -> AsyncResult<Result> {
        let job = try submitOne(function, argument)
        let result = AsyncResult<Result>(engine: engine, job: job) { job in try collect(job, function)[0] }
        result.install(callback: callback, errorCallback: errorCallback)
        engine.finishSubmitting(job)
        return result
    }

    func submitOne<Argument, Result>(_ function: RemoteFunction<Argument, Result>,
                                     _ argument: Argument) throws(PoolError) -> PoolJob {
        try engine.checkRunning(function: function.name, generation: function.generation)
        let job = PoolJob(function: function.name)
        try engine.enqueue(job, start: 0, count: 1, chunksize: 1, encoder: chunkEncoder([argument]))
        return job
    }

    // MARK: Ending

    /// Accepts no more work; the workers exit once the queued work is done. Mirrors `Pool.close()`.
    public func close() { engine.close() }

    /// Stops the workers now (SIGTERM); unfinished tasks fail with `PoolError.terminated`. Mirrors `Pool.terminate()`.
    public func terminate() { engine.terminate() }

    /// Waits for the queued work to finish and the workers to exit; needs `close()` or `terminate()` first.
    /// Mirrors `Pool.join()`.
    public func join(timeout: Duration? = nil) throws(PoolError) { try engine.join(timeout: timeout) }
}

// MARK: - Arguments and results

/// Two arguments for one call (`starmap`, and `RemoteFunction`s of two arguments). Mirrors an argument tuple.
public struct Pair<First: Codable, Second: Codable>: Codable {
    public var first: First
    public var second: Second
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }
}

extension Pair: Sendable where First: Sendable, Second: Sendable {}
extension Pair: Equatable where First: Equatable, Second: Equatable {}

extension RemoteFunction {
    /// Registers a function of two arguments, for `starmap`: `RemoteFunction("add") { (a: Int, b: Int) in a + b }`.
    public init<A, B>(_ name: String, _ body: @escaping @Sendable (A, B) throws -> Result)
        throws(RemoteFunctionError) where Argument == Pair<A, B>, A: SendableMetatype, B: SendableMetatype,
        Result: SendableMetatype {
        try self.init(name) { (pair: Pair<A, B>) in try body(pair.first, pair.second) }
    }
}

/// The items as an array. This generic code is not specialised for the caller's types, so iterating a Range
/// through it would cost tens of nanoseconds an item: arrays and integer ranges take concrete paths.
func materialize<Argument>(_ items: some Sequence<Argument>) -> [Argument] {
    if let array = items as? [Argument] { return array }
    if Argument.self == Int.self {
        if let range = items as? Range<Int> { return unsafeBitCast(Array(range), to: [Argument].self) }
        if let range = items as? ClosedRange<Int> { return unsafeBitCast(Array(range), to: [Argument].self) }
    }
    return Array(items)
}

/// The encoder of a job's chunks over `arguments` (item i of the job is `arguments[i - base]`).
@_specialize(where Argument == [UInt8])
func chunkEncoder<Argument: Encodable>(_ arguments: [Argument], base: Int = 0) -> PoolEncoder {
    { (range: Range<Int>) throws(BatchCodec.ItemError) -> [UInt8] in
        try BatchCodec.encode(arguments[(range.lowerBound - base)..<(range.upperBound - base)])
    }
}

/// Decodes one outcome into results (its items' values), or throws its error.
@_specialize(where Argument == [UInt8], Result == [UInt8])
func decodeOutcome<Argument, Result>(_ outcome: PoolOutcome, _ function: RemoteFunction<Argument, Result>) throws -> [Result] {
    switch outcome {
    case let .values(bytes, count):
        do {
            return try BatchCodec.decode(Result.self, bytes, count: count)
        } catch {
            throw PoolError.undecodableResult(function: function.name, reason: "\(error)")
        }
    case let .shared(lease, offset, byteCount, count):
        do {
            let bytes = Array(UnsafeRawBufferPointer(start: lease.pointer + offset, count: byteCount))
            return try BatchCodec.decode(Result.self, bytes[...], count: count)
        } catch {
            throw PoolError.undecodableResult(function: function.name, reason: "\(error)")
        }
    case .failure(let error, _):
        throw error
    }
}

/// One result per item of a finished piece, errors included.
func expandOutcomes<Argument, Result>(_ outcomes: [PoolOutcome],
                                      _ function: RemoteFunction<Argument, Result>) -> [Swift.Result<Result, any Error>] {
    var items: [Swift.Result<Result, any Error>] = []
    for outcome in outcomes {
        do {
            items.append(contentsOf: try decodeOutcome(outcome, function).map { .success($0) })
        } catch {
            items.append(contentsOf: repeatElement(.failure(error), count: outcome.count))
        }
    }
    return items
}

/// The array a large map of plain numeric results returns, made while the workers run: fresh memory costs a
/// page fault (or a populate) per page, which this takes off the end of the map (and `backFreshPages` makes
/// few). `collect` fills it; a second `collect` of the same job makes its own.
final class PreparedResults<Result>: @unchecked Sendable {
    private let lock = PoolMonitor()
    private var array: [Result]?

    /// Whether a map of `count` results has its array prepared: plain numeric types only, and only when large.
    static func wanted(count: Int) -> Bool {
        BatchCodec.isRaw(Result.self) && count * MemoryLayout<Result>.stride >= 1 << 20
    }

    /// Makes a zeroed array of `count` results, if `wanted`.
    func prepare(count: Int) {
        let stride = MemoryLayout<Result>.stride
        guard PreparedResults.wanted(count: count) else { return }
        let made = [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = UnsafeMutableRawPointer(buffer.baseAddress) {
                backFreshPages(base, byteCount: count * stride)
                base.initializeMemory(as: UInt8.self, repeating: 0, count: count * stride)
            }
            initialized = count
        }
        lock.withLock { array = made }
    }

    /// The prepared array, once.
    func take() -> [Result]? { lock.withLock { () -> [Result]? in defer { array = nil }; return array } }

    /// Gives a taken array back (partly filled: `collect` overwrites every item).
    func giveBack(_ taken: [Result]) { lock.withLock { array = taken } }
}

/// `get` of a map whose results may be prepared (`PreparedResults`): each finished piece is copied into the
/// array while the workers still run the others, rather than every piece once the last is in (8 MB, about 1 ms
/// on the map's critical path for 10^6 Ints). This thread would only sleep meanwhile, and it is woken for each
/// finished piece anyway. Nil when `deadline` passed first.
func collectWhileWaiting<Argument, Result>(_ job: PoolJob, _ function: RemoteFunction<Argument, Result>,
                                           prepared: PreparedResults<Result>, engine: PoolEngine,
                                           deadline: Int64?) throws -> [Result]? {
    guard var array = prepared.take() else {
        guard engine.waitDone(job, deadline: deadline) else { return nil }
        return try collect(job, function)
    }
    let stride = MemoryLayout<Result>.stride
    var copied = Set<Int>()
    var done = false
    array.withUnsafeMutableBytes { target in
        while !done {
            guard let (pieces, finished) = engine.waitForPieces(job, after: copied.count, deadline: deadline) else {
                return
            }
            done = finished
            for (start, outcomes) in pieces {
                copied.insert(start)
                var item = start
                for outcome in outcomes {
                    // Pieces that do not fit are left to `collect`, which reports what is wrong with them.
                    outcome.withBytes { bytes in
                        guard bytes.count == outcome.count * stride, (item + outcome.count) * stride <= target.count,
                              let from = bytes.baseAddress, let to = target.baseAddress else { return }
                        (to + item * stride).copyMemory(from: from, byteCount: bytes.count)
                    }
                    item += outcome.count
                }
            }
        }
    }
    guard done else {
        prepared.giveBack(array)
        return nil
    }
    return try collect(job, function, filling: consume array, copied: copied)
}

/// All results of a finished job in order; throws the first failure. `filling`: a prepared array to fill,
/// where the pieces starting at `copied` are already (handed over, not shared: filling a shared array would
/// copy it whole first).
@_specialize(where Argument == [UInt8], Result == [UInt8])
func collect<Argument, Result>(_ job: PoolJob, _ function: RemoteFunction<Argument, Result>,
                               prepared: PreparedResults<Result>? = nil, filling: consuming [Result]? = nil,
                               copied: Set<Int> = []) throws -> [Result] {
    let fragments = job.fragmentsSnapshot()
    if BatchCodec.isRaw(Result.self),
       let results = try collectRaw(fragments, total: job.total ?? 0, function, into: filling.take() ?? prepared?.take(),
                                    copied: copied) {
        return results
    }
    var results: [Result] = []
    results.reserveCapacity(job.total ?? 0)
    for start in fragments.keys.sorted() {
        for outcome in fragments[start]! { results.append(contentsOf: try decodeOutcome(outcome, function)) }
    }
    return results
}

/// `collect` for plain numeric results: each run's bytes are copied once, straight into the returned array. Nil
/// when the pieces do not add up (the general path then reports what is wrong).
private func collectRaw<Argument, Result>(_ fragments: [Int: [PoolOutcome]], total: Int,
                                          _ function: RemoteFunction<Argument, Result>,
                                          into prepared: consuming [Result]?, copied: Set<Int>) throws -> [Result]? {
    let stride = MemoryLayout<Result>.stride
    var expected = 0
    for outcomes in fragments.values {
        for outcome in outcomes {
            let bytes = outcome.withBytes { $0.count }
            if let bytes, bytes != outcome.count * stride { return nil }
            expected += outcome.count
        }
    }
    guard expected == total else { return nil }
    // Taken here, so that this is the array's only reference: filling it must not copy it.
    if var array = prepared.take(), array.count == total {
        try array.withUnsafeMutableBytes { target in
            var filled = 0
            for start in fragments.keys.sorted() {
                for outcome in fragments[start]! {
                    if case .failure(let error, _) = outcome { throw error }
                    if copied.contains(start) {
                        filled += outcome.count
                        continue
                    }
                    outcome.withBytes { bytes in
                        if let from = bytes.baseAddress, let to = target.baseAddress {
                            (to + filled * stride).copyMemory(from: from, byteCount: bytes.count)
                        }
                    }
                    filled += outcome.count
                }
            }
        }
        return array
    }
    return try [Result](unsafeUninitializedCapacity: total) { buffer, initialized in
        let target = UnsafeMutableRawPointer(buffer.baseAddress)
        if let target, total * stride >= 1 << 20 { backFreshPages(target, byteCount: total * stride) }
        var filled = 0
        for start in fragments.keys.sorted() {
            for outcome in fragments[start]! {
                if case .failure(let error, _) = outcome { throw error }
                outcome.withBytes { bytes in
                    if let from = bytes.baseAddress, let target {
                        (target + filled * stride).copyMemory(from: from, byteCount: bytes.count)
                    }
                }
                filled += outcome.count
                initialized = filled
            }
        }
    }
}

/// The encoder of a job's chunks over a range of Ints (item i is `range.lowerBound + i`).
func rangeEncoder(_ range: Range<Int>) -> PoolEncoder {
    { (items: Range<Int>) throws(BatchCodec.ItemError) -> [UInt8] in
        try BatchCodec.encode(Array((range.lowerBound + items.lowerBound)..<(range.lowerBound + items.upperBound)))
    }
}

/// The arena layout of a map over a range of Ints: the workers compute the arguments from the range, so only
/// the results take arena space (which the workers touch first, in parallel, rather than this thread).
func rangeLayout<Result>(_ range: Range<Int>, _: Result.Type) -> PoolRawLayout {
    PoolRawLayout(argumentStride: 0, resultStride: MemoryLayout<Result>.stride, write: { _, _ in },
                  first: range.lowerBound)
}

/// The arena layout for a map over plain numeric arguments and results (nil for any other types).
func rawLayout<Argument, Result>(_ arguments: [Argument], _: Result.Type) -> PoolRawLayout? {
    guard BatchCodec.isRaw(Argument.self), BatchCodec.isRaw(Result.self) else { return nil }
    let stride = MemoryLayout<Argument>.stride
    return PoolRawLayout(argumentStride: stride, resultStride: MemoryLayout<Result>.stride) { range, destination in
        arguments.withUnsafeBytes { source in
            guard let from = source.baseAddress else { return }
            destination.copyMemory(from: from + range.lowerBound * stride, byteCount: range.count * stride)
        }
    }
}

extension PoolJob {
    /// The finished pieces (read once the job is done, when nothing changes them any more).
    func fragmentsSnapshot() -> [Int: [PoolOutcome]] { fragments }
}

// MARK: - AsyncResult

/// The result of `applyAsync` or `mapAsync`, available later. Mirrors `multiprocessing.pool.AsyncResult`.
public final class AsyncResult<T>: @unchecked Sendable {
    let engine: PoolEngine
    let job: PoolJob
    private let extract: (PoolJob) throws -> T
    /// Waits for the result and builds it as the pieces arrive (nil on timeout), where that is quicker than
    /// `extract` once done (`collectWhileWaiting`).
    private let fill: ((PoolJob, Int64?) throws -> T?)?

    init(engine: PoolEngine, job: PoolJob, extract: @escaping (PoolJob) throws -> T,
         fill: ((PoolJob, Int64?) throws -> T?)? = nil) {
        self.engine = engine
        self.job = job
        self.extract = extract
        self.fill = fill
    }

    func install(callback: (@Sendable (T) -> Void)?, errorCallback: (@Sendable (any Error) -> Void)?) {
        guard callback != nil || errorCallback != nil else { return }
        job.onDone.append { [self] in
            do {
                let value = try extract(job)
                callback?(value)
            } catch {
                errorCallback?(error)
            }
        }
    }

    /// The result, waiting at most `timeout` (nil: for ever). Throws `PoolError.timedOut` if it is not ready in
    /// time, or the task's error. Mirrors `AsyncResult.get(timeout)`.
    public func get(timeout: Duration? = nil) throws -> T {
        if let fill {
            guard let value = try fill(job, poolDeadline(timeout)) else { throw PoolError.timedOut }
            return value
        }
        guard engine.waitDone(job, deadline: poolDeadline(timeout)) else { throw PoolError.timedOut }
        return try extract(job)
    }

    /// The result, suspending until it is ready.
    public var value: T {
        get async throws {
            await engine.done(job)
            return try extract(job)
        }
    }

    /// Waits at most `timeout` for the result; returns whether it is ready. Mirrors `AsyncResult.wait(timeout)`.
    @discardableResult
    public func wait(timeout: Duration? = nil) -> Bool { engine.waitDone(job, deadline: poolDeadline(timeout)) }

    /// Whether the task has finished. Mirrors `AsyncResult.ready()`.
    public var ready: Bool { engine.monitor.withLock { job.isDone } }

    /// Whether the task finished without an error; throws `PoolError.notReady` before it finished.
    /// Mirrors `AsyncResult.successful()`.
    public func successful() throws(PoolError) -> Bool {
        guard ready else { throw .notReady }
        do {
            _ = try extract(job)
            return true
        } catch {
            return false
        }
    }
}

// MARK: - imap results

/// The results of `imap` or `imapUnordered`: read them with `next(timeout:)`, a `for try await` loop, or
/// `Array(results)` for the results themselves. Reading feeds the workers from the input as it goes.
/// Mirrors `multiprocessing.pool.IMapIterator`.
public final class PoolResults<Argument: Codable, Result: Codable>: @unchecked Sendable {
    private let pool: Pool
    private let function: RemoteFunction<Argument, Result>
    private let job: PoolJob
    private let ordered: Bool
    private let chunksize: Int
    private let window: Int
    private var input: AnyIterator<Argument>?
    private var nextIndex = 0
    private var consumed = 0
    private var buffer: ArraySlice<Swift.Result<Result, any Error>> = []
    private var taken: [PoolOutcome] = []
    private var failure: (any Error)?

    init(pool: Pool, function: RemoteFunction<Argument, Result>, items: some Sequence<Argument>, chunksize: Int,
         ordered: Bool) throws(PoolError) {
        guard chunksize >= 1 else { throw .invalidArgument("Chunksize must be 1+, not \(chunksize)") }
        try pool.engine.checkRunning(function: function.name, generation: function.generation)
        self.pool = pool
        self.function = function
        self.job = PoolJob(function: function.name)
        self.ordered = ordered
        self.chunksize = chunksize
        self.window = chunksize * Swift.max(64, pool.processes * 16)
        var iterator = items.makeIterator()
        self.input = AnyIterator { iterator.next() }
        try feed()
    }

    deinit {
        pool.engine.abandon(job)
    }

    /// Submits input until `window` items are outstanding or the input ends; in batches (when at most half the
    /// window is outstanding), so that a reader does not pay a submission for every item.
    private func feed() throws(PoolError) {
        guard let input else { return }
        let outstanding = job.submitted - consumed
        guard outstanding <= window / 2 else { return }
        var arguments: [Argument] = []
        arguments.reserveCapacity(window - outstanding)
        while arguments.count < window - outstanding, let item = input.next() { arguments.append(item) }
        let exhausted = arguments.count < window - outstanding
        if !arguments.isEmpty {
            let base = job.submitted
            do {
                try pool.engine.enqueue(job, start: base, count: arguments.count, chunksize: chunksize,
                                        encoder: chunkEncoder(arguments, base: base))
            } catch {
                self.input = nil
                pool.engine.finishSubmitting(job)
                throw error
            }
        }
        if exhausted {
            self.input = nil
            pool.engine.finishSubmitting(job)
        }
    }

    /// Takes every finished piece that can be read now (in order for `imap`) into `taken` (the monitor held);
    /// true at the end, false when something was taken, nil when there is nothing yet.
    private func takeLocked() -> Bool? {
        var took = false
        if ordered {
            while let piece = job.fragments.removeValue(forKey: nextIndex) {
                let items = piece.reduce(0) { $0 + $1.count }
                nextIndex += items
                consumed += items
                taken.append(contentsOf: piece)
                took = true
            }
        } else if !job.fragments.isEmpty {
            for (_, piece) in job.fragments {
                consumed += piece.reduce(0) { $0 + $1.count }
                taken.append(contentsOf: piece)
            }
            job.fragments.removeAll(keepingCapacity: true)
            took = true
        }
        if took { return false }
        if let total = job.total, consumed >= total { return true }
        return nil
    }

    /// The next result, waiting at most `timeout` (nil: for ever); nil at the end. Throws the item's error
    /// (later items can still be read), or `PoolError.timedOut`. Mirrors `IMapIterator.next(timeout)`.
    public func next(timeout: Duration? = nil) throws -> Result? {
        if let item = popBuffered() { return try item.get() }
        try feed()
        let deadline = poolDeadline(timeout)
        let engine = pool.engine
        // Read the result ring meanwhile rather than wait for the handler thread to wake us (see PoolEngine).
        _ = engine.pollResults(until: { takeLockedPeek() }, deadline: deadline)
        let finished: Bool = try engine.monitor.withLock { () throws(PoolError) -> Bool in
            while true {
                if let end = takeLocked() { return end }
                if !engine.monitor.wait(until: deadline) {
                    if let end = takeLocked() { return end }
                    throw .timedOut
                }
            }
        }
        if finished { return nil }
        return try next(timeout: timeout)
    }

    /// The next result, suspending instead of blocking.
    public func next() async throws -> Result? {
        while true {
            if let item = popBuffered() { return try item.get() }
            try feed()
            let engine = pool.engine
            let state: Bool? = engine.monitor.withLock { takeLocked() }
            if state == true { return nil }
            if state == false { continue }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                engine.monitor.lock()
                if takeLockedPeek() {
                    engine.monitor.unlock()
                    continuation.resume()
                } else {
                    job.wakers.append { continuation.resume() }
                    engine.monitor.unlock()
                }
            }
        }
    }

    /// The next item of the piece taken last, decoding the piece first if needed (outside the monitor).
    private func popBuffered() -> Swift.Result<Result, any Error>? {
        if buffer.isEmpty && !taken.isEmpty {
            buffer = expandOutcomes(taken, function)[...]
            taken = []
        }
        return buffer.popFirst()
    }

    /// Whether something can be taken now (the monitor held).
    private func takeLockedPeek() -> Bool {
        if ordered ? job.fragments[nextIndex] != nil : !job.fragments.isEmpty { return true }
        if let total = job.total, consumed >= total { return true }
        return false
    }

    /// Every remaining result, in the order `next` gives them; throws the first error.
    public func collect() throws -> [Result] {
        var results: [Result] = []
        while let value = try next() { results.append(value) }
        return results
    }
}

extension PoolResults: AsyncSequence, AsyncIteratorProtocol {
    public typealias Element = Result
    public typealias Failure = any Error
    public func makeAsyncIterator() -> PoolResults<Argument, Result> { self }
}
