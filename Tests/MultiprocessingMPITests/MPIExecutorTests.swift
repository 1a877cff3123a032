// The MPI executor with real MPI jobs: `mpi-selftest` (Tests/Tools/MPISelfTest) under mpirun -n 4, alone (it
// spawns its workers), and with MPICommExecutor; each scenario prints `name: value` lines that are asserted here.

import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class MPIExecutorTests: XCTestCase {
    /// mpirun, or a skip saying why MPI cannot run here.
    static func mpirun() throws -> String {
        for directory in ["/usr/bin", "/usr/local/bin"] where access("\(directory)/mpirun", X_OK) == 0 {
            return "\(directory)/mpirun"
        }
        throw XCTSkip("mpirun is not installed (apt-get install libopenmpi-dev openmpi-bin; .ci/run does it)")
    }

    /// The environment for MPI runs: as root Open MPI wants these two; oversubscription for a small machine.
    static var environment: [String] {
        currentEnvironment() + ["OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                                "OMPI_MCA_rmaps_base_oversubscribe=1"]
    }

    /// Runs a scenario and returns its checks by name.
    func scenario(_ arguments: [String], limit: Double = 120) throws -> [String: String] {
        let before = sharedMemoryEntries()
        let run = try runChild(arguments, environment: Self.environment, limit: limit)
        XCTAssertEqual(run.status, 0, "exit status; output:\n\(run.output)\n\(run.error)")
        var checks: [String: String] = [:]
        for line in run.output.split(separator: "\n") {
            guard let colon = line.range(of: ": ") else { continue }
            checks[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        // A spawned job's processes end after their master (they finalize after it disconnected): give them a
        // bounded time to go, polling.
        let deadline = Date().addingTimeInterval(10)
        while !selftestProcesses().isEmpty && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(selftestProcesses(), [], "processes of the job left behind")
        XCTAssertEqual(sharedMemoryEntries().subtracting(before), [], "/dev/shm entries left behind")
        return checks
    }

    func testPoolExecutorUnderMpirun() throws {
        let checks = try scenario([try Self.mpirun(), "-n", "4", "--oversubscribe",
                                   try builtExecutable("mpi-selftest"), "basic"])
        XCTAssertEqual(checks["workers"], "3")
        XCTAssertEqual(checks["map"], "\((0..<20).map { $0 * $0 })")
        XCTAssertEqual(checks["map chunksize 7"], "true")
        XCTAssertEqual(checks["starmap"], "[3, 7]")
        XCTAssertEqual(checks["submit"], "144")
        // the map's tasks each wait (at most 30 s) for a second task process to start one (mpi-selftest's
        // meetAnother): true by construction, however loaded the machine; a real failure names the lone process
        XCTAssertEqual(checks["distinct task processes"], "true")
        // the remote error: its type, its text, and the rank and host it was raised on
        let error = try XCTUnwrap(checks["error"])
        XCTAssertTrue(error.hasPrefix("error Failure: three is not allowed (raised in MPI rank "), error)
        XCTAssertEqual(checks["as completed"], "[0, 1, 4, 9, 16, 25, 36, 49]")
        XCTAssertEqual(checks["wait"], "8 0")
        // a real segfault fails that task, naming rank, host and signal; the job goes on
        let segfault = try XCTUnwrap(checks["segfault"])
        XCTAssertTrue(segfault.contains("task process of MPI rank ") && segfault.contains(" on host ") &&
                      segfault.contains("was killed by SIGSEGV while running item 0"), segfault)
        XCTAssertEqual(checks["after segfault"], "[49, 64, 81]")
        XCTAssertTrue(checks["exit 3"]?.contains("exited with code 3") == true, checks["exit 3"] ?? "")
        XCTAssertTrue(checks["crash in a chunk"]?.contains("SIGSEGV while running item 0") == true)
        XCTAssertEqual(checks["after crash"], "121")
        // 64 MiB back from a worker, with its contents
        XCTAssertEqual(checks["64 MiB"], "67108864 44 255")
        XCTAssertEqual(checks["timeout"], "error timed out waiting for the result")
        XCTAssertEqual(checks["after timeout"], "800")
        XCTAssertEqual(checks["map timeout"], "error timed out waiting for the result")
        // shutdown(cancelFutures:) cancels the queued calls; all 20 are either cancelled or finished
        XCTAssertEqual(checks["cancelled on shutdown"], "true 20")
        XCTAssertTrue(checks["submit after shutdown"]?.hasPrefix("error Pool not running") == true)
        XCTAssertEqual(checks["callback"], "1")
        // an initializer that throws breaks the executor (mpi4py's BrokenExecutor), for pending and later calls
        XCTAssertTrue(checks["initializer"]?.contains("initializer failed in a worker: Failure: no database") == true,
                      checks["initializer"] ?? "")
        XCTAssertTrue(checks["initializer again"]?.contains("initializer failed") == true)
        XCTAssertEqual(checks["second executor"], "2 [9]")
        XCTAssertEqual(checks["initialized"], "[\"ready\"]")
        XCTAssertEqual(checks["initialized after crashes"], "[\"ready\"]")
        XCTAssertEqual(checks["next executor starts fresh"], "[\"unset\"]")
    }

    /// A worker rank SIGKILLed mid-job: the whole job ends (MPI's rule: mpirun aborts it), promptly, with a
    /// non-zero status, and no process of it (ranks, supervisors, task processes) is left.
    func testAKilledRankEndsTheJob() throws {
        let run = try runChild([try Self.mpirun(), "-n", "4", "--oversubscribe", try builtExecutable("mpi-selftest"),
                                "killrank"], environment: Self.environment, limit: 60)
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("victim: true"), run.output + run.error)
        XCTAssertFalse(run.output.contains("still running"), run.output)
        XCTAssertTrue(run.error.contains("signal 9") || run.error.contains("Killed"), run.error)
        let deadline = Date().addingTimeInterval(10)
        while !selftestProcesses().isEmpty && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(selftestProcesses(), [], "processes of the job left behind")
    }

    func testSingletonSpawnsItsWorkers() throws {
        _ = try Self.mpirun()
        let checks = try scenario([try builtExecutable("mpi-selftest"), "spawn"])
        XCTAssertEqual(checks["world size"], "1")
        XCTAssertEqual(checks["workers"], "2")
        XCTAssertEqual(checks["map"], "\((0..<10).map { $0 * $0 })")
        XCTAssertTrue(checks["segfault"]?.contains("was killed by SIGSEGV") == true, checks["segfault"] ?? "")
        XCTAssertEqual(checks["after segfault"], "[16, 25]")
    }

    func testCommExecutorOnEveryRank() throws {
        let checks = try scenario([try Self.mpirun(), "-n", "3", "--oversubscribe",
                                   try builtExecutable("mpi-selftest"), "comm"])
        XCTAssertEqual(checks["workers"], "2")
        XCTAssertEqual(checks["map"], "[0, 1, 4, 9, 16, 25]")
        XCTAssertEqual(checks["root 1 segfault"], "true")
        XCTAssertEqual(checks["root 1 map"], "[0, 1, 4, 9, 16, 25]")
        XCTAssertEqual(checks["allreduce"], "6")  // 1 + 2 + 3: every rank left the executor and reduced
    }

    /// The pids of running mpi-selftest processes (none should outlive a run).
    func selftestProcesses() -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name) else { continue }
            let command = readProcFile("/proc/\(pid)/comm").trimmingCharacters(in: .whitespacesAndNewlines)
            if command == "mpi-selftest" { pids.append(pid) }
        }
        return pids
    }
}
