// How a program becomes an MPI master or worker. Mirrors `mpi4py.futures.__main__` (`python -m mpi4py.futures`)
// and `mpi4py.futures._core` (`server_main_comm`, `server_main_spawn`, `client_spawn`).

import CMPI
import Multiprocessing

#if canImport(Glibc)
import Glibc
#endif

/// Start-up and the roles of the processes of an MPI job.
public enum MPIFutures {
    private struct State {
        var initialized = false
        var supervisor: TaskSupervisor?
        var worldClaimed = false
        /// The executor's own copy of COMM_WORLD under `run` (the program's messages on COMM_WORLD never match
        /// the executor's, as mpi4py's dup'ed communicator).
        var workers: Communicator?
    }

    private static let state = PoolMonitorBox(State())

    /// Prepares this process for MPI: forks the task supervisor that a worker rank runs its tasks under (while the
    /// process is still single-threaded: MPI_Init starts threads), then starts MPI. A process spawned by an
    /// `MPIPoolExecutor` serves its master here and exits: it never returns.
    ///
    /// Call it (or `run`) at the top of main, after the `RemoteFunction` registrations that the workers may run and
    /// before starting any thread. Idempotent.
    ///
    /// `taskProcesses: false` serves tasks in the rank itself (as mpi4py does: a crashing task ends the job), for
    /// programs whose functions do not exist before MPI starts (mpsh's MPICommExecutor under plain mpirun).
    public static func initialize(taskProcesses: Bool = true) throws {
        let done = state.withLock { $0.initialized }
        if done { return }
        // Which rank is the master is known only when the program says (MPICommExecutor may make any rank the root):
        // under mpirun every process forks a supervisor (one fork, ~1 ms; `run` lets rank 0's go). A singleton
        // never serves.
        let supervisor: TaskSupervisor? = taskProcesses && role != .singleton ? try TaskSupervisor.start() : nil
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
            closeSupervisor()
            parent.disconnect()
            MPI.finalize()
            exit(0)
        }
    }

    /// Runs a program under `mpirun -n N` the way `python -m mpi4py.futures prog.py` does: rank 0 runs `main`
    /// (its `MPIPoolExecutor`s use ranks 1..N-1 as workers), the other ranks serve until rank 0's `main` returns;
    /// then every rank finalizes MPI. Started alone, the program runs `main` and spawns workers when it creates an
    /// executor. Returns `main`'s value on rank 0; on the other ranks the process exits with status 0.
    public static func run<T>(_ main: () throws -> T) throws -> T {
        try initialize()
        let world = try MPI.world.duplicate()
        state.withLock { $0.workers = world }
        if world.rank == 0 { closeSupervisor() }  // the master: its supervisor is not needed
        if world.rank != 0 {
            try serve(comm: world, master: 0)
            closeSupervisor()
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

    /// This rank serves `master` over `comm` until it says stop (in task processes if `initialize` made a supervisor,
    /// else in this process). Mirrors `mpi4py.futures._core._worker`.
    static func serve(comm: Communicator, master: Int) throws {
        let supervisor = state.withLock { $0.supervisor }
        WorkerLoop(comm: comm, master: master, supervisor: supervisor).serve()
    }

    /// Lets this process's task supervisor go (it kills and reaps any task process left) and waits for it; later
    /// serving runs tasks in this process. Called where a worker's serving ends for good; a program that uses
    /// MPICommExecutor may call it before MPI.finalize() (else the supervisor leaves when the process exits).
    public static func closeSupervisor() {
        let supervisor = state.withLock { state in
            defer { state.supervisor = nil }
            return state.supervisor
        }
        supervisor?.close()
    }

    /// What this process is in its MPI job, as its environment tells before MPI starts.
    public enum Role: Equatable, Sendable {
        /// Started alone (no mpirun): a master that spawns its workers.
        case singleton
        /// Started by `MPI_Comm_spawn` from a master (Open MPI: `OMPI_PARENT_PORT`).
        case spawnedWorker
        /// Rank `n` of a job started by mpirun (Open MPI: `OMPI_COMM_WORLD_RANK`; MPICH and PMIx: `PMI_RANK`,
        /// `PMIX_RANK`).
        case rank(Int)
    }

    /// This process's role, read from the environment mpirun or the spawning master gave it (valid before
    /// MPI_Init, when a program must decide what to load before the fork of its task supervisor).
    public static var role: Role {
        func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if variable("OMPI_PARENT_PORT") != nil { return .spawnedWorker }
        if let rank = (variable("OMPI_COMM_WORLD_RANK") ?? variable("PMI_RANK") ?? variable("PMIX_RANK")).flatMap({ Int($0) }) {
            return .rank(rank)
        }
        return .singleton
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

    /// The communicator of the workers started with the program (`run`'s copy of COMM_WORLD), or nil.
    static var worldWorkers: Communicator? { state.withLock { $0.workers } }

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
