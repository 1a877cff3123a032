// mpsh where pidfd_open is refused (a kernel before 5.3, a sandbox, valgrind): processes are then watched through
// sentinel pipes (`cshim_fork_watched`). Before those, a Pool's zygote never saw its workers end, so closing a
// pool hung, and `Process.sentinel` was -1. Run under `without-pidfd` (Tests/Tools/WithoutPidfd), which refuses the
// call with ENOSYS through seccomp.
import Foundation
import TestSupport
import XCTest

final class WithoutPidfdTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    private func runWithoutPidfd(_ name: String, _ program: String) throws -> Run {
        let path = try tempProgram(name, program)
        let run = try runChild([try builtExecutable("without-pidfd"), try mpshBinary(), path],
                               environment: testEnvironment(), limit: 60)
        return Run(status: run.status, stdout: run.output, stderr: run.error)
    }

    func testPoolSentinelsAndExecutorWork() throws {
        guard try bindingAvailable() else { throw XCTSkip("the multiprocessing binding is not in this build") }
        let run = try runWithoutPidfd("pool_sentinel_executor.py", """
            import time
            import multiprocessing as mp
            from multiprocessing import connection
            from concurrent.futures import ProcessPoolExecutor

            def square(x):
                return x * x

            def nap():
                time.sleep(0.2)

            if __name__ == '__main__':
                with mp.Pool(2) as pool:
                    print(pool.map(square, range(10)))
                p = mp.Process(target=nap)
                p.start()
                print(connection.wait([p.sentinel], timeout=0.01) == [])
                print(connection.wait([p.sentinel], timeout=10) == [p.sentinel])
                p.join(10)
                print(p.exitcode, p.is_alive())
                with ProcessPoolExecutor(2) as ex:
                    print(list(ex.map(square, range(5))))
                print(mp.active_children())

            """)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\nTrue\nTrue\n0 False\n[0, 1, 4, 9, 16]\n[]\n")
    }

    func testAKilledPoolWorkerIsStillReported() throws {
        guard try bindingAvailable() else { throw XCTSkip("the multiprocessing binding is not in this build") }
        let run = try runWithoutPidfd("killed_worker.py", """
            import os, signal
            import multiprocessing as mp

            def suicide(x):
                if x == 3:
                    os.kill(os.getpid(), signal.SIGKILL)
                return x

            if __name__ == '__main__':
                with mp.Pool(2) as pool:
                    try:
                        print(pool.map(suicide, range(6)))
                    except Exception as e:
                        print(type(e).__name__)
                    print(pool.map(abs, [-1, -2]))

            """)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "ProcessError\n[1, 2]\n")
    }

    /// Spawned and fork-server children (fresh interpreters that run the main file as __mp_main__) without pidfds:
    /// their sentinels are the sockets the library keeps with them, so `join`, `exitcode` and `connection.wait`
    /// still see them end.
    func testSpawnAndForkserverChildrenWithoutPidfd() throws {
        guard try bindingAvailable() else { throw XCTSkip("the multiprocessing binding is not in this build") }
        let run = try runWithoutPidfd("spawn_without_pidfd.py", """
            import sys, time
            import multiprocessing as mp
            from multiprocessing import connection

            print("module", __name__)

            def nap(q, code):
                q.put(__name__)
                time.sleep(0.2)
                sys.exit(code)

            if __name__ == '__main__':
                for method, code in (('spawn', 3), ('forkserver', 4)):
                    ctx = mp.get_context(method)
                    q = ctx.Queue()
                    p = ctx.Process(target=nap, args=(q, code))
                    p.start()
                    print(method, q.get(timeout=30))
                    print(connection.wait([p.sentinel], timeout=0.01) == [])
                    print(connection.wait([p.sentinel], timeout=30) == [p.sentinel])
                    p.join(10)
                    print(p.exitcode, p.is_alive())

            """)
        XCTAssertEqual(run.status, 0, run.stderr)
        // each child writes its buffered output as it ends, the parent its own at the next start and at exit
        XCTAssertEqual(run.stdout, "module __main__\nmodule __mp_main__\nspawn __mp_main__\nTrue\nTrue\n3 False\n"
                       + "module __mp_main__\nforkserver __mp_main__\nTrue\nTrue\n4 False\n")
    }
}
