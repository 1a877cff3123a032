// `multiprocessing.get_context('mpi')` for mpsh: a context whose Pool runs on the MPI workers, with Pool's API
// (map, starmap, imap, apply, the async forms with callbacks, close/join/terminate) over the mpi4py.futures
// executor of MPI4PyFutures.swift.
#if canImport(Glibc)
import Glibc
#endif

extension MPI4PyBinding {
    /// A context whose Pool runs on the MPI workers: `get_context('mpi').Pool(4)` has Pool's API (map, starmap,
    /// apply, apply_async, map_async, imap, imap_unordered, close, join, terminate, `with`).
    func mpiContext() throws -> Value {
        _ = try futuresModule()
        makePoolClass()
        let cls = mp.makeClass("MPIContext", module: "multiprocessing.context", [])
        let ctx = PyInstance(cls)
        ctx.dict["Pool"] = .obj(state.poolClass)
        ctx.dict["_name"] = .str("mpi")
        ctx.dict["get_start_method"] = .obj(PyBuiltin("get_start_method") { _, _, _ in .str("mpi") })
        ctx.dict["cpu_count"] = .obj(PyBuiltin("cpu_count") { _, _, _ in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) })
        return .obj(ctx)
    }

    func makePoolClass() {
        if state.poolClass != nil { return }
        mp.makePoolClasses()
        let results: (AsyncBox, Bool) -> Value = { [unowned self] box, isMap in
            let i = PyInstance(isMap ? self.mp.poolState.mapResultClass : self.mp.poolState.applyResultClass)
            i.payload = box
            return .obj(i)
        }
        /// A Pool map's plan: the executor, the items (a tuple of arguments each when `star`), and CPython's
        /// default chunksize (len / (4 * workers), rounded up) unless one is given.
        let plan: (Value, Value, Value?, Bool) throws -> (MPIExecutorBox, Value, Bool, Int) = { [unowned self] pool, iterable, chunks, star in
            let e = try self.executorBox(pool)
            let (items, isStar) = star ? try self.mapArguments([iterable], star: true) : (iterable, false)
            let count: Int
            if case .obj(let r as PyRange) = items, let n = r.exactCount { count = n } else { count = try self.mp.listOf(items).count }
            let size = try self.mp.chunkSize(count: count, chunks, processes: max(1, e.executor.numWorkers))
            return (e, items, isStar, max(1, size))
        }
        let poolMap: (Value, Value, Value, Value?, Bool) throws -> Value = { [unowned self] pool, fn, iterable, chunks, star in
            let (e, items, isStar, size) = try plan(pool, iterable, chunks, star)
            return try self.map(e, fn, items, star: isStar, nil, chunksize: size)
        }
        state.poolClass = mp.makeClass("Pool", module: "multiprocessing.pool", [
            mp.method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.mp.bind(Array(a.dropFirst()), kw,
                                         ["processes", "initializer", "initargs", "maxtasksperchild", "context"], "Pool")
                var n: Int?
                if let v = b[0], !v.isNone {
                    n = try i.intArg(v)
                    if n! < 1 { throw self.mp.err("ValueError", "Number of processes must be at least 1") }
                }
                let initializer = try self.initializerTask(b[1], b[2])
                i.flushAll()
                inst.payload = MPIExecutorBox(try self.lib { try self.runtime.makeExecutor(maxWorkers: n, initializer: initializer) })
                inst.dict["_state"] = .str("RUN")
                return .none
            },
            mp.method("__repr__") { [unowned self] _, a, _ in
                let e = try self.executorBox(a[0])
                return .str("<multiprocessing.pool.Pool state=\(e.shutDown ? "CLOSE" : "RUN") pool_size=\(e.executor.numWorkers) mpi>")
            },
            mp.method("__enter__") { _, a, _ in a[0] },
            mp.method("__exit__") { [unowned self] _, a, _ in
                try self.shutdown(try self.executorBox(a[0]), wait: true, cancelFutures: true)
                return .bool(false)
            },
            mp.method("map") { [unowned self] i, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "map")
                let it = try poolMap(a[0], try self.mp.need(b[0], "func", "map"), try self.mp.need(b[1], "iterable", "map"), b[2], false)
                _ = i
                return .list(PyList(try self.mp.listOf(it)))
            },
            mp.method("starmap") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "starmap")
                let it = try poolMap(a[0], try self.mp.need(b[0], "func", "starmap"), try self.mp.need(b[1], "iterable", "starmap"), b[2], true)
                return .list(PyList(try self.mp.listOf(it)))
            },
            mp.method("imap") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "imap")
                return try poolMap(a[0], try self.mp.need(b[0], "func", "imap"), try self.mp.need(b[1], "iterable", "imap"), b[2] ?? .int(1), false)
            },
            mp.method("imap_unordered") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize"], "imap_unordered")
                return try poolMap(a[0], try self.mp.need(b[0], "func", "imap_unordered"),
                                   try self.mp.need(b[1], "iterable", "imap_unordered"), b[2] ?? .int(1), false)
            },
            mp.method("apply") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "args", "kwds"], "apply")
                let f = try self.submit(try self.executorBox(a[0]), "a", try self.mp.need(b[0], "func", "apply"),
                                        try self.applyPayload(b[1], b[2]))
                return try self.mp.getResult(try self.mp.futureBox(f), nil)
            },
            mp.method("apply_async") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "args", "kwds", "callback", "error_callback"], "apply_async")
                let f = try self.submit(try self.executorBox(a[0]), "a", try self.mp.need(b[0], "func", "apply_async"),
                                        try self.applyPayload(b[1], b[2]))
                let box = try self.mp.futureBox(f)
                try self.attachCallbacks(box, b[3], b[4])
                return results(box, false)
            },
            mp.method("map_async") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["func", "iterable", "chunksize", "callback", "error_callback"], "map_async")
                let (e, items, star, size) = try plan(a[0], try self.mp.need(b[1], "iterable", "map_async"), b[2], false)
                let box = try self.submitMap(e, try self.mp.need(b[0], "func", "map_async"), items, star: star, chunksize: size)
                    ?? { let empty = AsyncBox(.map); empty.resolved = .success(.list(PyList([]))); return empty }()
                try self.attachCallbacks(box, b[3], b[4])
                return results(box, true)
            },
            mp.method("close") { _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                inst.dict["_state"] = .str("CLOSE")
                return .none
            },
            mp.method("terminate") { [unowned self] _, a, _ in
                try self.shutdown(try self.executorBox(a[0]), wait: true, cancelFutures: true)
                return .none
            },
            mp.method("join") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                if case .str("RUN")? = inst.dict["_state"] { throw self.mp.err("ValueError", "Pool is still running") }
                try self.shutdown(try self.executorBox(a[0]), wait: true, cancelFutures: false)
                return .none
            },
        ])
    }

    func applyPayload(_ args: Value?, _ kwds: Value?) throws -> Value {
        let d = PyDict()
        if let kwds, case .dict(let given) = kwds { for (k, v) in given.items { d.set(k, v) } }
        return .tuple(PyTuple([.tuple(PyTuple(try args.map { $0.isNone ? [] : try mp.listOf($0) } ?? [])), .dict(d)]))
    }

    /// Pool's callback= and error_callback=, run on the interpreter's thread like the local pool's.
    func attachCallbacks(_ box: AsyncBox, _ callback: Value?, _ errorCallback: Value?) throws {
        if let c = callback, !c.isNone { box.callback = c }
        if let c = errorCallback, !c.isNone { box.errorCallback = c }
        guard box.callback != nil || box.errorCallback != nil else { return }
        if box.resolved != nil {
            try mp.runCallback(box)
        } else if let notify = box.notify {
            let s = mp.poolState
            notify(s.done, s.token(for: box))
        }
    }
}
