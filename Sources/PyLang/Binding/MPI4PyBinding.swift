// mpi4py for mpsh: `mpi4py`, `mpi4py.MPI` (COMM_WORLD: rank, size, send/recv, bcast, barrier, the reductions and
// gathers of Python objects) and `mpi4py.futures` (MPIPoolExecutor, MPICommExecutor), plus the 'mpi' context of
// `multiprocessing.get_context` (a Pool over the MPI workers).
//
// PyLang links no MPI (the release `mpsh` is one static executable, and libmpi is a shared library): these modules
// reach MPI through `MPIRuntime`, which the `mpsh-mpi` executable implements over the MultiprocessingMPI library and
// installs with `MPI4PyModules.install`. In plain `mpsh` the modules do not exist (ModuleNotFoundError, saying to
// run mpsh-mpi).
//
// How tasks travel: as the pool's do (PoolBinding.swift), the interpreter-encoded (mode, function, payload), run by
// `MPI4PyModules.runTask` in a worker. A worker is a process of its own (another rank, maybe on another host) that
// runs the same program: `mpsh-mpi -m mpi4py.futures prog.mp` (and a spawned worker) loads prog.mp with
// `__name__ == '__worker__'` before MPI starts (mpi4py's name for it), so functions found by code identity
// resolve to the worker's own copy of the program, and its task processes (forked then) inherit it.
//
// The one-thread rule (PoolBridge.swift) holds as for the pool: PyLang holds only `MPIExecutorHandle` and
// `MPIFutureHandle` objects, made and compiled in mpsh-mpi, touched by the interpreter's thread only; completion
// comes back as tokens in a `DoneQueue` (`DoneQueue.announcer`).
//
// Mirrors mpi4py's `mpi4py/MPI.pyx` (the lowercase, pickle-based communication methods) and
// `mpi4py/futures/pool.py`.
import Multiprocessing
import PoolBridge
#if canImport(Glibc)
import Glibc
#endif

/// What mpsh's mpi4py modules need from MPI. Implemented by the `mpsh-mpi` executable.
public protocol MPIRuntime: AnyObject {
    var rank: Int { get }
    var size: Int { get }
    var processorName: String { get }
    /// Seconds since an arbitrary time (`MPI_Wtime`).
    var wtime: Double { get }
    func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws
    /// A message from `source` (nil: any) with `tag` (nil: any): its bytes, source and tag.
    func receive(from source: Int?, tag: Int?) throws -> (bytes: [UInt8], source: Int, tag: Int)
    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8]
    /// Every rank's bytes, in rank order, on every rank.
    func allgather(_ bytes: [UInt8]) throws -> [[UInt8]]
    func barrier() throws
    /// An executor over the program's worker ranks (under `-m mpi4py.futures`) or spawned workers;
    /// `initializer`: an encoded task run in each worker's task process first.
    func makeExecutor(maxWorkers: Int?, initializer: [UInt8]?) throws -> MPIExecutorHandle
    /// MPICommExecutor: on `root`, an executor over the other ranks; on the others, serves until the root shuts
    /// down, then nil.
    func makeCommExecutor(root: Int) throws -> MPIExecutorHandle?
}

/// An executor of the runtime, touched by the interpreter's thread only.
public protocol MPIExecutorHandle: AnyObject {
    var numWorkers: Int { get }
    func submit(_ bytes: [UInt8]) throws -> MPIFutureHandle
    /// The tasks as one job (a map's chunks); the handle's outcome is one per task, in order.
    func submitMap(_ tasks: [[UInt8]]) throws -> MPIFutureHandle
    /// Waits until every worker is ready.
    func bootup()
    func shutdown(wait: Bool, cancelFutures: Bool)
}

/// A submitted call of the runtime, touched by the interpreter's thread only.
public protocol MPIFutureHandle: AnyObject {
    /// Waits at most `timeout` (nil: for ever); whether it is done.
    func wait(_ timeout: Duration?) -> Bool
    var isReady: Bool { get }
    var isRunning: Bool { get }
    func cancel() -> Bool
    /// The encoded outcomes (copies): one for a submit, one per task for a map; throws the library's error (a copy).
    func fetch() throws -> [[UInt8]]
    /// Announces `token` in `queue` when done (`queue.announcer(token)` on the runtime's thread).
    func notify(_ queue: DoneQueue, _ token: Int)
}

/// The entry points of the mpi4py modules for the `mpsh-mpi` executable.
public enum MPI4PyModules {
    /// Registers `mpi4py`, `mpi4py.MPI`, `mpi4py.futures` and the 'mpi' context in `interp`, over `runtime`.
    public static func install(in interp: Interpreter, runtime: MPIRuntime) {
        interp.layerState["mpi4py"] = MPI4PyState(runtime)
        interp.registerModule("mpi4py") { i in
            let m = PyModule(name: "mpi4py")
            m.set("__version__", .str("4.1.2"))
            m.set("MPI", try i.importModule("mpi4py.MPI"))
            m.set("futures", try i.importModule("mpi4py.futures"))
            return m
        }
        interp.registerModule("mpi4py.MPI") { i in try i.mpi4py.mpiModule() }
        interp.registerModule("mpi4py.futures._core") { i in i.mpi4py.coreModule() }
        interp.registerModule("mpi4py.futures") { i in try i.mpi4py.futuresModule() }
        interp.extendMultiprocessing { i, _ in
            i.mpBinding.contextProviders["mpi"] = { i in try i.mpi4py.mpiContext() }
        }
    }

    /// Loads a worker's copy of the program: runs `source` in `__main__` with `__name__ == '__worker__'` (the code
    /// under `if __name__ == '__main__':` does not run), and makes `interp` the one tasks run in. Returns the
    /// status (non-zero: the program failed to load; the error was printed).
    public static func loadWorkerProgram(_ interp: Interpreter, source: String, file: String) -> Int32 {
        interp.mainFile = file
        interp.setProgramDirectory(file)
        let main = interp.mainModule()
        main.set("__name__", .str("__worker__"))
        main.set("__file__", .str(file))
        PoolTaskContext.shared.interp = interp
        let prog: CompiledProgram
        do { prog = try interp.compile(source, file: file, module: main) } catch {
            interp.writeStderr(error.description + "\n")
            return 1
        }
        return interp.runProtected { try interp.run(prog, in: main) }
    }

    /// Makes `interp` the one tasks run in (MPICommExecutor under plain mpirun: tasks run in the rank's own
    /// interpreter).
    public static func serveTasks(in interp: Interpreter) { PoolTaskContext.shared.interp = interp }

    /// Runs one task (the encoded (mode, function, payload)) in this process's interpreter; the encoded outcome.
    @Sendable public static func runTask(_ bytes: [UInt8]) throws -> [UInt8] { try MPShellTask.run(bytes) }

    /// Runs an initializer task; throws its exception as text (the executor is then broken).
    @Sendable public static func runInitializer(_ bytes: [UInt8]) throws -> [UInt8] {
        let outcome = try MPShellTask.run(bytes)
        guard let binding = PoolTaskContext.shared.binding else { return [] }
        do { _ = try binding.decodeOutcome(outcome) } catch let e as PyException {
            throw MPIInitializerError(description: binding.interp.exceptionLine(e.exc))
        }
        return []
    }
}

/// A Python exception raised by an executor's initializer, as text.
public struct MPIInitializerError: Error, CustomStringConvertible {
    public let description: String
}

/// An MPIPoolExecutor as the program holds it.
final class MPIExecutorBox {
    let executor: MPIExecutorHandle
    var shutDown = false
    var pending: [AsyncBox] = []
    init(_ e: MPIExecutorHandle) { executor = e }
}

/// An MPI reduction (MPI.SUM ...): its name.
final class MPIOpBox {
    let name: String
    init(_ name: String) { self.name = name }
}

/// The per-interpreter state of the mpi4py modules.
final class MPI4PyState {
    let runtime: MPIRuntime
    var commClass: PyClass!
    var opClass: PyClass!
    var executorClass: PyClass!
    var commExecutorClass: PyClass!
    var poolClass: PyClass!
    var exceptionClass: PyClass!
    var world: Value?
    init(_ r: MPIRuntime) { runtime = r }
}

extension Interpreter {
    var mpi4py: MPI4PyBinding {
        if let b = layerState["mpi4py.binding"] as? MPI4PyBinding { return b }
        let b = MPI4PyBinding(self, layerState["mpi4py"] as! MPI4PyState)
        layerState["mpi4py.binding"] = b
        return b
    }
}

/// The modules' classes and functions.
final class MPI4PyBinding {
    unowned let interp: Interpreter
    let state: MPI4PyState
    var mp: MPBinding { interp.mpBinding }
    var runtime: MPIRuntime { state.runtime }

    init(_ interp: Interpreter, _ state: MPI4PyState) {
        self.interp = interp
        self.state = state
    }

    /// MPI and library errors as Python exceptions: `mpi4py.MPI.Exception` for MPI's own, BrokenExecutor (its
    /// subclass BrokenProcessPool) for an executor whose initializer failed, as mpi4py raises.
    func lib<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as PyException { throw e } catch {
            if String(describing: type(of: error)) == "MPIError" {
                throw mp.raise(state.exceptionClass, String(describing: error))
            }
            throw mp.poolError(broken(error))
        }
    }

    /// The library's "initializer failed" as the broken executor it means to a Python program.
    func broken(_ error: Error) -> Error {
        if case PoolError.initializerFailed(let text)? = error as? PoolError {
            return mp.raise(mp.futuresState.brokenExecutorClass, "the executor's initializer failed: \(text)")
        }
        return error
    }

    // MARK: mpi4py.MPI

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

    // MARK: remote tracebacks

    /// Marks a call's outcome that is an exception with its traceback (see `remoteCall`).
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

    lazy var remoteTracebackClass: PyClass = {
        let c = mp.makeClass("RemoteTraceback", module: "mpi4py.futures._core", base: interp.excClass("Exception"), [
            mp.method("__str__") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], case .tuple(let t)? = inst.dict["args"],
                      let text = t.items.first else { return .str("") }
                return .str(try self.interp.str(text))
            },
        ])
        return c
    }()

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
                var t: Value?, c: Value?, unordered = false
                for (k, v) in kw {
                    switch k {
                    case "timeout": t = v
                    case "chunksize": c = v
                    case "unordered": unordered = try i.truthy(v)
                    default: throw i.typeError("map() got an unexpected keyword argument '\(k)'")
                    }
                }
                guard a.count >= 3 else { throw i.typeError("map() must have at least two arguments.") }
                let (iterable, star) = try self.mapArguments(Array(a.dropFirst(2)), star: false)
                _ = unordered
                return try self.map(try self.executorBox(a[0]), a[1], iterable, star: star, t,
                                    chunksize: try self.chunksizeArgument(c))
            },
            mp.method("starmap") { [unowned self] _, a, kw in
                guard a.count >= 3 else { throw self.interp.typeError("starmap() missing required arguments 'fn' and 'iterable'") }
                var t: Value?, c: Value?, unordered = false
                for (k, v) in kw {
                    switch k {
                    case "timeout": t = v
                    case "chunksize": c = v
                    case "unordered": unordered = try self.interp.truthy(v)
                    default: throw self.interp.typeError("starmap() got an unexpected keyword argument '\(k)'")
                    }
                }
                _ = unordered
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
        let box = AsyncBox(.apply)
        box.waitSlice = { f.wait($0) }
        box.isReady = { f.isReady }
        box.isRunning = { f.isRunning }
        box.fetch = { [unowned self] in
            let outcomes: [[UInt8]]
            do { outcomes = try f.fetch() } catch { throw self.broken(error) }
            return try outcomes.map { try self.withRemoteTraceback($0) }
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
        let box = AsyncBox(.map)
        box.remoteTraceback = remoteTracebackClass   // the worker adds its traceback, as mpi4py's does
        box.chunkSize = chunksize
        box.waitSlice = { f.wait($0) }
        box.isReady = { f.isReady }
        box.isRunning = { f.isRunning }
        box.fetch = { [unowned self] in
            do { return try f.fetch() } catch { throw self.broken(error) }
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

    // MARK: multiprocessing.get_context('mpi')

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
