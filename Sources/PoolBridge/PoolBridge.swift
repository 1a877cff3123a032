// Where the interpreter meets the pool's threads. The only target between PyLang and the library's Pool and
// ProcessPoolExecutor, and compiled with Swift's ordinary (atomic) reference counting.
//
// Why it exists: PyLang is compiled with `-assume-single-threaded` (see Package.swift): every retain and release in
// its code, and in library code inlined into it, is a plain load-add-store, not an atomic one. That is correct only
// while no object PyLang's code retains or releases is retained or released by another thread at the same
// moment (the update of one of the two would be lost: a leak, or a free while in use). The library's pool and
// executor run two handler threads each (and a closer thread after `shutdown(wait: false)`); they retain and
// release the library's job records, the results and errors in them, the closures given as callbacks and
// everything those capture, the `Future` a done-callback is registered on, the `AsyncResult` of a submission with
// callbacks, the pool's initializer closure (with the engine, when its last reference goes on a handler thread).
//
// The rule, made to hold by this target:
// 1. PyLang never holds a reference to a library object a pool thread may touch (Pool, ProcessPoolExecutor,
//    AsyncResult, PoolResults, Future): it holds the handles below, which only the interpreter's thread touches.
//    The handles' methods are compiled here (this target is built with `-disable-cmo`, so none of them is
//    inlined into PyLang), so every retain and release of what they wrap is atomic.
// 2. No closure or object made by PyLang is handed to a pool thread. Completion is reported as integer tokens in
//    a `DoneQueue` that the pool threads push to (through closures made here, capturing only the queue's inner log)
//    and the interpreter takes from; the worker initializer and the task function are functions that capture
//    nothing, and the task function is kept here (PyLang registers it once, before any pool, and never copies it).
// 3. Bytes and errors cross by copy: task payloads are copied into fresh buffers before the library sees them, and
//    results and errors are copied out of the library's records before PyLang sees them. A buffer PyLang holds
//    is never also held by a job record that a handler thread may free.
// 4. What runs on another thread is compiled here or in the library, never in PyLang. (The interpreter itself
//    runs on one thread: `withLargeStack` starts it on a pthread that the caller joins before going on.) The
//    functions the compiler emits in several modules and the linker merges are the library's atomic copies:
//    scripts/link/check-atomic-rc.py checks the linked executables in CI.
import Multiprocessing
#if canImport(Glibc)
import Glibc
#endif

/// The pool's task function: interpreter-encoded bytes in, bytes out.
typealias TaskFunction = RemoteFunction<[UInt8], [UInt8]>

/// The one task function, registered once per process, before any pool exists. Kept here, not in PyLang: a copy
/// of it retains its closure context (or reabstraction thunk), which the library's job records hold too, and
/// those are released on pool threads.
nonisolated(unsafe) private var registeredTask: TaskFunction?

func taskFunction() throws(DescribedError) -> TaskFunction {
    guard let f = registeredTask else { throw DescribedError(description: "the pool's task function was not registered") }
    return f
}

public enum PoolTasks {
    /// Registers `body` as the task function every handle submits to (call once, before any pool is created;
    /// pass a function that captures nothing). False if it could not be registered.
    @inline(never)
    public static func register(_ name: String, _ body: @escaping @Sendable ([UInt8]) throws -> [UInt8]) -> Bool {
        if registeredTask != nil { return true }
        guard let f = try? TaskFunction(name, body) else { return false }
        registeredTask = f
        return true
    }

    /// Sets what a pool's or executor's worker runs as it leaves of itself, before it exits (the library's
    /// `PoolWorkerExit`): call once, before any pool is created, with a function that captures nothing.
    @inline(never)
    public static func atWorkerExit(_ body: @escaping @Sendable () -> Void) {
        PoolWorkerExit.set(body)
    }
}

/// A fresh copy of bytes (a buffer no one else holds).
@inline(never)
func fresh(_ bytes: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
        count = buffer.initialize(from: bytes).1
    }
}

func fresh(_ text: String) -> String { String(decoding: fresh(Array(text.utf8)), as: UTF8.self) }

/// An error the bridge could only describe (not one of the library's pool errors; its text copied), or its own
/// (a task function never registered). The binding raises it as a RuntimeError.
public struct DescribedError: Error, CustomStringConvertible {
    public let description: String
}

func fresh(_ error: SystemError) -> SystemError {
    SystemError(operation: fresh(error.operation), errno: error.errno, hint: error.hint.map(fresh))
}

/// The error as PyLang may hold it: library errors rebuilt from fresh strings, anything else described.
func fresh(_ error: any Error) -> any Error {
    if let r = error as? RemoteError {
        return RemoteError(typeName: fresh(r.typeName), message: fresh(r.message), worker: fresh(r.worker))
    }
    guard let p = error as? PoolError else { return DescribedError(description: fresh(String(describing: error))) }
    switch p {
    case .notRunning, .timedOut, .notReady, .terminated, .cancelled: return p
    case .functionUnknownToWorkers(let s): return PoolError.functionUnknownToWorkers(fresh(s))
    case let .unencodableArgument(function, index, reason):
        return PoolError.unencodableArgument(function: fresh(function), index: index, reason: fresh(reason))
    case let .undecodableResult(function, reason):
        return PoolError.undecodableResult(function: fresh(function), reason: fresh(reason))
    case let .workerDied(worker, pid, status, item):
        return PoolError.workerDied(worker: fresh(worker), pid: pid, status: fresh(status), item: item)
    case let .resultLost(worker, pid, status, item):
        return PoolError.resultLost(worker: fresh(worker), pid: pid, status: fresh(status), item: item)
    case .initializerFailed(let s): return PoolError.initializerFailed(fresh(s))
    case .brokenPool(let s): return PoolError.brokenPool(fresh(s))
    case .invalidArgument(let s): return PoolError.invalidArgument(fresh(s))
    case .system(let e): return PoolError.system(fresh(e))
    case .zygoteNotStarted: return DescribedError(description: fresh(p.description))
    }
}

/// Runs a library call; its error is copied.
@inline(__always)
func copyingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw fresh(error) }
}

// MARK: completion

/// Tokens of finished submissions, in the order they finished, and a count of them to wait on. Shared by the pool
/// threads (which push) and the interpreter (which takes, through a `DoneQueue`).
final class DoneLog: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    private var tokens: [Int] = []
    private var fired = 0

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
    }

    deinit {
        pthread_cond_destroy(&cond)
        pthread_mutex_destroy(&mutex)
    }

    func push(_ token: Int) {
        pthread_mutex_lock(&mutex)
        tokens.append(token)
        fired += 1
        pthread_cond_broadcast(&cond)
        pthread_mutex_unlock(&mutex)
    }

    func take() -> [Int] {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if tokens.isEmpty { return [] }
        let out = tokens.map { $0 }   // a copy: the pool threads go on appending to `tokens`
        tokens.removeAll(keepingCapacity: true)
        return out
    }

    var isEmpty: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return tokens.isEmpty
    }

    var count: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return fired
    }

    func wait(after seen: Int, _ slice: Duration) -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if fired == seen {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let ns = Int64(slice.components.seconds) * 1_000_000_000 + slice.components.attoseconds / 1_000_000_000
            var total = Int64(now.tv_nsec) + ns
            var deadline = timespec()
            deadline.tv_sec = now.tv_sec + Int(total / 1_000_000_000)
            total %= 1_000_000_000
            deadline.tv_nsec = Int(total)
            _ = pthread_cond_timedwait(&cond, &mutex, &deadline)
        }
        return fired
    }
}

/// The interpreter's side of a `DoneLog`: finished submissions announce their tokens here (pushed on a pool
/// thread); the interpreter takes them in the order they finished, or waits for the next one.
public final class DoneQueue {
    let log = DoneLog()
    public init() {}
    /// Announces a token from the interpreter's thread (a result that was finished when submitted).
    @inline(never) public func push(_ token: Int) { log.push(token) }
    /// The tokens announced since the last take, in order.
    @inline(never) public func take() -> [Int] { log.take() }
    @inline(never) public var isEmpty: Bool { log.isEmpty }
    /// How many tokens were ever announced (to wait for the next with `wait(after:_:)`).
    @inline(never) public var count: Int { log.count }
    /// Waits at most `slice` for an announcement after the first `seen`; returns the new count.
    @inline(never) public func wait(after seen: Int, _ slice: Duration) -> Int { log.wait(after: seen, slice) }

    /// A closure for a pool thread: pushes `token` to the log (captures the log and an integer only).
    @inline(never) public func announcer(_ token: Int) -> @Sendable () -> Void {
        let log = self.log
        return { log.push(token) }
    }
}

// MARK: results

/// One submission's result: a pool's apply or map, or an executor's future.
public final class ResultHandle {
    private enum Source {
        case apply(AsyncResult<[UInt8]>)
        case map(AsyncResult<[[UInt8]]>)
        case future(Future<[UInt8]>)
    }
    private let source: Source

    private init(_ s: Source) { source = s }

    /// Waits at most `timeout` (nil: for ever); true once the result is ready.
    @inline(never)
    public func wait(_ timeout: Duration?) -> Bool {
        switch source {
        case .apply(let r): return r.wait(timeout: timeout)
        case .map(let r): return r.wait(timeout: timeout)
        case .future(let f):
            do { _ = try f.exception(timeout: timeout); return true } catch PoolError.timedOut { return false } catch {
                return true
            }
        }
    }

    @inline(never)
    public var isReady: Bool {
        switch source {
        case .apply(let r): return r.ready
        case .map(let r): return r.ready
        case .future(let f): return f.done
        }
    }

    /// A future a worker is running.
    @inline(never)
    public var isRunning: Bool {
        if case .future(let f) = source { return f.running }
        return false
    }

    /// Cancels a future that has not started; true if it is cancelled.
    @inline(never)
    public func cancel() -> Bool {
        if case .future(let f) = source { return f.cancel() }
        return false
    }

    /// The result without waiting (it must be ready): one encoded outcome per chunk, copied. Throws the library's
    /// error, copied.
    @inline(never)
    public func fetch() throws -> [[UInt8]] {
        try copyingErrors {
            switch source {
            case .apply(let r): return [fresh(try r.get(timeout: .zero))]
            case .map(let r): return try r.get(timeout: .zero).map(fresh)
            case .future(let f): return [fresh(try f.result(timeout: .zero))]
            }
        }
    }

    /// For a future: announces `token` in `queue` when it is done (at once, here, if it is).
    @inline(never)
    public func notify(_ queue: DoneQueue, _ token: Int) {
        guard case .future(let f) = source else { return }
        let announce = queue.announcer(token)
        f.addDoneCallback { _ in announce() }
    }

    static func apply(_ r: AsyncResult<[UInt8]>) -> ResultHandle { ResultHandle(.apply(r)) }
    static func map(_ r: AsyncResult<[[UInt8]]>) -> ResultHandle { ResultHandle(.map(r)) }
    static func future(_ f: Future<[UInt8]>) -> ResultHandle { ResultHandle(.future(f)) }
}

// MARK: pool

/// A `multiprocessing.Pool`'s library pool, touched only by the interpreter's thread.
public final class PoolHandle {
    private let pool: Pool
    public let processes: Int

    /// `initializer` runs in each worker (a fork) when it starts; it must capture nothing (pass a static function:
    /// the library keeps it, and may release it on a pool thread).
    @inline(never)
    public init(processes: Int?, initializer: (@Sendable () throws -> Void)?, maxTasksPerChild: Int?) throws {
        pool = try copyingErrors { try Pool(processes: processes, initializer: initializer, maxTasksPerChild: maxTasksPerChild) }
        self.processes = pool.processes
    }

    @inline(never) public func close() { pool.close() }
    @inline(never) public func terminate() { pool.terminate() }
    @inline(never) public func join(timeout: Duration?) throws { try copyingErrors { try pool.join(timeout: timeout) } }

    /// `apply_async`: announces `notify.1` in `notify.0` when done, if given.
    @inline(never)
    public func applyAsync(_ bytes: [UInt8], notify: (DoneQueue, Int)?) throws -> ResultHandle {
        let (callback, errorCallback): ((@Sendable ([UInt8]) -> Void)?, (@Sendable (any Error) -> Void)?) =
            announcers(notify)
        let r = try copyingErrors {
            try pool.applyAsync(try taskFunction(), fresh(bytes), callback: callback, errorCallback: errorCallback)
        }
        return .apply(r)
    }

    /// `map_async` of pre-chunked tasks (one library item per chunk).
    @inline(never)
    public func mapAsync(_ tasks: [[UInt8]], notify: (DoneQueue, Int)?) throws -> ResultHandle {
        let (callback, errorCallback): ((@Sendable ([[UInt8]]) -> Void)?, (@Sendable (any Error) -> Void)?) =
            announcers(notify)
        let copies = tasks.map(fresh)
        let r = try copyingErrors {
            try pool.mapAsync(try taskFunction(), copies, chunksize: 1, callback: callback, errorCallback: errorCallback)
        }
        return .map(r)
    }

    /// `imap`/`imap_unordered` of pre-chunked tasks: `next` gives the next task's bytes (nil at the end); it is
    /// called on the interpreter's thread only (when results are read).
    @inline(never)
    public func imap(ordered: Bool, next: @escaping () -> [UInt8]?) throws -> IMapHandle {
        let input = AnySequence<[UInt8]> { AnyIterator<[UInt8]> { next().map(fresh) } }
        return IMapHandle(try copyingErrors {
            let function = try taskFunction()
            if ordered { return try pool.imap(function, input, chunksize: 1) }
            return try pool.imapUnordered(function, input, chunksize: 1)
        })
    }
}

/// A result callback and an error callback that announce `notify.1` in `notify.0` (on a pool thread); they
/// capture the queue's log and the token only.
func announcers<T>(_ notify: (DoneQueue, Int)?) -> ((@Sendable (T) -> Void)?, (@Sendable (any Error) -> Void)?) {
    guard let (queue, token) = notify else { return (nil, nil) }
    let announce = queue.announcer(token)
    return ({ _ in announce() }, { _ in announce() })
}

/// An imap's results, touched only by the interpreter's thread.
public final class IMapHandle {
    private let results: PoolResults<[UInt8], [UInt8]>
    init(_ r: PoolResults<[UInt8], [UInt8]>) { results = r }

    /// The next result (copied), waiting at most `timeout`; nil at the end. Throws `PoolError.timedOut`, or the
    /// library's error (copied).
    @inline(never)
    public func next(timeout: Duration?) throws -> [UInt8]? {
        try copyingErrors { try results.next(timeout: timeout).map(fresh) }
    }
}

// MARK: executor

/// A `ProcessPoolExecutor`'s library executor, touched only by the interpreter's thread.
public final class ExecutorHandle {
    private let executor: ProcessPoolExecutor

    /// `initializer`: as for `PoolHandle`.
    @inline(never)
    public init(maxWorkers: Int?, initializer: (@Sendable () throws -> Void)?, maxTasksPerChild: Int?) throws {
        executor = try copyingErrors {
            try ProcessPoolExecutor(maxWorkers: maxWorkers, initializer: initializer, maxTasksPerChild: maxTasksPerChild)
        }
    }

    @inline(never)
    public func submit(_ bytes: [UInt8]) throws -> ResultHandle {
        .future(try copyingErrors { try executor.submit(try taskFunction(), fresh(bytes)) })
    }

    @inline(never)
    public func shutdown(wait: Bool, cancelFutures: Bool = false) {
        executor.shutdown(wait: wait, cancelFutures: cancelFutures)
    }

    /// Stops the workers at once; unfinished futures fail (Ctrl-C while the program waits on the executor).
    @inline(never)
    public func terminateWorkers() { executor.terminateWorkers() }
}

// MARK: children

/// The process's active children include the pools' zygotes, whose `Process` objects the pool threads hold too:
/// PyLang asks about its children here, and gets plain values back, never the library's `Process` objects.
public enum Children {
    /// The pids of the active children.
    @inline(never)
    public static func pids() -> [Int32] { Process.activeChildren().compactMap { $0.pid } }

    /// How many children are active.
    @inline(never)
    public static var count: Int { Process.activeChildren().count }

    /// At a program's end: terminates the daemonic children, then joins every child.
    @inline(never)
    public static func finish() {
        let children = Process.activeChildren()
        for child in children where child.daemon { try? child.terminate() }
        for child in children { _ = try? child.join() }
    }
}
