// How a program becomes an MPI master or worker. Mirrors `mpi4py.futures.__main__` (`python -m mpi4py.futures`)
// and `mpi4py.futures._core` (`server_main_comm`, `server_main_spawn`, `client_spawn`).

import CMPI
import Multiprocessing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Start-up and the roles of the processes of an MPI job.
public enum MPIFutures {
    private struct State {
        var initialized = false
        var supervisor: TaskSupervisor?
        var worldClaimed = false
    }

    private static let state = PoolMonitorBox(State())

    /// Prepares this process for MPI: forks the task supervisor that a worker rank runs its tasks under (while the
    /// process is still single-threaded: MPI_Init starts threads), then starts MPI. A process spawned by an
    /// `MPIPoolExecutor` serves its master here and exits: it never returns.
    ///
    /// Call it (or `run`) at the top of main, after the `RemoteFunction` registrations that the workers may run and
    /// before starting any thread. Idempotent.
    public static func initialize() throws {
        let done = state.withLock { $0.initialized }
        if done { return }
        // Which role this process has is known only after MPI_Init (a spawned worker is rank 0 of its own world,
        // like the master): every process forks a supervisor, and the master lets its own go (one fork, ~1 ms).
        let supervisor: TaskSupervisor? = try TaskSupervisor.start()
        do { try MPI.initialize() } catch {
            supervisor?.close()
            throw error
        }
        state.withLock {
            $0.initialized = true
            $0.supervisor = supervisor
        }
        if let parent = MPI.parent {
            // Spawned by a master (singleton start): serve it, then leave. Mirrors `server_main_spawn`.
            try serve(comm: parent, master: 0)
            parent.disconnect()
            MPI.finalize()
            exit(0)
        }
        if MPI.world.rank == 0 {
            state.withLock { $0.supervisor = nil }
            supervisor?.close()
        }
    }

    /// Runs a program under `mpirun -n N` the way `python -m mpi4py.futures prog.py` does: rank 0 runs `main`
    /// (its `MPIPoolExecutor`s use ranks 1..N-1 as workers), the other ranks serve until rank 0's `main` returns;
    /// then every rank finalizes MPI. Started alone, the program runs `main` and spawns workers when it creates an
    /// executor. Returns `main`'s value on rank 0; on the other ranks the process exits with status 0.
    public static func run<T>(_ main: () throws -> T) throws -> T {
        try initialize()
        let world = MPI.world
        if world.rank != 0 {
            try serve(comm: world, master: 0)
            MPI.finalize()
            exit(0)
        }
        let result: Swift.Result<T, any Error>
        do { result = .success(try main()) } catch { result = .failure(error) }
        var stop = WireWriter()
        stop.u8(Wire.stop)
        for rank in 1..<max(1, world.size) { try? world.send(stop.bytes, to: rank, tag: Wire.toWorker) }
        MPI.finalize()
        return try result.get()
    }

    /// This rank serves `master` over `comm` until it says stop. Mirrors `mpi4py.futures._core._worker`.
    static func serve(comm: Communicator, master: Int) throws {
        guard let supervisor = state.withLock({ $0.supervisor }) else {
            throw MPIError(operation: "MPIFutures.serve", code: 0,
                           message: "this rank has no task supervisor: call MPIFutures.initialize() at the top of " +
                               "main, before MPI is started by anything else")
        }
        WorkerLoop(comm: comm, master: master, supervisor: supervisor).serve()
        state.withLock { $0.supervisor = nil }
        supervisor.close()
    }

    /// One executor at a time uses the world's workers.
    static func claimWorld() throws(PoolError) {
        try state.withLock { (state) throws(PoolError) in
            if state.worldClaimed {
                throw .invalidArgument("another MPIPoolExecutor is using the worker ranks; shut it down first")
            }
            state.worldClaimed = true
        }
    }

    static func releaseWorld() { state.withLock { $0.worldClaimed = false } }

    /// Starts `count` copies of this program as workers. Mirrors `mpi4py.futures._core.client_spawn`.
    /// The corresponding C function is `MPI_Comm_spawn`.
    static func spawnWorkers(_ count: Int) throws -> Communicator {
        var path = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        guard length > 0 else { throw SystemError(operation: "readlink(/proc/self/exe)", errno: errno) }
        let arguments = Array(CommandLine.arguments.dropFirst())
        var intercomm: MPI_Comm? = cmpi_comm_null()
        var codes = [Int32](repeating: 0, count: count)
        // An info "map_by ...:OVERSUBSCRIBE" lets the spawned workers share the cores of a small machine.
        var info = cmpi_info_null()
        MPI_Info_create(&info)
        MPI_Info_set(info, "map_by", "slot:OVERSUBSCRIBE")
        let code = withCStringArray(arguments) { argv in
            MPI_Comm_spawn(path, argv, Int32(count), info, 0, cmpi_comm_self(), &intercomm, &codes)
        }
        MPI_Info_free(&info)
        let program = String(decoding: path.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try mpiCheck(code, "MPI_Comm_spawn(\(count) copies of \(program))")
        if let bad = codes.first(where: { $0 != MPI_SUCCESS }) { throw mpiError(bad, "MPI_Comm_spawn") }
        guard let intercomm else { throw MPIError(operation: "MPI_Comm_spawn", code: 0, message: "no intercommunicator") }
        MPI_Comm_set_errhandler(intercomm, cmpi_errors_return())
        return Communicator(intercomm)
    }
}

/// A value behind a lock, for the process-wide state above.
final class PoolMonitorBox<Value>: @unchecked Sendable {
    private let monitor = PoolMonitor()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        monitor.lock()
        defer { monitor.unlock() }
        return try body(&value)
    }
}

/// Calls `body` with a NULL-terminated argv of `strings`.
func withCStringArray<T>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
