// mpi4py.MPI for mpsh: the module, COMM_WORLD (an Intracomm) and its pickle-based communication (send/recv, bcast,
// barrier, gather/allgather/scatter, reduce/allreduce with the MPI.Op reductions), each through `MPIRuntime`.
// Mirrors the lowercase methods of mpi4py's `mpi4py/MPI.pyx`. The runtime and the binding: MPI4PyBinding.swift.

extension MPI4PyBinding {
    func mpiModule() throws -> PyModule {
        _ = try interp.importModule("multiprocessing")
        let m = PyModule(name: "mpi4py.MPI")
        makeCommClasses()
        m.set("Intracomm", .obj(state.commClass))
        m.set("Comm", .obj(state.commClass))
        m.set("Op", .obj(state.opClass))
        m.set("Exception", .obj(state.exceptionClass))
        m.set("COMM_WORLD", world())
        for op in ["SUM", "PROD", "MAX", "MIN", "LAND", "LOR", "BAND", "BOR"] { m.set(op, mp.instance(state.opClass, MPIOpBox(op))) }
        m.set("ANY_SOURCE", .int(-1))
        m.set("ANY_TAG", .int(-1))
        m.set("ROOT", .int(-4))
        m.set("PROC_NULL", .int(-2))
        m.fn("Get_processor_name") { [unowned self] _, _, _ in .str(self.runtime.processorName) }
        m.fn("Wtime") { [unowned self] _, _, _ in .float(self.runtime.wtime) }
        m.fn("Is_initialized") { _, _, _ in .bool(true) }
        m.fn("Is_finalized") { _, _, _ in .bool(false) }
        m.fn("Get_version") { _, _, _ in .tuple(PyTuple([.int(3), .int(1)])) }
        return m
    }

    func world() -> Value {
        if let w = state.world { return w }
        let w = PyInstance(state.commClass)
        w.payload = MPIOpBox("COMM_WORLD")
        state.world = .obj(w)
        return .obj(w)
    }

    func makeCommClasses() {
        if state.commClass != nil { return }
        state.exceptionClass = mp.exceptionClass("Exception", module: "mpi4py.MPI", base: interp.excClass("RuntimeError"))
        state.opClass = mp.makeClass("Op", module: "mpi4py.MPI", [
            mp.method("__repr__") { [unowned self] _, a, _ in
                .str("<mpi4py.MPI.Op \(try self.mp.payload(a[0], MPIOpBox.self, "Op").name)>")
            },
        ])
        let rank: NativeFn = { [unowned self] _, _, _ in .int(self.runtime.rank) }
        let size: NativeFn = { [unowned self] _, _, _ in .int(self.runtime.size) }
        state.commClass = mp.makeClass("Intracomm", module: "mpi4py.MPI", [
            mp.method("__repr__") { _, _, _ in .str("<mpi4py.MPI.Intracomm object>") },
            mp.method("Get_rank", rank),
            mp.method("Get_size", size),
            mp.property("rank", get: rank),
            mp.property("size", get: size),
            mp.method("send") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["obj", "dest", "tag"], "send")
                let dest = try self.rankArgument(try self.mp.need(b[1], "dest", "send"), "dest")
                let tag = try b[2].map { try self.interp.intArg($0) } ?? 0
                try self.checkTag(tag)
                let bytes = try self.mp.encode(b[0] ?? .none)
                try self.lib { try self.runtime.send(bytes, to: dest, tag: tag) }
                return .none
            },
            mp.method("recv") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["buf", "source", "tag", "status"], "recv")
                let source = try b[1].map { try self.interp.intArg($0) } ?? -1
                let tag = try b[2].map { try self.interp.intArg($0) } ?? -1
                if source != -1 { _ = try self.rankArgument(.int(source), "source") }
                if tag != -1 { try self.checkTag(tag) }
                let message = try self.lib {
                    try self.runtime.receive(from: source == -1 ? nil : source, tag: tag == -1 ? nil : tag)
                }
                if let status = b[3], case .obj(let s as PyInstance) = status {
                    s.dict["source"] = .int(message.source)
                    s.dict["tag"] = .int(message.tag)
                }
                return try self.mp.decode(message.bytes)
            },
            mp.method("bcast") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["obj", "root"], "bcast")
                let root = try self.rankArgument(b[1] ?? .int(0), "root")
                let bytes = root == self.runtime.rank ? try self.mp.encode(b[0] ?? .none) : []
                return try self.mp.decode(try self.lib { try self.runtime.broadcast(bytes, root: root) })
            },
            mp.method("barrier") { [unowned self] _, _, _ in try self.lib { try self.runtime.barrier() }; return .none },
            mp.method("Barrier") { [unowned self] _, _, _ in try self.lib { try self.runtime.barrier() }; return .none },
            mp.method("allgather") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["sendobj"], "allgather")
                return .list(PyList(try self.gathered(b[0] ?? .none)))
            },
            mp.method("gather") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["sendobj", "root"], "gather")
                let root = try self.rankArgument(b[1] ?? .int(0), "root")
                let all = try self.gathered(b[0] ?? .none)
                return root == self.runtime.rank ? .list(PyList(all)) : .none
            },
            mp.method("scatter") { [unowned self] i, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["sendobj", "root"], "scatter")
                let root = try self.rankArgument(b[1] ?? .int(0), "root")
                var bytes: [UInt8] = []
                if root == self.runtime.rank {
                    let items = try self.mp.listOf(b[0] ?? .none)
                    guard items.count == self.runtime.size else {
                        throw self.mp.err("ValueError", "expecting \(self.runtime.size) items, got \(items.count)")
                    }
                    bytes = try self.mp.encode(.list(PyList(items)))
                }
                let all = try self.mp.decode(try self.lib { try self.runtime.broadcast(bytes, root: root) })
                _ = i
                return try self.mp.listOf(all)[self.runtime.rank]
            },
            mp.method("allreduce") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["sendobj", "op"], "allreduce")
                return try self.reduce(try self.gathered(b[0] ?? .none), b[1])
            },
            mp.method("reduce") { [unowned self] _, a, kw in
                let b = try self.mp.bind(Array(a.dropFirst()), kw, ["sendobj", "op", "root"], "reduce")
                let root = try self.rankArgument(b[2] ?? .int(0), "root")
                let value = try self.reduce(try self.gathered(b[0] ?? .none), b[1])
                return root == self.runtime.rank ? value : .none
            },
        ])
    }

    /// A rank argument, checked against the communicator's size (a clear error, not MPI's abort).
    func rankArgument(_ v: Value, _ what: String) throws -> Int {
        let r = try interp.intArg(v)
        guard r >= 0 && r < runtime.size else {
            throw mp.raise(state.exceptionClass, "\(what) \(r) is not a rank of COMM_WORLD (ranks 0..\(runtime.size - 1))")
        }
        return r
    }

    /// User tags: 0...32767 (MPI guarantees at least that many).
    func checkTag(_ tag: Int) throws {
        guard tag >= 0 && tag <= 32767 else { throw mp.raise(state.exceptionClass, "tag \(tag) is out of range (0..32767)") }
    }

    /// Every rank's value, in rank order.
    func gathered(_ v: Value) throws -> [Value] {
        let bytes = try mp.encode(v)
        return try lib { try runtime.allgather(bytes) }.map { try mp.decode($0) }
    }

    /// The values combined with the op, in rank order (the same on every rank): Python's +, *, max, min.
    func reduce(_ values: [Value], _ opValue: Value?) throws -> Value {
        let name = try opValue.map { try mp.payload($0, MPIOpBox.self, "Op").name } ?? "SUM"
        guard var acc = values.first else { return .none }
        for v in values.dropFirst() {
            switch name {
            case "SUM": acc = try interp.binop(.add, acc, v)
            case "PROD": acc = try interp.binop(.mul, acc, v)
            case "MAX": acc = try interp.call(interp.builtins["max"] ?? .none, [acc, v])
            case "MIN": acc = try interp.call(interp.builtins["min"] ?? .none, [acc, v])
            case "LAND": acc = .bool(try interp.truthy(acc) && interp.truthy(v))
            case "LOR": acc = .bool(try interp.truthy(acc) || interp.truthy(v))
            case "BAND": acc = try interp.binop(.band, acc, v)
            case "BOR": acc = try interp.binop(.bor, acc, v)
            default: throw mp.err("ValueError", "unknown reduction \(name)")
            }
        }
        return acc
    }
}
