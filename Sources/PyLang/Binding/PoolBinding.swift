// multiprocessing.Pool, its AsyncResult (ApplyResult, MapResult) and imap iterators, over the library's `Pool`.
// Mirrors CPython's `Lib/multiprocessing/pool.py`.
//
// How it works:
// - One library function, "mpsh.call" (a `RemoteFunction<[UInt8], [UInt8]>`), is registered when the binding is
//   created, before any pool exists. Every task is the interpreter-encoded tuple (mode, function, payload); the
//   worker, a fork of the interpreter taken when the pool was created, decodes it, calls the function in its own
//   copy of the interpreter and encodes `(True, result)` or `(False, (exception class, args))`. Functions travel by
//   code identity (the worker runs the same program), so defs, lambdas, closures and bound methods all work as tasks,
//   even ones created after the pool (CPython refuses lambdas and closures: they cannot be pickled).
// - Chunking is done here, with CPython's rule (`map`: len / (4 * processes), rounded up; `imap`: 1): one library
//   item is one chunk; an exception fails its whole chunk, as in CPython.
// - An exception raised in a worker is raised again in the parent with its class and arguments (the class is looked
//   up by module and name). A worker that dies mid-task (SIGKILL, crash, os._exit) fails its task with
//   `multiprocessing.ProcessError` naming the worker, its pid and the signal, promptly; CPython hangs (gh-66587).
// - Callbacks (`callback=`, `error_callback=`) run on the interpreter's thread, never on the pool's threads (the
//   interpreter is not thread-safe): the pool queues finished results, and the queue is drained, in completion
//   order, whenever the program waits in or calls the pool (get, wait, ready, join, close, map, apply, submit, the
//   imap iterators, `with` exit), and while the program sleeps (`time.sleep`, in slices of at most 5 ms). A
//   result's own callback has always run when its `get()` returns, as in CPython. A program that spins without
//   sleeping or touching the pool sees no callbacks until it does.
// - Ctrl-C (KeyboardInterrupt) while the program waits in a pool (get, map, imap, join) terminates that pool
//   before the KeyboardInterrupt goes on: its workers stop and its pending work is dropped, as leaving `with Pool()`
//   does (CPython leaves a pool made without `with` running its queued work). An executor's pending futures are
//   cancelled and it is shut down without waiting.
// - `with Pool() as p:` terminates the pool on exit, as CPython does (the library's `Pool.with` drains instead).
// - Workers flush their output after every task, so a task's prints are never lost (CPython's workers, killed by
//   terminate, lose what they buffered).
import Multiprocessing
import PoolBridge
#if canImport(Glibc)
import Glibc
#endif

/// The interpreter whose program the pool workers of this process run: the one that created the last pool (a
/// worker is a fork of it, so it inherits this value).
final class PoolTaskContext: @unchecked Sendable {
    static let shared = PoolTaskContext()
    var interp: Interpreter? { didSet { binding = interp?.mpBinding } }
    /// The interpreter's binding, looked up once (not per task).
    private(set) var binding: MPBinding?
    /// The user's initializer and its arguments, for the workers of the pool being created (set while it forks:
    /// the workers inherit it). Not captured by the initializer the library keeps: that one captures nothing, as
    /// the library may release it on a pool thread (see PoolBridge.swift).
    var userInitializer: (Value, [Value])?
    /// The identities (CPython's process numbers) of the workers of the pool being created, taken from this
    /// process's counter before it forks (the workers inherit them): worker k of the pool is the k-th.
    var workerIdentities: [[Int]] = []
    /// The start method of the pool being created (inherited by its workers, as `userInitializer`): under spawn
    /// and forkserver a worker runs the main module as `__mp_main__` before its first task, as CPython's do.
    var workerStartMethod = "fork"

    /// The worker initializers given to the library: functions, no captures.
    @Sendable static func initializePoolWorker() throws { try shared.binding?.initializeWorker(executor: false) }
    @Sendable static func initializeExecutorWorker() throws { try shared.binding?.initializeWorker(executor: true) }
    /// What a worker runs as it leaves of itself (the pool closed, maxtasksperchild reached): its finalizers and
    /// the socket directory it made, if any (`MPBinding.finishChildProcess`).
    @Sendable static func leaveWorker() { shared.binding?.finishChildProcess() }
}

enum MPShellTask {
    /// The one function every pool and executor task runs. Registered once per process, when the first binding is
    /// created (so before any pool forks its workers).
    static let registered: Bool = {
        PoolTasks.atWorkerExit(PoolTaskContext.leaveWorker)
        return PoolTasks.register("mpsh.call", run)
    }()

    /// In a worker: runs one task (captures nothing: the library keeps it, see PoolBridge.swift).
    @Sendable static func run(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let binding = PoolTaskContext.shared.binding else {
            throw RemoteFunctionError.unknownFunction("mpsh.call (no interpreter in this worker)")
        }
        return binding.runTask(bytes)
    }
}

/// One submission's result, as the program sees it (ApplyResult, MapResult, Future).
final class AsyncBox {
    enum Kind { case apply, map }
    let kind: Kind
    /// Waits at most the slice for the library's result; true when it is ready.
    var waitSlice: (Duration) -> Bool = { _ in true }
    var isReady: () -> Bool = { true }
    var isRunning: () -> Bool = { false }
    var cancel: () -> Bool = { false }
    /// Has a token announced in a queue when the library's result is ready (futures only).
    var notify: ((DoneQueue, Int) -> Void)?
    /// The library's result: one encoded chunk outcome per chunk.
    var fetch: () throws -> [[UInt8]] = { [] }
    var resolved: Result<Value, Error>?
    var callback: Value?
    var errorCallback: Value?
    var callbackRan = false
    /// Functions to call with the Future when it is done (concurrent.futures).
    var doneCallbacks: [Value] = []
    /// The Future instance (concurrent.futures), for its done callbacks. Weak: the instance holds this box, and a
    /// strong reference back would keep both, and through them the executor's pool, alive for ever (issue 20:
    /// 4 memfds and ~160 KB per executor). `futureKeep` holds it while callbacks wait, as CPython's executor keeps
    /// a pending future alive.
    weak var futureInstance: PyInstance?
    var futureKeep: PyInstance?
    var futureValue: Value? { futureInstance.map { .obj($0) } }
    var cancelledFlag = false
    /// Items per library item (a map's chunks), to name the items a dead worker was running.
    var chunkSize = 1
    /// What Ctrl-C while waiting for this result does to its pool (stops the work; see the header).
    var onInterrupt: (() -> Void)?
    /// The class of the `__cause__` a worker's exception gets, holding its traceback as text: Pool's
    /// `multiprocessing.pool.RemoteTraceback`, the executor's `concurrent.futures.process._RemoteTraceback`.
    var remoteTraceback: PyClass?
    /// The pool was terminated before this result came: as in CPython, it never becomes ready (`ready()` False,
    /// `get(timeout)` a TimeoutError); `get()` without a timeout raises ProcessError instead of waiting for ever.
    var terminated = false
    /// The number of the thread CPython's pool would run this result's callback on (its `_handle_results`).
    var handlerThread = 3
    init(_ kind: Kind) { self.kind = kind }
}

final class PoolBox {
    let pool: PoolHandle
    let processes: Int
    var state = "RUN"
    /// CPython's Thread-N number of this pool's result handler (its third thread).
    var handlerThread = 3
    init(_ pool: PoolHandle, _ processes: Int) { self.pool = pool; self.processes = processes }
}

/// The state of an imap iterator: the library's results, and what was decoded but not yet given out.
final class IMapBox {
    let results: IMapHandle
    var buffer: [Value] = []
    var inputError: Error?
    let pool: PoolBox
    init(_ r: IMapHandle, _ p: PoolBox) { results = r; pool = p }
}

/// Per-binding pool state: classes, the results waiting to run their callbacks.
final class PoolBindingState {
    var poolClass: PyClass!
    var applyResultClass: PyClass!
    var mapResultClass: PyClass!
    var imapClass: PyClass!
    var imapUnorderedClass: PyClass!
    var maybeEncodingErrorClass: PyClass!
    var remoteTracebackClass: PyClass!
    /// Pools made in this process: CPython's pool starts three threads (Thread-1..3 for the first pool), and the
    /// result handler's name heads the report of a raising callback.
    var poolsMade = 0

    /// Whether the program runs in a daemonic process, as CPython counts them: a pool worker or a daemon=True
    /// child (an executor's worker is not one, though the library forks it as one).
    func currentIsDaemonic(_ interp: Interpreter) -> Bool {
        if let c = interp.mpBinding.currentInstance, case .bool(let d)? = c.dict["daemon"] { return d }
        return Multiprocessing.Process.current.daemon
    }
    /// Where finished results with callbacks announce their tokens (from the pool threads), in the order they
    /// finished; `waiting` maps a token to its result.
    let done = DoneQueue()
    var waiting: [Int: AsyncBox] = [:]
    private var lastToken = 0

    /// A token for `box`, to be announced in `done` when it finishes.
    func token(for box: AsyncBox) -> Int {
        lastToken += 1
        waiting[lastToken] = box
        return lastToken
    }

    /// The results announced since the last call, in the order they finished.
    func takeDone() -> [AsyncBox] { done.take().compactMap { waiting.removeValue(forKey: $0) } }
}

extension MPBinding {
    /// Called from `MPBinding.init`: registers the task function and the hooks that add Pool, Manager and
    /// concurrent.futures.
    func installPoolBinding() {
        _ = MPShellTask.registered
        extensions.append { interp, m in
            let b = interp.mpBinding
            b.makePoolClasses()
            m.set("Pool", .obj(b.poolState.poolClass))
            try b.installManager(m)
            if let pool = try? interp.importModule("multiprocessing.pool") { m.set("pool", pool) }
        }
    }

    // MARK: results

    /// Decodes a finished submission (once) into its value or its exception.
    func resolve(_ box: AsyncBox) -> Result<Value, Error> {
        if let r = box.resolved { return r }
        let r: Result<Value, Error>
        do {
            let chunks = try box.fetch()
            r = .success(box.kind == .apply ? try decodeOutcome(chunks.first ?? [], remote: box.remoteTraceback)
                                            : .list(PyList(try mapValues(chunks, remote: box.remoteTraceback))))
        } catch PoolError.terminated where box.futureInstance == nil {
            box.terminated = true
            r = .failure(poolError(PoolError.terminated))
        } catch let PoolError.workerDied(worker, pid, status, item) where box.kind == .map && box.chunkSize > 1 {
            let first = item * box.chunkSize
            r = .failure(raise(processErrorClass, "worker \(worker) (pid \(pid)) \(status) while running items " +
                               "\(first)..<\(first + box.chunkSize) (one chunk; chunksize=1 isolates items)"))
        } catch {
            r = .failure(poolError(error))
        }
        box.resolved = r
        return r
    }

    /// A task's outcome decoded whole: its result, or its exception thrown.
    func decodeOutcome(_ bytes: [UInt8], remote: PyClass? = nil) throws -> Value {
        guard case .tuple(let t) = try decode(bytes), t.items.count == 2 else {
            throw err("RuntimeError", "a pool result could not be read")
        }
        if case .bool(false) = t.items[0] { throw exceptionFrom(t.items[1], remote: remote) }
        return t.items[1]
    }

    /// The results of a map's chunks, in order, as one array. Each successful chunk is read straight into its
    /// place (`MapChunkReader`): no list of the chunk's own to build, copy from and free. A chunk that is not a
    /// success is decoded whole first, in order, so the first failed chunk raises its exception, as in CPython.
    func mapValues(_ chunks: [[UInt8]], remote: PyClass? = nil) throws -> [Value] {
        var headers: [(count: Int, start: Int)] = []
        headers.reserveCapacity(chunks.count)
        var total = 0
        for chunk in chunks {
            if let h = MapChunkReader.header(chunk) {
                headers.append(h)
                total += h.count
            } else {
                _ = try decodeOutcome(chunk, remote: remote)   // raises a failed chunk's exception
                throw err("RuntimeError", "a pool result could not be read")
            }
        }
        if total == 0 { return [] }
        let interp = self.interp
        return try [Value](unsafeUninitializedCapacity: total) { buffer, initialized in
            for (chunk, h) in zip(chunks, headers) {
                try MapChunkReader.read(chunk, count: h.count, start: h.start, into: buffer.baseAddress! + initialized,
                                        done: &initialized, interp)
            }
        }
    }

    /// From the first pool or executor on, `time.sleep` runs the callbacks of results that finish meanwhile.
    func letSleepRunCallbacks() {
        if interp.queuedWork != nil { return }
        let queue = poolState.done
        interp.queuedWork = (pending: { !queue.isEmpty }, run: { [unowned self] in try self.drainCallbacks() })
    }

    /// Runs the callbacks of finished results, in the order they finished (on the interpreter's thread).
    func drainCallbacks() throws {
        while true {
            let boxes = poolState.takeDone()
            if boxes.isEmpty { return }
            for box in boxes { try runCallback(box) }
        }
    }

    func runCallback(_ box: AsyncBox) throws {
        if box.callbackRan { return }
        box.callbackRan = true
        switch resolve(box) {
        case .success(let v): if let c = box.callback, !c.isNone { try callPoolCallback(c, v, thread: box.handlerThread) }
        case .failure(let e):
            if let c = box.errorCallback, !c.isNone, !box.terminated, let pe = e as? PyException {
                try callPoolCallback(c, .obj(pe.exc), thread: box.handlerThread)
            }
        }
        if !box.doneCallbacks.isEmpty, let f = box.futureValue {
            let calls = box.doneCallbacks
            box.doneCallbacks = []
            box.futureKeep = nil
            for c in calls { try callDoneCallback(c, f) }
        }
    }

    /// Calls a Pool result's callback or error_callback. What it raises is printed to stderr as CPython's result
    /// handler thread prints it ("Exception in thread Thread-3 (_handle_results):" and the traceback) and the
    /// program goes on; only Ctrl-C goes through. (CPython's handler thread dies there and the pool hangs; ours
    /// keeps working, and the result is ready.)
    func callPoolCallback(_ c: Value, _ argument: Value, thread: Int) throws {
        do {
            _ = try interp.call(c, [argument])
        } catch let e as PyException where !e.exc.cls.isSubclass(of: interp.excClass("KeyboardInterrupt")) {
            if e.exc.cls.isSubclass(of: interp.excClass("SystemExit")) { return }   // a thread ends quietly
            interp.flushAll()
            interp.writeStderr("Exception in thread Thread-\(thread) (_handle_results):\n" + interp.formatTraceback(e.exc))
        } catch let e as ExitRequest {
            _ = e   // sys.exit() in a callback ends its thread in CPython, not the program
        }
    }

    /// Waits for a result in slices (Ctrl-C gets through); false on timeout.
    func waitBox(_ box: AsyncBox, _ timeout: Duration?) throws -> Bool {
        try drainCallbacks()
        let done = try interruptible(box.onInterrupt) { try waitSliced(timeout) { slice in box.waitSlice(slice) } }
        try drainCallbacks()
        if done { try runCallback(box) }
        return done
    }

    /// Runs a wait; if Ctrl-C (KeyboardInterrupt) ends it, `stop` runs first (the pool's work is stopped), then the
    /// KeyboardInterrupt goes on.
    func interruptible<T>(_ stop: (() -> Void)?, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as PyException where e.exc.cls.name == "KeyboardInterrupt" {
            stop?()
            throw e
        }
    }

    /// Ctrl-C while the program waits in a pool terminates it (its workers stopped, its pending work dropped),
    /// as leaving `with Pool()` does: the shell gets its prompt back without busy workers behind it.
    func stopPool(_ p: PoolBox) -> () -> Void {
        { [weak p] in
            guard let p else { return }
            p.state = "TERMINATE"
            p.pool.terminate()
        }
    }

    func asyncBox(_ v: Value) throws -> AsyncBox { try payload(v, AsyncBox.self, "AsyncResult") }

    // MARK: submitting

    func poolBox(_ v: Value) throws -> PoolBox { try payload(v, PoolBox.self, "Pool") }

    func checkRunning(_ p: PoolBox) throws {
        if p.state != "RUN" { throw err("ValueError", "Pool not running") }
    }

    func checkTaskFunction() throws {
        guard MPShellTask.registered else { throw err("RuntimeError", "the pool's task function could not be registered") }
    }

    func encodeTask(_ mode: String, _ fn: Value, _ payload: Value) throws -> [UInt8] {
        try encode(.tuple(PyTuple([.str(mode), fn, toRefs(payload)])))
    }

    func listOf(_ v: Value) throws -> [Value] {
        if case .list(let l) = v { return l.items }
        if case .tuple(let t) = v { return t.items }
        var items: [Value] = []
        try interp.iterate(v) { items.append($0); return true }
        return items
    }

    /// CPython's default chunksize for map: len / (4 * processes), rounded up.
    func chunkSize(count: Int, _ chunksize: Value?, processes: Int) throws -> Int {
        var size: Int
        if let c = chunksize, !c.isNone {
            size = try interp.intArg(c)
        } else {
            let (q, r) = count.quotientAndRemainder(dividingBy: processes * 4)
            size = q + (r > 0 ? 1 : 0)
        }
        if count > 0 && size < 1 { throw err("ValueError", "Chunksize must be 1+, not \(size)") }
        return size
    }

    func chunks(_ items: [Value], _ chunksize: Value?, processes: Int) throws -> [[Value]] {
        let size = try chunkSize(count: items.count, chunksize, processes: processes)
        if items.isEmpty { return [] }
        return stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    func makeBox(_ kind: AsyncBox.Kind, callback: Value?, errorCallback: Value?) -> AsyncBox {
        let box = AsyncBox(kind)
        box.remoteTraceback = poolState.remoteTracebackClass
        box.callback = callback.flatMap { $0.isNone ? nil : $0 }
        box.errorCallback = errorCallback.flatMap { $0.isNone ? nil : $0 }
        return box
    }

    /// map_async / starmap_async: chunks the items and submits them.
    func submitMap(_ p: PoolBox, _ mode: String, _ fn: Value, _ iterable: Value, chunksize: Value?,
                   callback: Value?, errorCallback: Value?) throws -> AsyncBox {
        try checkRunning(p)
        try drainCallbacks()
        let tasks: [[UInt8]]
        let firstChunk: Int
        if case .obj(let r as PyRange) = iterable {
            // the results list must be possible: CPython's list(range(10**12)) is a MemoryError in the caller
            guard let n = r.exactCount else { throw err("OverflowError", "Python int too large to convert to C ssize_t") }
            try interp.checkAllocation(count: n, stride: MemoryLayout<Value>.stride, negative: "")
        }
        if mode == "m", case .obj(let r as PyRange) = iterable, let n = r.exactCount {
            // map(f, range(...)): each chunk is a sub-range (no list of ints built, encoded or decoded).
            let size = try chunkSize(count: n, chunksize, processes: p.processes)
            tasks = try stride(from: 0, to: n, by: max(size, 1)).map { i in
                let count = min(size, n - i)
                let start = r.start &+ i &* r.step
                return try encodeTask(mode, fn, .obj(PyRange(start, start &+ count &* r.step, r.step)))
            }
            firstChunk = min(size, n)
        } else {
            let items = try listOf(iterable)
            let pieces = try chunks(items, chunksize, processes: p.processes)
            tasks = try pieces.map { try encodeTask(mode, fn, .list(PyList($0))) }
            firstChunk = pieces.first?.count ?? 1
        }
        let box = makeBox(.map, callback: callback, errorCallback: errorCallback)
        box.handlerThread = p.handlerThread
        box.chunkSize = firstChunk
        box.onInterrupt = stopPool(p)
        if tasks.isEmpty {
            box.resolved = .success(.list(PyList([])))
            if box.callback != nil { poolState.done.push(poolState.token(for: box)) }
            return box
        }
        let r = try submitting(box) { notify in try p.pool.mapAsync(tasks, notify: notify) }
        box.waitSlice = { r.wait($0) }
        box.isReady = { r.isReady }
        box.fetch = { try r.fetch() }
        return box
    }

    func submitApply(_ p: PoolBox, _ fn: Value, _ args: Value?, _ kwds: Value?, callback: Value?,
                     errorCallback: Value?) throws -> AsyncBox {
        try checkRunning(p)
        try drainCallbacks()
        let argsTuple = Value.tuple(PyTuple(try args.map { try listOf($0) } ?? []))
        let kw = kwds.flatMap { $0.isNone ? nil : $0 } ?? .dict(PyDict())
        let bytes = try encodeTask("a", fn, .tuple(PyTuple([argsTuple, kw])))
        let box = makeBox(.apply, callback: callback, errorCallback: errorCallback)
        box.handlerThread = p.handlerThread
        box.onInterrupt = stopPool(p)
        let r = try submitting(box) { notify in try p.pool.applyAsync(bytes, notify: notify) }
        box.waitSlice = { r.wait($0) }
        box.isReady = { r.isReady }
        box.fetch = { try r.fetch() }
        return box
    }

    /// Submits through `body`, which is given where to announce the result when done if it has callbacks.
    func submitting(_ box: AsyncBox, _ body: ((DoneQueue, Int)?) throws -> ResultHandle) throws -> ResultHandle {
        let s = poolState
        let token = box.callback != nil || box.errorCallback != nil ? s.token(for: box) : nil
        do { return try body(token.map { (s.done, $0) }) } catch {
            if let token { s.waiting[token] = nil }
            throw poolError(error)
        }
    }

    /// Runs a library pool call, turning its errors into Python exceptions.
    func lib2<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw poolError(error) }
    }

    /// get() of a result: waits, runs callbacks, returns the value or raises.
    func getResult(_ box: AsyncBox, _ timeout: Duration?) throws -> Value {
        guard try waitBox(box, timeout) else { throw raise(timeoutErrorClass) }
        let r = resolve(box)
        if box.terminated && timeout != nil { throw raise(timeoutErrorClass) }
        return try r.get()
    }

    /// AsyncResult.ready(): a result the pool's terminate() dropped never becomes ready, as in CPython.
    func resultReady(_ box: AsyncBox) -> Bool {
        guard box.resolved != nil || box.isReady() else { return false }
        _ = resolve(box)
        return !box.terminated
    }

    // MARK: imap

    func submitIMap(_ p: PoolBox, _ fn: Value, _ iterable: Value, chunksize: Value?, ordered: Bool) throws -> Value {
        try checkRunning(p)
        try drainCallbacks()
        let size = try chunksize.flatMap { $0.isNone ? nil : try interp.intArg($0) } ?? 1
        if size < 1 { throw err("ValueError", "Chunksize must be 1+, not \(size)") }
        let it = try interp.getIter(iterable)
        let holder = IMapInput()
        // Called on the interpreter's thread only, when the results are read (see PoolHandle.imap).
        let input = { [unowned self] () -> [UInt8]? in
            if holder.failed { return nil }
            var chunk: [Value] = []
            do {
                while chunk.count < size, let x = try it.nextFn() { chunk.append(x) }
                if chunk.isEmpty { return nil }
                return try self.encodeTask("m", fn, .list(PyList(chunk)))
            } catch {
                holder.error = error
                holder.failed = true
                return nil
            }
        }
        let results = try lib2 { try p.pool.imap(ordered: ordered, next: input) }
        let box = IMapBox(results, p)
        box.inputError = holder.error
        let s = poolState
        let i = PyInstance(ordered ? s.imapClass : s.imapUnorderedClass)
        i.payload = IMapState(box, holder)
        return .obj(i)
    }

    func imapNext(_ v: Value, _ timeout: Duration?) throws -> Value {
        let st = try payload(v, IMapState.self, "IMapIterator")
        let box = st.box
        while true {
            if !box.buffer.isEmpty { return box.buffer.removeFirst() }
            try drainCallbacks()
            var got: [UInt8]?
            var finished = false
            let done = try interruptible(stopPool(box.pool)) { try waitSliced(timeout) { slice in
                do {
                    if let r = try box.results.next(timeout: slice) { got = r } else { finished = true }
                    return true
                } catch PoolError.timedOut {
                    return false
                } catch {
                    throw poolError(error)
                }
            } }
            if !done { throw raise(timeoutErrorClass) }
            if finished {
                if let e = st.input.error { st.input.error = nil; throw e }
                throw err("StopIteration", nil)
            }
            guard let got, case .tuple(let t) = try decode(got), t.items.count == 2 else {
                throw err("RuntimeError", "a pool result could not be read")
            }
            if case .bool(false) = t.items[0] { throw exceptionFrom(t.items[1], remote: poolState.remoteTracebackClass) }
            box.buffer = try listOf(t.items[1])
        }
    }

    // MARK: classes

    func makePoolClasses() {
        let s = poolState
        if s.poolClass != nil { return }
        let module = "multiprocessing.pool"
        s.maybeEncodingErrorClass = exceptionClass("MaybeEncodingError", module: module, base: interp.excClass("Exception"))
        s.remoteTracebackClass = makeRemoteTracebackClass("RemoteTraceback", module: module)
        let resultMembers: [(String, Value)] = [
            method("get") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["timeout"], "get")
                return try self.getResult(try self.asyncBox(a[0]), try self.timeout(b[0]))
            },
            method("wait") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["timeout"], "wait")
                _ = try self.waitBox(try self.asyncBox(a[0]), try self.timeout(b[0]))
                return .none
            },
            method("ready") { [unowned self] _, a, _ in
                let box = try self.asyncBox(a[0])
                try self.drainCallbacks()
                return .bool(self.resultReady(box))
            },
            method("successful") { [unowned self] i, a, _ in
                let box = try self.asyncBox(a[0])
                guard self.resultReady(box) else {
                    throw self.err("ValueError", "\(try i.repr(a[0])) not ready")
                }
                try self.runCallback(box)
                if case .success = self.resolve(box) { return .bool(true) }
                return .bool(false)
            },
        ]
        s.applyResultClass = makeClass("ApplyResult", module: module, resultMembers)
        s.mapResultClass = makeClass("MapResult", module: module, base: s.applyResultClass, [])
        let iterMembers: [(String, Value)] = [
            method("__iter__") { _, a, _ in a[0] },
            method("__next__") { [unowned self] _, a, _ in try self.imapNext(a[0], nil) },
            method("next") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["timeout"], "next")
                return try self.imapNext(a[0], try self.timeout(b[0]))
            },
        ]
        s.imapClass = makeClass("IMapIterator", module: module, iterMembers)
        s.imapUnorderedClass = makeClass("IMapUnorderedIterator", module: module, base: s.imapClass, [])

        let wrap: (AsyncBox, Bool) -> Value = { [unowned self] box, map in
            let i = PyInstance(map ? self.poolState.mapResultClass : self.poolState.applyResultClass)
            i.payload = box
            return .obj(i)
        }
        s.poolClass = makeClass("Pool", module: module, [
            method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw,
                                      ["processes", "initializer", "initargs", "maxtasksperchild", "context"], "Pool")
                let box = try self.newPool(b[0], b[1], b[2], b[3], context: b[4])
                inst.payload = box
                inst.dict["_processes"] = .int(box.processes)
                _ = i
                return .none
            },
            method("__repr__") { [unowned self] _, a, _ in
                let p = try self.poolBox(a[0])
                return .str("<multiprocessing.pool.Pool state=\(p.state) pool_size=\(p.processes)>")
            },
            method("__enter__") { [unowned self] _, a, _ in
                try self.checkRunning(try self.poolBox(a[0]))
                return a[0]
            },
            method("__exit__") { [unowned self] _, a, _ in
                let p = try self.poolBox(a[0])
                try self.drainCallbacks()
                p.state = "TERMINATE"
                p.pool.terminate()
                return .bool(false)
            },
            method("map") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "map")
                let box = try self.submitMap(try self.poolBox(a[0]), "m", try self.need(b[0], "func", "map"),
                                             try self.need(b[1], "iterable", "map"), chunksize: b[2], callback: nil,
                                             errorCallback: nil)
                return try self.getResult(box, nil)
            },
            method("starmap") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "starmap")
                let box = try self.submitMap(try self.poolBox(a[0]), "s", try self.need(b[0], "func", "starmap"),
                                             try self.need(b[1], "iterable", "starmap"), chunksize: b[2],
                                             callback: nil, errorCallback: nil)
                return try self.getResult(box, nil)
            },
            method("map_async") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw,
                                      ["func", "iterable", "chunksize", "callback", "error_callback"], "map_async")
                return wrap(try self.submitMap(try self.poolBox(a[0]), "m", try self.need(b[0], "func", "map_async"),
                                               try self.need(b[1], "iterable", "map_async"), chunksize: b[2],
                                               callback: b[3], errorCallback: b[4]), true)
            },
            method("starmap_async") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw,
                                      ["func", "iterable", "chunksize", "callback", "error_callback"], "starmap_async")
                return wrap(try self.submitMap(try self.poolBox(a[0]), "s",
                                               try self.need(b[0], "func", "starmap_async"),
                                               try self.need(b[1], "iterable", "starmap_async"), chunksize: b[2],
                                               callback: b[3], errorCallback: b[4]), true)
            },
            method("apply") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["func", "args", "kwds"], "apply")
                let box = try self.submitApply(try self.poolBox(a[0]), try self.need(b[0], "func", "apply"), b[1], b[2],
                                               callback: nil, errorCallback: nil)
                return try self.getResult(box, nil)
            },
            method("apply_async") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw,
                                      ["func", "args", "kwds", "callback", "error_callback"], "apply_async")
                return wrap(try self.submitApply(try self.poolBox(a[0]), try self.need(b[0], "func", "apply_async"),
                                                 b[1], b[2], callback: b[3], errorCallback: b[4]), false)
            },
            method("imap") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "imap")
                return try self.submitIMap(try self.poolBox(a[0]), try self.need(b[0], "func", "imap"),
                                           try self.need(b[1], "iterable", "imap"), chunksize: b[2], ordered: true)
            },
            method("imap_unordered") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "imap_unordered")
                return try self.submitIMap(try self.poolBox(a[0]), try self.need(b[0], "func", "imap_unordered"),
                                           try self.need(b[1], "iterable", "imap_unordered"), chunksize: b[2],
                                           ordered: false)
            },
            method("close") { [unowned self] _, a, _ in
                let p = try self.poolBox(a[0])
                try self.drainCallbacks()
                if p.state == "RUN" { p.state = "CLOSE" }
                p.pool.close()
                return .none
            },
            method("terminate") { [unowned self] _, a, _ in
                let p = try self.poolBox(a[0])
                try self.drainCallbacks()
                p.state = "TERMINATE"
                p.pool.terminate()
                return .none
            },
            method("join") { [unowned self] _, a, _ in
                let p = try self.poolBox(a[0])
                if p.state == "RUN" { throw self.err("ValueError", "Pool is still running") }
                _ = try self.interruptible(self.stopPool(p)) { try self.waitSliced(nil) { slice in
                    try self.drainCallbacks()
                    do { try p.pool.join(timeout: slice); return true } catch PoolError.timedOut { return false } catch {
                        throw self.poolError(error)
                    }
                } }
                try self.drainCallbacks()
                return .none
            },
        ])
    }

    func need(_ v: Value?, _ name: String, _ fname: String) throws -> Value {
        guard let v else { throw interp.typeError("\(fname)() missing required argument '\(name)'") }
        return v
    }

    /// Forks a pool from the interpreter's thread, its output flushed first.
    func newPool(_ processes: Value?, _ initializer: Value?, _ initargs: Value?, _ maxtasks: Value?,
                 context method: Value? = nil) throws -> PoolBox {
        letSleepRunCallbacks()
        var n: Int?
        if let p = processes, !p.isNone {
            n = try interp.intArg(p)
            if n! < 1 { throw err("ValueError", "Number of processes must be at least 1") }
        }
        var maxTasks: Int?
        if let m = maxtasks, !m.isNone {
            maxTasks = try interp.intArg(m)
            if maxTasks! < 1 { throw err("ValueError", "maxtasksperchild must be a positive int or None") }
        }
        var user: (Value, [Value])?
        if let f = initializer, !f.isNone {
            guard try interp.truthy(try interp.call(interp.builtins["callable"]!, [f])) else {
                throw interp.typeError("initializer must be a callable")
            }
            user = (f, try initargs.map { try listOf($0) } ?? [])
        }
        if poolState.currentIsDaemonic(interp) {
            // CPython's Process.start asserts it when the pool starts its first worker
            throw err("AssertionError", "daemonic processes are not allowed to have children")
        }
        try checkForkThread()
        try checkTaskFunction()
        let context = PoolTaskContext.shared
        context.interp = interp
        context.userInitializer = user
        context.workerStartMethod = try poolStartMethod(method)
        if context.workerStartMethod != "fork" { settleDefaultContext() }
        defer {
            context.userInitializer = nil
            context.workerStartMethod = "fork"
        }
        interp.flushAll()
        SharedMemoryTracker.start()  // before the workers fork: they share it
        let pool = try numberingWorkers(n ?? Multiprocessing.Process.cpuCount) {
            try lib2 {
                try PoolHandle(processes: n, initializer: PoolTaskContext.initializePoolWorker, maxTasksPerChild: maxTasks)
            }
        }
        poolState.poolsMade += 1
        let box = PoolBox(pool, pool.processes)
        box.handlerThread = poolState.poolsMade * 3
        return box
    }

    /// Runs `create` (which makes a pool of `count` workers) with the workers' process numbers set for them to
    /// inherit, taken from this process's counter as CPython's pool takes one per worker: `ForkPoolWorker-2` and
    /// `-3` after one Process, and `Process-4` next (see `Process.withChildNumbers`).
    func numberingWorkers<T>(_ count: Int, _ create: () throws -> T) throws -> T {
        let context = PoolTaskContext.shared
        defer { context.workerIdentities = [] }
        return try Multiprocessing.Process.withChildNumbers(count) { identities in
            context.workerIdentities = identities
            return try create()
        }
    }

    /// The start method of a pool: its `context` argument's (a context, or the method's name that
    /// `get_context(method).Pool` passes), else the one set, else fork.
    func poolStartMethod(_ context: Value?) throws -> String {
        guard let context, !context.isNone else { return startMethod ?? "fork" }
        if case .str(let s) = context { return s.s }
        if case .str(let s)? = try? interp.getAttr(context, "_name") { return s.s }
        return startMethod ?? "fork"
    }

}

final class IMapInput {
    var error: Error?
    var failed = false
}

final class IMapState {
    let box: IMapBox
    let input: IMapInput
    init(_ b: IMapBox, _ i: IMapInput) { box = b; input = i }
}

extension Interpreter {
    /// `multiprocessing.pool`: the module the Pool's classes live in.
    func registerPoolModules() {
        registerModule("multiprocessing.pool") { i in
            let b = i.mpBinding
            b.makePoolClasses()
            let s = b.poolState
            let m = PyModule(name: "multiprocessing.pool")
            m.set("Pool", .obj(s.poolClass))
            m.set("ApplyResult", .obj(s.applyResultClass))
            m.set("AsyncResult", .obj(s.applyResultClass))
            m.set("MapResult", .obj(s.mapResultClass))
            m.set("IMapIterator", .obj(s.imapClass))
            m.set("IMapUnorderedIterator", .obj(s.imapUnorderedClass))
            m.set("MaybeEncodingError", .obj(s.maybeEncodingErrorClass))
            m.set("RemoteTraceback", .obj(s.remoteTracebackClass))
            m.set("TimeoutError", .obj(b.timeoutErrorClass))
            m.fn("ThreadPool") { _, _, _ in
                throw b.err("NotImplementedError",
                            "ThreadPool is not available in mpsh (the interpreter runs on one thread): use Pool")
            }
            return m
        }
    }
}

extension Interpreter {
    /// multiprocessing.pool, multiprocessing.managers, concurrent.futures (one line in `registerMultiprocessingModules`).
    func registerPoolManagerFuturesModules() {
        registerPoolModules()
        registerManagerModules()
        registerFuturesModules()
    }
}
