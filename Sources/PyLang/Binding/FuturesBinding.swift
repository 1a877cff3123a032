// concurrent.futures: ProcessPoolExecutor, Future, as_completed, wait, and the module's exceptions, over the
// library's `ProcessPoolExecutor`. Tasks travel as the pool's do (see PoolBinding.swift: one registered function,
// "mpsh.call", runs the interpreter-encoded call in a worker forked from the interpreter).
// Done-callbacks (`add_done_callback`) run on the interpreter's thread, when the program next waits in or calls
// the executor or a future (result, exception, done, as_completed, wait, submit, shutdown, `with` exit).
// ThreadPoolExecutor is not provided (the interpreter runs on one thread): it raises NotImplementedError.
// Mirrors CPython's `Lib/concurrent/futures/_base.py` and `process.py`.
import Multiprocessing
import PoolBridge
#if canImport(Glibc)
import Glibc
#endif

final class ExecutorBox {
    let executor: ExecutorHandle
    var shutDown = false
    /// Submitted futures not yet seen done (shutdown waits for them in slices).
    var pending: [AsyncBox] = []
    init(_ e: ExecutorHandle) { executor = e }
}

/// Per-binding futures state: classes and exceptions.
final class FuturesState {
    var executorClass: PyClass!
    var futureClass: PyClass!
    var errorClass: PyClass!
    var cancelledClass: PyClass!
    var brokenExecutorClass: PyClass!
    var brokenProcessPoolClass: PyClass!
    var invalidStateClass: PyClass!
    var remoteTracebackClass: PyClass!
    var doneTuple: Value?
}

extension MPBinding {
    var futuresCancelledClass: PyClass { futuresState.cancelledClass }
    var brokenProcessPoolClass: PyClass { futuresState.brokenProcessPoolClass }

    func futureBox(_ v: Value) throws -> AsyncBox { try payload(v, AsyncBox.self, "Future") }

    /// Calls a done-callback with its future; an exception in it is reported on stderr and ignored, as CPython's
    /// logger does.
    func callDoneCallback(_ c: Value, _ future: Value) throws {
        do {
            _ = try interp.call(c, [future])
        } catch let e as PyException {
            interp.flushAll()
            let text = "exception calling callback for \(try interp.repr(future))\n\(e.exc.cls.name): \((try? interp.str(.obj(e.exc))) ?? "")\n"
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        }
    }

    /// Future.cancel(): true if the call had not started and now never will (its done callbacks run).
    /// Mirrors `concurrent.futures.Future.cancel`.
    func cancelFuture(_ box: AsyncBox, _ future: Value) throws -> Bool {
        if box.cancelledFlag { return true }
        if isDone(box) { return false }
        guard box.cancel() else { return false }
        box.cancelledFlag = true
        box.resolved = .failure(raise(futuresCancelledClass))
        let calls = box.doneCallbacks
        box.doneCallbacks = []
        box.futureKeep = nil
        box.callbackRan = true
        for c in calls { try callDoneCallback(c, future) }
        return true
    }

    /// shutdown(cancel_futures=True): every future not yet running is cancelled, as CPython's executor cancels
    /// its pending work items (`cancelled()` True, `result()` and `exception()` raise CancelledError).
    func cancelPending(_ boxes: [AsyncBox]) throws {
        for box in boxes where !box.cancelledFlag && !isDone(box) && !box.isRunning() {
            _ = try cancelFuture(box, box.futureValue ?? .none)
        }
    }

    func futureState(_ box: AsyncBox) -> String {
        if box.cancelledFlag { return "cancelled" }
        if box.resolved != nil || box.isReady() { return "finished" }
        if box.isRunning() { return "running" }
        return "pending"
    }

    func futureRepr(_ v: Value) throws -> String {
        let box = try futureBox(v)
        let addr = "0x" + String(UInt(bitPattern: ObjectIdentifier(try payloadObject(v))), radix: 16)
        let state = futureState(box)
        if state == "finished" {
            switch resolve(box) {
            case .success(let value): return "<Future at \(addr) state=finished returned \(interp.typeName(value))>"
            case .failure(let e):
                let name = (e as? PyException)?.exc.cls.name ?? "Exception"
                return "<Future at \(addr) state=finished raised \(name)>"
            }
        }
        return "<Future at \(addr) state=\(state)>"
    }

    func payloadObject(_ v: Value) throws -> PyInstance {
        guard case .obj(let i as PyInstance) = v else { throw interp.typeError("expected a Future") }
        return i
    }

    func executorBox(_ v: Value) throws -> ExecutorBox { try payload(v, ExecutorBox.self, "ProcessPoolExecutor") }

    func submitFuture(_ e: ExecutorBox, _ mode: String, _ fn: Value, _ payload: Value) throws -> Value {
        if e.shutDown { throw err("RuntimeError", "cannot schedule new futures after shutdown") }
        try drainCallbacks()
        let bytes = try encodeTask(mode, fn, payload)
        let f = try lib2 { try e.executor.submit(bytes) }
        let box = AsyncBox(mode == "a" ? .apply : .map)
        box.remoteTraceback = futuresState.remoteTracebackClass
        box.waitSlice = { f.wait($0) }
        box.isReady = { f.isReady }
        box.isRunning = { f.isRunning }
        box.fetch = {
            do { return try f.fetch() } catch let e as PoolError {
                switch e {
                // CPython breaks the whole executor; ours replaces the worker and fails only this future.
                case .workerDied, .resultLost: throw PoolError.brokenPool(e.description)
                default: throw e
                }
            }
        }
        box.cancel = { f.cancel() }
        box.notify = { queue, token in f.notify(queue, token) }
        // Ctrl-C while the program waits on this future: the executor's work stops now, running calls included
        // (they used to run to their end first, and the KeyboardInterrupt waited for them), as the Pool's does
        box.onInterrupt = { [weak e] in
            guard let e else { return }
            e.shutDown = true
            e.executor.terminateWorkers()
        }
        e.pending.removeAll { $0.isReady() }
        e.pending.append(box)
        let inst = PyInstance(futuresState.futureClass)
        inst.payload = box
        box.futureInstance = inst
        return .obj(inst)
    }

    /// Waits until `satisfied` holds over the boxes or the timeout passes (slices: Ctrl-C gets through).
    func waitFutures(_ boxes: [AsyncBox], _ timeout: Duration?, _ satisfied: () -> Bool) throws -> Bool {
        let signal = DoneQueue()
        for b in boxes where b.resolved == nil && !b.cancelledFlag { b.notify?(signal, 0) }
        var seen = signal.count
        return try waitSliced(timeout) { slice in
            if satisfied() { return true }
            seen = signal.wait(after: seen, slice)
            return satisfied()
        }
    }

    func isDone(_ b: AsyncBox) -> Bool { b.cancelledFlag || b.resolved != nil || b.isReady() }

    func futuresList(_ v: Value) throws -> [(Value, AsyncBox)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(Value, AsyncBox)] = []
        try interp.iterate(v) { f in
            let box = try self.futureBox(f)
            if seen.insert(ObjectIdentifier(box)).inserted { out.append((f, box)) }
            return true
        }
        return out
    }

    func asCompleted(_ fs: Value, _ timeoutValue: Value?) throws -> Value {
        try drainCallbacks()
        var pending = try futuresList(fs)
        let total = pending.count
        let t = try timeout(timeoutValue)
        let deadline = t.map { ContinuousClock.now + $0 }
        let signal = DoneQueue()
        for (_, b) in pending where !isDone(b) { b.notify?(signal, 0) }
        var seen = signal.count
        let it = PyIterator("generator") { [unowned self] in
            if pending.isEmpty { return nil }
            try self.drainCallbacks()
            let left = deadline.map { max(.zero, $0 - ContinuousClock.now) }
            let found = try self.waitSliced(left) { slice in
                if pending.contains(where: { self.isDone($0.1) }) { return true }
                seen = signal.wait(after: seen, slice)
                return pending.contains(where: { self.isDone($0.1) })
            }
            guard found, let i = pending.firstIndex(where: { self.isDone($0.1) }) else {
                throw self.err("TimeoutError", "\(pending.count) (of \(total)) futures unfinished")
            }
            let (f, b) = pending.remove(at: i)
            try self.runCallback(b)
            return f
        }
        return .obj(it)
    }

    func waitCall(_ fs: Value, _ timeoutValue: Value?, _ returnWhen: Value?) throws -> Value {
        try drainCallbacks()
        let list = try futuresList(fs)
        let when = try returnWhen.map { try interp.strArg($0, "wait") } ?? "ALL_COMPLETED"
        guard ["ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"].contains(when) else {
            throw err("ValueError", "Invalid return condition: '\(when)'")
        }
        let boxes = list.map(\.1)
        let failed: (AsyncBox) -> Bool = { [unowned self] b in
            guard !b.cancelledFlag, self.isDone(b) else { return false }
            if case .failure = self.resolve(b) { return true }
            return false
        }
        _ = try waitFutures(boxes, try timeout(timeoutValue)) {
            switch when {
            case "FIRST_COMPLETED": return boxes.isEmpty || boxes.contains(where: isDone)
            case "FIRST_EXCEPTION": return boxes.allSatisfy(isDone) || boxes.contains(where: failed)
            default: return boxes.allSatisfy(isDone)
            }
        }
        try drainCallbacks()
        let done = PySet(), notDone = PySet()
        for (f, b) in list {
            if isDone(b) { try runCallback(b); done.add(f) } else { notDone.add(f) }
        }
        return try doneAndNotDone(.obj(done), .obj(notDone))
    }

    func doneAndNotDone(_ done: Value, _ notDone: Value) throws -> Value {
        if let cls = futuresState.doneTuple { return try interp.call(cls, [done, notDone]) }
        if case .obj(let c as PyModule) = try interp.importModule("collections"), let nt = c.get("namedtuple") {
            let cls = try interp.call(nt, [.str("DoneAndNotDoneFutures"), .str("done not_done")])
            futuresState.doneTuple = cls
            return try interp.call(cls, [done, notDone])
        }
        return .tuple(PyTuple([done, notDone]))
    }

    /// executor.map: submits chunks of the zipped iterables, yields the results in order.
    func executorMap(_ e: ExecutorBox, _ fn: Value, _ iterables: [Value], _ timeoutValue: Value?,
                     _ chunksizeValue: Value?) throws -> Value {
        let chunksize = try chunksizeValue.flatMap { $0.isNone ? nil : try interp.intArg($0) } ?? 1
        if chunksize < 1 { throw err("ValueError", "chunksize must be >= 1.") }
        let t = try timeout(timeoutValue)
        let deadline = t.map { ContinuousClock.now + $0 }
        let lists = try iterables.map { try listOf($0) }
        let n = lists.map(\.count).min() ?? 0
        var futures: [AsyncBox] = []
        var start = 0
        while start < n {
            let end = min(start + chunksize, n)
            let chunk = (start..<end).map { i in Value.tuple(PyTuple(lists.map { $0[i] })) }
            futures.append(try futureBox(try submitFuture(e, "s", fn, .list(PyList(chunk)))))
            start = end
        }
        var buffer: [Value] = []
        var index = 0
        // the iterator keeps its executor: `ProcessPoolExecutor(2).map(...)` drops the executor at once, and its
        // deinit then waited for every task, deaf to Ctrl-C
        let it = PyIterator("generator") { [unowned self, e] in
            _ = e
            while buffer.isEmpty {
                if index >= futures.count { return nil }
                let box = futures[index]
                index += 1
                let left = deadline.map { max(.zero, $0 - ContinuousClock.now) }
                guard try self.waitBox(box, left) else {
                    for f in futures[index...] { _ = f.cancel() }
                    throw self.err("TimeoutError", nil)
                }
                buffer = try self.listOf(try self.resolve(box).get()).reversed()
            }
            return buffer.removeLast()
        }
        return .obj(it)
    }

    func shutdownExecutor(_ e: ExecutorBox, wait: Bool, cancelFutures: Bool) throws {
        try drainCallbacks()
        e.shutDown = true
        if wait {
            // Wait in slices for the submitted work, then let the library join the workers.
            if cancelFutures {
                try cancelPending(e.pending)
                e.executor.shutdown(wait: false, cancelFutures: true)
            }
            let boxes = e.pending
            _ = try waitFutures(boxes, nil) { boxes.allSatisfy { $0.isReady() || $0.cancelledFlag } }
            e.pending = []
            e.executor.shutdown(wait: true)
            try drainCallbacks()
        } else {
            if cancelFutures { try cancelPending(e.pending) }
            e.executor.shutdown(wait: false, cancelFutures: cancelFutures)
        }
    }

    func makeFuturesClasses(_ s: FuturesState) {
        let module = "concurrent.futures._base"
        let exc = interp.excClass("Exception")
        s.errorClass = exceptionClass("Error", module: module, base: exc)
        s.cancelledClass = exceptionClass("CancelledError", module: module, base: s.errorClass)
        s.invalidStateClass = exceptionClass("InvalidStateError", module: module, base: s.errorClass)
        s.brokenExecutorClass = exceptionClass("BrokenExecutor", module: module, base: interp.excClass("RuntimeError"))
        s.brokenProcessPoolClass = exceptionClass("BrokenProcessPool", module: "concurrent.futures.process",
                                                  base: s.brokenExecutorClass)
        s.remoteTracebackClass = makeRemoteTracebackClass("_RemoteTraceback", module: "concurrent.futures.process")
        let timeoutArg: ([Value], [(String, Value)], String) throws -> Duration? = { [unowned self] a, kw, name in
            try self.timeout(try self.bind(Array(a.dropFirst()), kw, ["timeout"], name)[0])
        }
        s.futureClass = makeClass("Future", module: module, [
            method("__repr__") { [unowned self] _, a, _ in .str(try self.futureRepr(a[0])) },
            method("result") { [unowned self] _, a, kw in
                let box = try self.futureBox(a[0])
                if box.cancelledFlag { throw self.raise(self.futuresCancelledClass) }
                guard try self.waitBox(box, try timeoutArg(a, kw, "result")) else { throw self.err("TimeoutError", nil) }
                return try self.resolve(box).get()
            },
            method("exception") { [unowned self] _, a, kw in
                let box = try self.futureBox(a[0])
                if box.cancelledFlag { throw self.raise(self.futuresCancelledClass) }
                guard try self.waitBox(box, try timeoutArg(a, kw, "exception")) else { throw self.err("TimeoutError", nil) }
                switch self.resolve(box) {
                case .success: return .none
                case .failure(let e):
                    if let pe = e as? PyException { return .obj(pe.exc) }
                    throw e
                }
            },
            method("done") { [unowned self] _, a, _ in
                try self.drainCallbacks()
                return .bool(self.isDone(try self.futureBox(a[0])))
            },
            method("running") { [unowned self] _, a, _ in
                .bool(self.futureState(try self.futureBox(a[0])) == "running")
            },
            method("cancelled") { [unowned self] _, a, _ in .bool(try self.futureBox(a[0]).cancelledFlag) },
            method("cancel") { [unowned self] _, a, _ in .bool(try self.cancelFuture(try self.futureBox(a[0]), a[0])) },
            method("add_done_callback") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["fn"], "add_done_callback")
                let box = try self.futureBox(a[0])
                let fn = try self.need(b[0], "fn", "add_done_callback")
                try self.drainCallbacks()
                if box.callbackRan || box.cancelledFlag {
                    try self.callDoneCallback(fn, a[0])
                    return .none
                }
                let first = box.doneCallbacks.isEmpty
                box.doneCallbacks.append(fn)
                if case .obj(let inst as PyInstance) = a[0] { box.futureKeep = inst }
                if first, let notify = box.notify {
                    let s = self.poolState
                    notify(s.done, s.token(for: box))
                }
                return .none
            },
        ])
        s.executorClass = makeClass("ProcessPoolExecutor", module: "concurrent.futures.process", [
            method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw,
                                      ["max_workers", "mp_context", "initializer", "initargs", "max_tasks_per_child"],
                                      "ProcessPoolExecutor")
                var n: Int?
                if let v = b[0], !v.isNone {
                    n = try i.intArg(v)
                    if n! <= 0 { throw self.err("ValueError", "max_workers must be greater than 0") }
                }
                var maxTasks: Int?
                if let v = b[4], !v.isNone {
                    maxTasks = try i.intArg(v)
                    if maxTasks! <= 0 { throw self.err("ValueError", "max_tasks_per_child must be >= 1") }
                }
                var user: (Value, [Value])?
                if let f = b[2], !f.isNone { user = (f, try b[3].map { try self.listOf($0) } ?? []) }
                self.letSleepRunCallbacks()
                try self.checkForkThread()
                try self.checkTaskFunction()
                let context = PoolTaskContext.shared
                context.interp = i
                context.userInitializer = user
                context.workerStartMethod = try self.poolStartMethod(b[1])
                if context.workerStartMethod != "fork" { self.settleDefaultContext() }
                defer {
                    context.userInitializer = nil
                    context.workerStartMethod = "fork"
                }
                i.flushAll()
                SharedMemoryTracker.start()  // before the workers fork: they share it
                let e = try self.numberingWorkers(n ?? Multiprocessing.Process.cpuCount) {
                    try self.lib2 {
                        try ExecutorHandle(maxWorkers: n, initializer: PoolTaskContext.initializeExecutorWorker,
                                           maxTasksPerChild: maxTasks)
                    }
                }
                inst.payload = ExecutorBox(e)
                return .none
            },
            method("__enter__") { _, a, _ in a[0] },
            method("__exit__") { [unowned self] _, a, _ in
                try self.shutdownExecutor(try self.executorBox(a[0]), wait: true, cancelFutures: false)
                return .bool(false)
            },
            method("submit") { [unowned self] i, a, kw in
                guard a.count >= 2 else { throw i.typeError("submit() missing 1 required positional argument: 'fn'") }
                let d = PyDict()
                for (k, v) in kw { d.set(.str(k), v) }
                return try self.submitFuture(try self.executorBox(a[0]), "a", a[1],
                                             .tuple(PyTuple([.tuple(PyTuple(Array(a.dropFirst(2)))), .dict(d)])))
            },
            method("map") { [unowned self] i, a, kw in
                guard a.count >= 2 else { throw i.typeError("map() missing 1 required positional argument: 'fn'") }
                var t: Value?, c: Value?
                for (k, v) in kw {
                    switch k {
                    case "timeout": t = v
                    case "chunksize": c = v
                    default: throw i.typeError("map() got an unexpected keyword argument '\(k)'")
                    }
                }
                return try self.executorMap(try self.executorBox(a[0]), a[1], Array(a.dropFirst(2)), t, c)
            },
            method("shutdown") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["wait", "cancel_futures"], "shutdown")
                try self.shutdownExecutor(try self.executorBox(a[0]), wait: try self.truthy(b[0], default: true),
                                          cancelFutures: try self.truthy(b[1], default: false))
                return .none
            },
        ])
    }

    func futuresModule() -> PyModule {
        let s = futuresState
        let m = PyModule(name: "concurrent.futures")
        m.set("ProcessPoolExecutor", .obj(s.executorClass))
        m.set("Future", .obj(s.futureClass))
        m.set("CancelledError", .obj(s.cancelledClass))
        m.set("InvalidStateError", .obj(s.invalidStateClass))
        m.set("BrokenExecutor", .obj(s.brokenExecutorClass))
        m.set("TimeoutError", .obj(interp.excClass("TimeoutError")))
        m.set("FIRST_COMPLETED", .str("FIRST_COMPLETED"))
        m.set("FIRST_EXCEPTION", .str("FIRST_EXCEPTION"))
        m.set("ALL_COMPLETED", .str("ALL_COMPLETED"))
        m.fn("as_completed") { [unowned self] _, a, kw in
            let b = try self.bind(a, kw, ["fs", "timeout"], "as_completed")
            return try self.asCompleted(try self.need(b[0], "fs", "as_completed"), b[1])
        }
        m.fn("wait") { [unowned self] _, a, kw in
            let b = try self.bind(a, kw, ["fs", "timeout", "return_when"], "wait")
            return try self.waitCall(try self.need(b[0], "fs", "wait"), b[1], b[2])
        }
        m.fn("ThreadPoolExecutor") { [unowned self] _, _, _ in
            throw self.err("NotImplementedError",
                           "ThreadPoolExecutor is not available in mpsh (the interpreter runs on one thread): use ProcessPoolExecutor")
        }
        return m
    }
}

extension Interpreter {
    /// `concurrent`, `concurrent.futures` and `concurrent.futures.process`.
    func registerFuturesModules() {
        registerModule("concurrent") { i in
            let m = PyModule(name: "concurrent")
            m.set("futures", try i.importModule("concurrent.futures"))
            return m
        }
        registerModule("concurrent.futures") { i in
            _ = try i.importModule("multiprocessing")
            let m = i.mpBinding.futuresModule()
            if case .obj(let p as PyModule) = try i.importModule("concurrent.futures.process") { m.set("process", .obj(p)) }
            return m
        }
        registerModule("concurrent.futures.process") { i in
            let s = i.mpBinding.futuresState
            let m = PyModule(name: "concurrent.futures.process")
            m.set("ProcessPoolExecutor", .obj(s.executorClass))
            m.set("BrokenProcessPool", .obj(s.brokenProcessPoolClass))
            m.set("_RemoteTraceback", .obj(s.remoteTracebackClass))
            return m
        }
    }
}
