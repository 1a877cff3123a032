// mpi4py.futures for mpsh: MPIPoolExecutor and MPICommExecutor (submit, map, starmap, shutdown, bootup), a
// submitted call or a map's chunks as one job of the runtime's executor, and the remote tracebacks a worker's
// exception comes back with (`mpi4py.futures._core`). Mirrors mpi4py's `mpi4py/futures/pool.py` and
// `mpi4py/futures/_core.py`. The runtime and the binding: MPI4PyBinding.swift.

extension MPI4PyBinding {
    // MARK: remote tracebacks

    /// Marks a call's outcome that is an exception with its traceback (see `coreModule`).
    static let raisedMarker = "mpi4py.futures._core.raised"

    /// `mpi4py.futures._core`: `RemoteTraceback` and `call`, the wrapper a submitted call runs in a worker. A
    /// builtin of a module travels by name (the worker imports the module), so every worker has it.
    func coreModule() -> PyModule {
        let m = PyModule(name: "mpi4py.futures._core")
        m.set("RemoteTraceback", .obj(remoteTracebackClass))
        m.fn("call") { [unowned self] i, a, _ in
            guard a.count == 3 else { throw i.typeError("call(fn, args, kwargs)") }
            var kw: [(String, Value)] = []
            if case .dict(let d) = a[2] { for (k, v) in d.items { kw.append((try i.strArg(k, "keyword"), v)) } }
            do {
                return try i.call(a[0], try self.mp.listOf(a[1]), kw)
            } catch let e as PyException where !e.exc.cls.isSubclass(of: i.excClass("SystemExit")) {
                // the exception, as the pool sends it, with its traceback as text: mpi4py's `sys_exception`
                i.flushAll()
                let header = "### MPI rank \(self.runtime.rank) on \(self.runtime.processorName)\n"
                return .tuple(PyTuple([.str(Self.raisedMarker), self.mp.exceptionPayload(e.exc),
                                       .str(header + "\"\"\"\n" + i.formatTraceback(e.exc) + "\"\"\"")]))
            }
        }
        return m
    }

    /// A submitted call's outcome: the bytes as they are, or, for an exception raised in the worker, that exception
    /// with `__cause__` a RemoteTraceback holding the worker's traceback (thrown), as mpi4py raises it.
    func withRemoteTraceback(_ outcome: [UInt8]) throws -> [UInt8] {
        guard case .tuple(let t) = try mp.decode(outcome), t.items.count == 2, case .bool(true) = t.items[0],
              case .tuple(let raised) = t.items[1], raised.items.count == 3,
              case .str(Self.raisedMarker) = raised.items[0] else { return outcome }
        let e = mp.exceptionFrom(raised.items[1])
        let cause = PyInstance(remoteTracebackClass)
        let text = (try? interp.str(raised.items[2])) ?? ""
        cause.dict["args"] = .tuple(PyTuple([.str("\n" + text)]))
        e.exc.cause = .obj(cause)
        throw e
    }

    // MARK: mpi4py.futures

    func futuresModule() throws -> PyModule {
        let futures = try interp.importModule("concurrent.futures")
        makeExecutorClasses()
        let m = PyModule(name: "mpi4py.futures")
        m.set("MPIPoolExecutor", .obj(state.executorClass))
        m.set("MPICommExecutor", .obj(state.commExecutorClass))
        for name in ["Future", "as_completed", "wait", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED",
                     "CancelledError", "TimeoutError", "BrokenExecutor", "InvalidStateError"] {
            m.set(name, try interp.getAttr(futures, name))
        }
        return m
    }

    func executorBox(_ v: Value) throws -> MPIExecutorBox { try mp.payload(v, MPIExecutorBox.self, "MPIPoolExecutor") }

    /// The encoded initializer task, or nil.
    func initializerTask(_ f: Value?, _ args: Value?) throws -> [UInt8]? {
        guard let f, !f.isNone else { return nil }
        let d = PyDict()
        let payload = Value.tuple(PyTuple([.tuple(PyTuple(try args.map { try mp.listOf($0) } ?? [])), .dict(d)]))
        return try mp.encodeTask("a", f, payload)
    }

    func makeExecutorClasses() {
        if state.executorClass != nil { return }
        let module = "mpi4py.futures.pool"
        let common: [(String, Value)] = [
            mp.method("submit") { [unowned self] i, a, kw in
                guard a.count >= 2 else { throw i.typeError("submit() missing 1 required positional argument: 'fn'") }
                let d = PyDict()
                for (k, v) in kw { d.set(.str(k), v) }
                return try self.submit(try self.executorBox(a[0]), "a", a[1],
                                       .tuple(PyTuple([.tuple(PyTuple(Array(a.dropFirst(2)))), .dict(d)])))
            },
            mp.method("map") { [unowned self] i, a, kw in
                guard a.count >= 2 else { throw i.typeError("map() missing 1 required positional argument: 'fn'") }
                let (t, c) = try self.mapKeywords(kw, "map")
                guard a.count >= 3 else { throw i.typeError("map() must have at least two arguments.") }
                let (iterable, star) = try self.mapArguments(Array(a.dropFirst(2)), star: false)
                return try self.map(try self.executorBox(a[0]), a[1], iterable, star: star, t,
                                    chunksize: try self.chunksizeArgument(c))
            },
            mp.method("starmap") { [unowned self] _, a, kw in
                guard a.count >= 3 else { throw self.interp.typeError("starmap() missing required arguments 'fn' and 'iterable'") }
                let (t, c) = try self.mapKeywords(kw, "starmap")
                let (iterable, _) = try self.mapArguments([a[2]], star: true)
                return try self.map(try self.executorBox(a[0]), a[1], iterable, star: true, t,
                                    chunksize: try self.chunksizeArgument(c))
            },
            mp.method("shutdown") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["wait", "cancel_futures"], "shutdown")
                try self.shutdown(try self.executorBox(a[0]), wait: try self.mp.truthy(b[0], default: true),
                                  cancelFutures: try self.mp.truthy(b[1], default: false))
                return .none
            },
            mp.method("bootup") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["wait"], "bootup")
                if try self.mp.truthy(b[0], default: true) { try self.executorBox(a[0]).executor.bootup() }
                return a[0]
            },
            mp.property("num_workers") { [unowned self] _, a, _ in .int(try self.executorBox(a[0]).executor.numWorkers) },
            mp.method("__enter__") { _, a, _ in a[0] },
            mp.method("__exit__") { [unowned self] _, a, _ in
                try self.shutdown(try self.executorBox(a[0]), wait: true, cancelFutures: false)
                return .bool(false)
            },
        ]
        state.executorClass = mp.makeClass("MPIPoolExecutor", module: module, common + [
            mp.method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.mp.bind(Array(a.dropFirst()), kw,
                                         ["max_workers", "initializer", "initargs", "python_exe", "python_args",
                                          "mpi_info", "globals", "main", "path", "wdir", "env"], "MPIPoolExecutor")
                var n: Int?
                if let v = b[0], !v.isNone {
                    n = try i.intArg(v)
                    if n! <= 0 { throw self.mp.err("ValueError", "max_workers must be greater than 0") }
                }
                let initializer = try self.initializerTask(b[1], b[2])
                i.flushAll()
                let handle = try self.lib { try self.runtime.makeExecutor(maxWorkers: n, initializer: initializer) }
                inst.payload = MPIExecutorBox(handle)
                return .none
            },
        ])
        // MPICommExecutor(comm, root): `with MPICommExecutor(MPI.COMM_WORLD, 0) as executor:` is the executor on
        // the root and None on the other ranks, which serve inside __enter__ until the root leaves its block.
        state.commExecutorClass = mp.makeClass("MPICommExecutor", module: module, [
            mp.method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["comm", "root"], "MPICommExecutor")
                inst.dict["_root"] = .int(try self.rankArgument(b[1] ?? .int(0), "root"))
                _ = i
                return .none
            },
            mp.method("__enter__") { [unowned self] i, a, _ in
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                let root = try i.intArg(inst.dict["_root"] ?? .int(0))
                i.flushAll()
                guard let handle = try self.lib({ try self.runtime.makeCommExecutor(root: root) }) else { return .none }
                let executor = PyInstance(self.state.executorClass)
                executor.payload = MPIExecutorBox(handle)
                inst.dict["_executor"] = .obj(executor)
                return .obj(executor)
            },
            mp.method("__exit__") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], let e = inst.dict["_executor"] else { return .bool(false) }
                try self.shutdown(try self.executorBox(e), wait: true, cancelFutures: false)
                return .bool(false)
            },
        ])
    }

    /// A Future over the runtime's future (the concurrent.futures Future class: result, done, callbacks...).
    func submit(_ e: MPIExecutorBox, _ mode: String, _ fn: Value, _ payload: Value) throws -> Value {
        if e.shutDown { throw mp.err("RuntimeError", "cannot schedule new futures after shutdown") }
        try mp.drainCallbacks()
        // the call runs inside mpi4py.futures._core.call, which sends an exception back with its traceback
        guard case .obj(let core as PyModule) = try interp.importModule("mpi4py.futures._core"),
              let call = core.get("call"), case .tuple(let p) = payload, p.items.count == 2 else {
            throw mp.err("RuntimeError", "mpi4py.futures._core is missing")
        }
        let wrapped = Value.tuple(PyTuple([.tuple(PyTuple([fn, p.items[0], p.items[1]])), .dict(PyDict())]))
        let bytes = try mp.encodeTask(mode, call, wrapped)
        let f = try lib { try e.executor.submit(bytes) }
        let box = pendingBox(.apply, e, f) { [unowned self] in try $0.map { try self.withRemoteTraceback($0) } }
        let inst = PyInstance(mp.futuresState.futureClass)
        inst.payload = box
        box.futureInstance = inst
        return .obj(inst)
    }

    /// executor.map / starmap / Pool.map: the chunks as one job, the results in order, as an iterator (with
    /// `unordered`, in order too: every result arrives with the job). `star`: each item is a tuple of arguments
    /// (starmap, several iterables); else the function takes the item, and a `range` travels as sub-ranges (no
    /// list of ints built, encoded or decoded), as the local pool's map does. Mirrors
    /// `MPIPoolExecutor.map(fn, *iterables, timeout, chunksize, unordered)`.
    func map(_ e: MPIExecutorBox, _ fn: Value, _ iterable: Value, star: Bool, _ timeoutValue: Value?,
             chunksize: Int) throws -> Value {
        let t = try mp.timeout(timeoutValue)
        guard let box = try submitMap(e, fn, iterable, star: star, chunksize: chunksize) else {
            return .obj(PyIterator("generator") { nil })
        }
        guard try mp.waitBox(box, t) else {
            _ = box.cancel()
            throw mp.err("TimeoutError", nil)
        }
        let results = try mp.listOf(try mp.resolve(box).get())
        var index = 0
        return .obj(PyIterator("generator") {
            guard index < results.count else { return nil }
            defer { index += 1 }
            return results[index]
        })
    }

    /// Submits a map's chunks as one job; its result box (a map's: the chunks' outcomes), nil for no items.
    func submitMap(_ e: MPIExecutorBox, _ fn: Value, _ iterable: Value, star: Bool, chunksize: Int) throws -> AsyncBox? {
        if e.shutDown { throw mp.err("RuntimeError", "cannot schedule new futures after shutdown") }
        if chunksize < 1 { throw mp.err("ValueError", "chunksize must be >= 1.") }
        try mp.drainCallbacks()
        var tasks: [[UInt8]] = []
        if !star, case .obj(let r as PyRange) = iterable, let n = r.exactCount {
            for i in stride(from: 0, to: n, by: chunksize) {
                let start = r.start &+ i &* r.step, count = min(chunksize, n - i)
                tasks.append(try mp.encodeTask("m", fn, .obj(PyRange(start, start &+ count &* r.step, r.step))))
            }
        } else {
            let items = try mp.listOf(iterable)
            for i in stride(from: 0, to: items.count, by: chunksize) {
                let chunk = Array(items[i..<min(items.count, i + chunksize)])
                tasks.append(try mp.encodeTask(star ? "s" : "m", fn, .list(PyList(chunk))))
            }
        }
        if tasks.isEmpty { return nil }
        let f = try lib { try e.executor.submitMap(tasks) }
        let box = pendingBox(.map, e, f)
        box.remoteTraceback = remoteTracebackClass   // the worker adds its traceback, as mpi4py's does
        box.chunkSize = chunksize
        return box
    }

    /// A result box over the runtime's future `f`, kept among `e`'s pending results: `outcomes` gets the fetched
    /// outcomes (a submit's: to raise a worker's exception with its traceback); an initializer's failure is the
    /// broken executor, and Ctrl-C while waiting shuts `e` down.
    func pendingBox(_ kind: AsyncBox.Kind, _ e: MPIExecutorBox, _ f: MPIFutureHandle,
                    outcomes: @escaping ([[UInt8]]) throws -> [[UInt8]] = { $0 }) -> AsyncBox {
        let box = AsyncBox(kind)
        box.waitSlice = { f.wait($0) }
        box.isReady = { f.isReady }
        box.isRunning = { f.isRunning }
        box.fetch = { [unowned self] in
            let fetched: [[UInt8]]
            do { fetched = try f.fetch() } catch { throw self.broken(error) }
            return try outcomes(fetched)
        }
        box.cancel = { f.cancel() }
        box.notify = { queue, token in f.notify(queue, token) }
        box.onInterrupt = { [weak e] in
            guard let e else { return }
            e.shutDown = true
            e.executor.shutdown(wait: false, cancelFutures: true)
        }
        e.pending.removeAll { $0.isReady() }
        e.pending.append(box)
        return box
    }

    /// The arguments of executor.map / starmap: (iterable, star) — several iterables are zipped into tuples.
    func mapArguments(_ iterables: [Value], star: Bool) throws -> (Value, Bool) {
        if star {
            return (.list(PyList(try mp.listOf(iterables[0]).map { Value.tuple(PyTuple(try mp.listOf($0))) })), true)
        }
        if iterables.count == 1 { return (iterables[0], false) }
        let lists = try iterables.map { try mp.listOf($0) }
        let n = lists.map(\.count).min() ?? 0
        return (.list(PyList((0..<n).map { k in Value.tuple(PyTuple(lists.map { $0[k] })) })), true)
    }

    func chunksizeArgument(_ v: Value?) throws -> Int {
        guard let v, !v.isNone else { return 1 }
        return try interp.intArg(v)
    }

    /// The keywords of executor.map / starmap (`name`): timeout and chunksize; `unordered` is taken and has no
    /// effect (the results all arrive with the job, in order).
    func mapKeywords(_ kw: [(String, Value)], _ name: String) throws -> (timeout: Value?, chunksize: Value?) {
        var timeout: Value?, chunksize: Value?
        for (k, v) in kw {
            switch k {
            case "timeout": timeout = v
            case "chunksize": chunksize = v
            case "unordered": _ = try interp.truthy(v)
            default: throw interp.typeError("\(name)() got an unexpected keyword argument '\(k)'")
            }
        }
        return (timeout, chunksize)
    }

    func shutdown(_ e: MPIExecutorBox, wait: Bool, cancelFutures: Bool) throws {
        try mp.drainCallbacks()
        if e.shutDown && e.pending.isEmpty { return }
        e.shutDown = true
        if wait {
            if cancelFutures { e.executor.shutdown(wait: false, cancelFutures: true) }
            let boxes = e.pending
            _ = try mp.waitFutures(boxes, nil) { boxes.allSatisfy { $0.isReady() || $0.cancelledFlag } }
            e.pending = []
            e.executor.shutdown(wait: true, cancelFutures: false)
            try mp.drainCallbacks()
        } else {
            e.executor.shutdown(wait: false, cancelFutures: cancelFutures)
        }
    }

    /// `mpi4py.futures._core.RemoteTraceback`: the `__cause__` of an exception raised in a worker.
    func makeRemoteTracebackClass() -> PyClass {
        let c = mp.makeClass("RemoteTraceback", module: "mpi4py.futures._core", base: interp.excClass("Exception"), [
            mp.method("__str__") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], case .tuple(let t)? = inst.dict["args"],
                      let text = t.items.first else { return .str("") }
                return .str(try self.interp.str(text))
            },
        ])
        return c
    }
}
