import CShim
import Foundation
import Multiprocessing
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The base of every multi-process test: after each test, no child process, descriptor or /dev/shm entry may
/// be left behind by it. The fork server (started before the first test, see `StartMethodSupport`) is the one
/// child that lives for the whole run.
class ProcessTestCase: XCTestCase {
    private var descriptorsBefore: Set<String> = []
    private var shmBefore: Set<String> = []

    override func setUp() {
        super.setUp()
        StartMethodSupport.prepared  // the fork server and the spawn settings, before descriptors are counted
        descriptorsBefore = Self.openDescriptors()
        shmBefore = sharedMemoryEntries()
    }

    override func tearDown() {
        // A pool that ended cleanly leaves its zygote idle for the next pool: that is no leak, but it must not
        // outlive the test that made it.
        Pool.releaseIdleZygote()
        var status: Int32 = 0
        let reaped = waitpid(-1, &status, WNOHANG)
        XCTAssertTrue(reaped <= 0, "a finished child process was left unreaped (pid \(reaped))")
        // The fork server is our child for the whole run; nothing else may be.
        let living = Self.livingChildren().subtracting(ForkServer.pid.map { [$0] } ?? [])
        XCTAssertEqual(living, [], "a child process was left running")
        XCTAssertEqual(Self.openDescriptors().subtracting(descriptorsBefore), [], "descriptors leaked")
        XCTAssertEqual(sharedMemoryEntries().subtracting(shmBefore), [], "/dev/shm entries leaked")
        super.tearDown()
    }

    /// Each open descriptor named by what it points at, so a reused number is not mistaken for the same one.
    /// Kinds the library never creates are left out: the test runner's Dispatch opens a timerfd and an epoll
    /// descriptor lazily, whenever something first uses it, and that is not a leak of ours.
    static func openDescriptors() -> Set<String> {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        let notOurs = ["/proc/", "anon_inode:[timerfd]", "anon_inode:[eventpoll]"]
        return Set(fds.compactMap { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")).map { "\(fd)->\($0)" }
        }.filter { entry in !notOurs.contains { entry.contains($0) } })
    }

    /// The pids whose parent is this process (from /proc/<pid>/stat).
    static func livingChildren() -> Set<pid_t> {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return Set(entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && pid_t(fields[1]) == me ? pid : nil
        })
    }

    /// Forks a child that runs `body` and `_exit`s with its result (1 if it threw), never returning into the
    /// test runner.
    ///
    /// The XCTest process is never single-threaded: XCTest keeps idle Dispatch worker threads. A fork child
    /// inherits only the forking thread, so `body` must stay on code that takes no lock another thread could
    /// hold: the library's ring, mutex and shared-memory calls (already used by the parent, so their metadata
    /// is instantiated), no Dispatch, no Swift concurrency, no Foundation. glibc's malloc is fork-safe.
    /// The library's `Process(function:argument:)` uses the fork server in this situation by default; these
    /// tests exercise the primitives beneath it. `forEachStartMethod` (StartMethods.swift) runs a test body
    /// under fork, forkserver and spawn.
    func forkChild(_ body: () throws -> Int32) -> pid_t {
        let pid = cshim_fork_flushed()
        precondition(pid >= 0, "fork failed")
        if pid == 0 {
            let code: Int32
            do { code = try body() } catch {
                let message = Array("child failed: \(error)\n".utf8)
                _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
                code = 1
            }
            _exit(code)
        }
        return pid
    }

    /// Waits for `pid` and returns CPython's exit code: the exit status, or minus the signal number.
    @discardableResult
    func waitExitCode(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        var code: Int32 = -999
        _ = cshim_exitcode_from_status(status, &code)
        return code
    }

    /// Kills and reaps a child (cleanup for tests that leave a child blocked on purpose).
    func killAndReap(_ pid: pid_t) {
        kill(pid, SIGKILL)
        waitExitCode(pid)
    }
}

/// Monotonic nanoseconds, shared by all processes.
func nowNanoseconds() -> Int64 { cshim_now_ns() }
