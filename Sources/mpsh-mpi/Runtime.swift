// mpsh's `MPIRuntime` over the MultiprocessingMPI library: what MPShell's mpi4py modules call. Compiled here, with
// ordinary (atomic) reference counting and apart from MPShell: the executor's thread touches only the library's
// objects and the closures made here (see PoolBridge.swift for the rule).
import MPShell
import Multiprocessing
import MultiprocessingMPI
import PoolBridge

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

    var rank: Int { world.rank }
    var size: Int { world.size }
    var processorName: String { MPI.processorName }
    var wtime: Double { MPI.wtime }

    func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws { try world.send(bytes, to: destination, tag: tag) }

    func receive(from source: Int?, tag: Int?) throws -> (bytes: [UInt8], source: Int, tag: Int) {
        let message = try world.receive(from: source, tag: tag)
        return (message.bytes, Int(message.source), Int(message.tag))
    }

    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] { try world.broadcast(bytes, root: root) }
    func allgather(_ bytes: [UInt8]) throws -> [[UInt8]] { try world.allgather(bytes) }
    func barrier() throws { try world.barrier() }

    func makeExecutor(maxWorkers: Int?, initializer: [UInt8]?) throws -> MPIExecutorHandle {
        guard let mpshInitializer else { throw PoolError.system("the task functions were not registered") }
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
        guard let mpshTask else { throw PoolError.system("the task functions were not registered") }
        return FutureHandle(try executor.submit(mpshTask, bytes))
    }

    func shutdown(wait: Bool, cancelFutures: Bool) { executor.shutdown(wait: wait, cancelFutures: cancelFutures) }
}

final class FutureHandle: MPIFutureHandle {
    private let future: MPIFuture<[UInt8]>

    init(_ future: MPIFuture<[UInt8]>) { self.future = future }

    func wait(_ timeout: Duration?) -> Bool {
        do {
            _ = try future.exception(timeout: timeout)
            return true
        } catch PoolError.timedOut {
            return false
        } catch {
            return true
        }
    }

    var isReady: Bool { future.done }
    var isRunning: Bool { future.running }
    func cancel() -> Bool { future.cancel() }
    func fetch() throws -> [UInt8] { try future.result(timeout: .zero) }

    func notify(_ queue: DoneQueue, _ token: Int) {
        let announce = queue.announcer(token)
        future.addDoneCallback { _ in announce() }
    }
}
