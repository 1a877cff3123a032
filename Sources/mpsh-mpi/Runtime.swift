// mpsh's `MPIRuntime` over the MultiprocessingMPI library: what PyLang's mpi4py modules call. Compiled here, with
// ordinary (atomic) reference counting and apart from PyLang: the executor's thread touches only the library's
// objects and the closures made here (see PoolBridge.swift for the rule).
import PyLang
import Multiprocessing
import MultiprocessingMPI
import PoolBridge

#if canImport(Glibc)
import Glibc
#endif

/// Seconds on the monotonic clock, where MPI_Wtime cannot be asked (a task process).
enum MonotonicClock {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// The task every mpsh executor call runs: the interpreter-encoded (mode, function, payload) in, the outcome out.
nonisolated(unsafe) var mpshTask: RemoteFunction<[UInt8], [UInt8]>?
/// An executor's initializer: the same encoding; throws when the Python initializer raised.
nonisolated(unsafe) var mpshInitializer: RemoteFunction<[UInt8], [UInt8]>?

/// Registers the two functions (before MPI starts and before any worker forks its task processes).
func registerTaskFunctions() throws {
    mpshTask = try RemoteFunction("mpsh.mpi.call", MPI4PyModules.runTask)
    mpshInitializer = try RemoteFunction("mpsh.mpi.init", MPI4PyModules.runInitializer)
}

final class LibraryRuntime: MPIRuntime {
    var world: Communicator { MPI.world }

    // In a task process (a child of a worker rank, forked before MPI started) MPI is not this process's: rank and
    // size are the rank's (from mpirun's environment), communication is refused with a clear error.
    var rank: Int {
        if MPI.isInitialized { return world.rank }
        if case .rank(let rank) = MPIFutures.role { return rank }
        return 0
    }

    var size: Int {
        if MPI.isInitialized { return world.size }
        return getenv("OMPI_COMM_WORLD_SIZE").flatMap { Int(String(cString: $0)) } ?? 1
    }

    var processorName: String { MPI.processorName }
    var wtime: Double { MPI.isInitialized ? MPI.wtime : Double(MonotonicClock.now()) }

    private func communicating() throws {
        guard MPI.isInitialized else {
            throw MPIError(operation: "COMM_WORLD", code: 0, message: "a task cannot communicate over MPI: it runs in a " +
                               "child process of its worker rank; return values from the task instead")
        }
    }

    func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
        try communicating()
        try world.send(bytes, to: destination, tag: tag)
    }

    func receive(from source: Int?, tag: Int?) throws -> (bytes: [UInt8], source: Int, tag: Int) {
        try communicating()
        let message = try world.receive(from: source, tag: tag)
        return (message.bytes, Int(message.source), Int(message.tag))
    }

    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
        try communicating()
        return try world.broadcast(bytes, root: root)
    }

    func allgather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try communicating()
        return try world.allgather(bytes)
    }

    func barrier() throws {
        try communicating()
        try world.barrier()
    }

    func makeExecutor(maxWorkers: Int?, initializer: [UInt8]?) throws -> MPIExecutorHandle {
        guard let mpshInitializer else { throw RemoteFunctionError.unknownFunction("mpsh.mpi.init") }
        if let initializer {
            return ExecutorHandle(try MPIPoolExecutor(maxWorkers: maxWorkers, initializer: mpshInitializer,
                                                      initargs: initializer))
        }
        return ExecutorHandle(try MPIPoolExecutor(maxWorkers: maxWorkers))
    }

    func makeCommExecutor(root: Int) throws -> MPIExecutorHandle? {
        try MPICommExecutor(comm: world, root: root).map(ExecutorHandle.init)
    }
}

final class ExecutorHandle: MPIExecutorHandle {
    private let executor: MPIExecutor

    init(_ executor: MPIExecutor) { self.executor = executor }

    var numWorkers: Int { executor.numWorkers }

    func submit(_ bytes: [UInt8]) throws -> MPIFutureHandle {
        guard let mpshTask else { throw RemoteFunctionError.unknownFunction("mpsh.mpi.call") }
        return FutureHandle(single: try executor.submit(mpshTask, bytes))
    }

    func submitMap(_ tasks: [[UInt8]]) throws -> MPIFutureHandle {
        guard let mpshTask else { throw RemoteFunctionError.unknownFunction("mpsh.mpi.call") }
        return FutureHandle(all: try executor.mapAsync(mpshTask, tasks, chunksize: 1))
    }

    func bootup() { executor.bootup() }

    func shutdown(wait: Bool, cancelFutures: Bool) { executor.shutdown(wait: wait, cancelFutures: cancelFutures) }
}

final class FutureHandle: MPIFutureHandle {
    private enum Source {
        case single(MPIFuture<[UInt8]>)
        case all(MPIFuture<[[UInt8]]>)
    }
    private let source: Source

    init(single future: MPIFuture<[UInt8]>) { source = .single(future) }
    init(all future: MPIFuture<[[UInt8]]>) { source = .all(future) }

    func wait(_ timeout: Duration?) -> Bool {
        do {
            switch source {
            case .single(let f): _ = try f.exception(timeout: timeout)
            case .all(let f): _ = try f.exception(timeout: timeout)
            }
            return true
        } catch PoolError.timedOut {
            return false
        } catch {
            return true
        }
    }

    var isReady: Bool {
        switch source {
        case .single(let f): return f.done
        case .all(let f): return f.done
        }
    }

    var isRunning: Bool {
        switch source {
        case .single(let f): return f.running
        case .all(let f): return f.running
        }
    }

    func cancel() -> Bool {
        switch source {
        case .single(let f): return f.cancel()
        case .all(let f): return f.cancel()
        }
    }

    func fetch() throws -> [[UInt8]] {
        switch source {
        case .single(let f): return [try f.result(timeout: .zero)]
        case .all(let f): return try f.result(timeout: .zero)
        }
    }

    func notify(_ queue: DoneQueue, _ token: Int) {
        let announce = queue.announcer(token)
        switch source {
        case .single(let f): f.addDoneCallback { _ in announce() }
        case .all(let f): f.addDoneCallback { _ in announce() }
        }
    }
}
