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
//
// This file: the runtime interface (MPIRuntime and its executor and future handles), the entry points mpsh-mpi
// calls, and the binding's state. The modules: MPI4PyComm.swift (mpi4py.MPI, COMM_WORLD's communication),
// MPI4PyFutures.swift (mpi4py.futures: the executors, submitting and mapping, remote tracebacks) and
// MPI4PyPool.swift (the 'mpi' context's Pool).
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

    /// The `__cause__` class of a worker's exception (made in MPI4PyFutures.swift).
    lazy var remoteTracebackClass: PyClass = makeRemoteTracebackClass()
}
