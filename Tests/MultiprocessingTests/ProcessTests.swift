import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Foundation (re-exported by XCTest) has a `Process` too.
private typealias Process = Multiprocessing.Process

/// `Process` with real processes, mirroring CPython's `_TestProcess` (test/_test_multiprocessing.py).
/// Children report through a ring buffer (the library's Queue stand-in until Queue lands).
final class ProcessTests: ProcessTestCase {
    /// _TestProcess.test_process: state before start, while running, after join.
    func testLifeCycleMirrorsCPython() throws {
        let reports = try RingBuffer(capacity: 4096)
        let gate = try RingBuffer(capacity: 4096)
        let p = Process(name: "SomeProcess", daemon: true) {
            try reports.write(Process.current.name)
            try reports.write(value: getpid())
            _ = try gate.read(timeout: .seconds(10))  // stay alive until the parent has looked
        }
        XCTAssertFalse(p.isAlive)
        XCTAssertTrue(p.daemon)
        XCTAssertNil(p.exitCode)
        XCTAssertFalse(Process.activeChildren().contains { $0 === p })
        XCTAssertEqual(p.state, .initial)

        try p.start()
        XCTAssertNil(p.exitCode)
        XCTAssertTrue(p.isAlive)
        XCTAssertTrue(Process.activeChildren().contains { $0 === p })
        XCTAssertEqual(try reports.readString(timeout: .seconds(10)), "SomeProcess")
        XCTAssertEqual(try reports.read(as: pid_t.self, timeout: .seconds(10)), p.pid)
        XCTAssertEqual(p.state, .started)

        try gate.write([1])
        try p.join()
        XCTAssertEqual(p.exitCode, 0)
        XCTAssertFalse(p.isAlive)
        XCTAssertEqual(p.state, .stopped)
        XCTAssertFalse(Process.activeChildren().contains { $0 === p })
    }

    /// CPython's repr in every state: `<Process name='Process-1' parent=… initial>`, `… pid=… parent=… started
    /// daemon>`, `… stopped exitcode=-SIGTERM>`, `… closed>`.
    func testDescriptionMirrorsCPythonRepr() throws {
        let gate = try RingBuffer(capacity: 4096)
        let p = Process(name: "R", daemon: true) { _ = try gate.read(timeout: .seconds(10)) }
        let me = getpid()
        XCTAssertEqual("\(p)", "<Process name='R' parent=\(me) initial daemon>")
        try p.start()
        XCTAssertEqual("\(p)", "<Process name='R' pid=\(p.pid!) parent=\(me) started daemon>")
        try p.terminate()
        try p.join()
        XCTAssertEqual("\(p)", "<Process name='R' pid=\(p.pid!) parent=\(me) stopped exitcode=-SIGTERM daemon>")
        try p.close()
        XCTAssertEqual("\(p)", "<Process name='R' pid=\(p.pid!) parent=\(me) closed daemon>")
    }

    /// Default names are `Process-N`, one counter per creating process; a grandchild is `Process-N:M`, and its
    /// `current` identity says so.
    func testDefaultNamesCountPerCreatingProcess() throws {
        let first = Process {}
        let second = Process {}
        let n1 = Int(first.name.dropFirst("Process-".count))!
        XCTAssertTrue(first.name.hasPrefix("Process-"))
        XCTAssertEqual(second.name, "Process-\(n1 + 1)")
        let reports = try RingBuffer(capacity: 4096, mode: .multiProducerMultiConsumer)
        let parent = Process {
            let a = Process { try reports.write("grandchild " + Process.current.name) }
            let b = Process {}
            try reports.write("names " + a.name + " " + b.name)
            try a.start()
            try a.join()
        }
        try parent.start()
        try parent.join()
        XCTAssertEqual(parent.exitCode, 0)
        var got = [try reports.readString(timeout: .seconds(5)), try reports.readString(timeout: .seconds(5))]
        got.sort()
        let p = parent.name.dropFirst("Process-".count)
        XCTAssertEqual(got, ["grandchild Process-\(p):1", "names Process-\(p):1 Process-\(p):2"])
    }

    /// _TestProcess.test_sys_exit: the exit code is what the child asked for; a thrown error gives 1.
    func testExitCodesMirrorSysExitAndExceptions() throws {
        struct Failure: Error {}
        let cases: [(() throws -> Void, Int32)] = [
            ({}, 0),
            ({ throw ProcessExit(8) }, 8),
            ({ throw ProcessExit(0) }, 0),
            ({ throw Failure() }, 1),
        ]
        for (index, (body, expected)) in cases.enumerated() {
            let p = Process(target: body)
            try p.start()
            try p.join()
            XCTAssertEqual(p.exitCode, expected, "case \(index)")
        }
    }

    /// _TestProcess.test_terminate / test_kill: exit codes are minus the signal.
    func testTerminateAndKillGiveMinusTheSignal() throws {
        for (stop, signal) in [({ (p: Process) in try p.terminate() }, SIGTERM), ({ try $0.kill() }, SIGKILL)] {
            let gate = try RingBuffer(capacity: 4096)
            let p = Process { _ = try gate.read(timeout: .seconds(30)) }
            try p.start()
            XCTAssertFalse(try p.join(timeout: .milliseconds(10)), "still running")
            try stop(p)
            XCTAssertTrue(try p.join(timeout: .seconds(10)))
            XCTAssertEqual(p.exitCode, -signal)
        }
    }

    /// join(timeout:) returns on time while the child runs, and reports that it has not finished.
    func testJoinTimeoutReturnsOnTime() throws {
        let gate = try RingBuffer(capacity: 4096)
        let p = Process { _ = try gate.read(timeout: .seconds(30)) }
        try p.start()
        let start = nowNanoseconds()
        XCTAssertFalse(try p.join(timeout: .milliseconds(150)))
        let waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 150_000_000 && waited < 200_000_000, "\(Double(waited) / 1e6) ms")
        XCTAssertNil(p.exitCode)
        try gate.write([1])
        XCTAssertTrue(try p.join(timeout: .seconds(10)))
        XCTAssertEqual(p.exitCode, 0)
    }

    /// CPython's assertions, as errors with CPython's messages.
    func testMisuseIsAClearError() throws {
        let p = Process {}
        XCTAssertThrowsError(try p.join()) { XCTAssertEqual("\($0)", "can only join a started process") }
        XCTAssertThrowsError(try p.sentinel) { XCTAssertEqual("\($0)", "can only sentinel a started process") }
        try p.start()
        XCTAssertThrowsError(try p.start()) { XCTAssertEqual("\($0)", "cannot start a process twice") }
        try p.join()
        try p.close()
        XCTAssertThrowsError(try p.join()) { XCTAssertEqual("\($0)", "process object is closed") }
        XCTAssertThrowsError(try p.start()) { XCTAssertEqual("\($0)", "process object is closed") }
    }

    /// _TestProcess.test_close: a running process cannot be closed.
    func testCloseRefusedWhileRunning() throws {
        let gate = try RingBuffer(capacity: 4096)
        let p = Process { _ = try gate.read(timeout: .seconds(30)) }
        try p.start()
        XCTAssertThrowsError(try p.close()) {
            XCTAssertEqual("\($0)", "Cannot close a process while it is still running. You should first call join() or terminate().")
        }
        try gate.write([1])
        try p.join()
        try p.close()
        try p.close()  // idempotent
    }

    /// _TestProcess.test_sentinel: not ready while the child runs, readable once it has finished.
    func testSentinelBecomesReadableWhenTheChildEnds() throws {
        let gate = try RingBuffer(capacity: 4096)
        let p = Process { _ = try gate.read(timeout: .seconds(30)) }
        try p.start()
        var fd = pollfd(fd: try p.sentinel, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&fd, 1, 0), 0, "not ready while running")
        try gate.write([1])
        XCTAssertEqual(poll(&fd, 1, 10_000), 1, "ready once finished")
        try p.join()
    }

    /// _TestProcess.test_current / test_parent_process: in the child, `current` is the child and `parent` the
    /// creator; in the main process there is no parent.
    func testCurrentAndParentInsideTheChild() throws {
        XCTAssertNil(Process.parent)
        let mainName = Process.current.name
        let reports = try RingBuffer(capacity: 4096)
        let p = Process(name: "Kid") {
            let parent = Process.parent!
            try reports.write("\(Process.current.name) \(Process.current.pid == getpid()) \(parent.name) \(parent.pid) \(parent.isAlive)")
        }
        try p.start()
        try p.join()
        XCTAssertEqual(try reports.readString(timeout: .seconds(5)), "Kid true \(mainName) \(getpid()) true")
    }

    /// Daemonic processes may not have children (CPython: "daemonic processes are not allowed to have children").
    func testDaemonCannotStartChildren() throws {
        let reports = try RingBuffer(capacity: 4096)
        let p = Process(daemon: true) {
            do { try Process {}.start() } catch { try reports.write("\(error)") }
        }
        try p.start()
        try p.join()
        XCTAssertEqual(try reports.readString(timeout: .seconds(5)), "daemonic processes are not allowed to have children")
    }

    /// Better than CPython: a child whose creator is SIGKILLed dies too. The grandchild holds the only write
    /// end of a pipe once the others are closed, so end-of-file on the read end is its death.
    func testChildDiesWithACrashedCreator() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let ready = try RingBuffer(capacity: 4096)
        let middle = Process {
            let grandchild = Process { while true { pause() } }
            try grandchild.start()
            try ready.write(value: grandchild.pid!)
            while true { pause() }
        }
        try middle.start()
        close(fds[1])  // the parent's copy; the middle process and the grandchild hold theirs
        let grandchild = try ready.read(as: pid_t.self, timeout: .seconds(10))
        XCTAssertGreaterThan(grandchild, 0)
        try middle.kill()
        try middle.join()
        var p = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        XCTAssertEqual(poll(&p, 1, 5000), 1, "the grandchild went when its creator was killed")
        XCTAssertEqual(read(fds[0], &byte, 1), 0, "end of file: every writer is gone")
        close(fds[0])
    }

    /// Children still running when their creator's process exits are joined, daemonic ones terminated (as
    /// CPython's `_exit_function`): a child's own child finishes its work before the child is reaped.
    func testExitingCreatorJoinsItsChildren() throws {
        let reports = try RingBuffer(capacity: 4096, mode: .multiProducerMultiConsumer)
        let gate = try RingBuffer(capacity: 4096, mode: .multiProducerMultiConsumer)
        let p = Process {
            try Process { _ = try gate.read(timeout: .seconds(10)); try reports.write("worker done") }.start()
            try Process(daemon: true) { while true { pause() } }.start()
            try reports.write("creator returning")
        }
        try p.start()
        XCTAssertEqual(try reports.readString(timeout: .seconds(10)), "creator returning")
        XCTAssertFalse(try p.join(timeout: .milliseconds(50)), "waits for its non-daemonic child")
        try gate.write([1])
        XCTAssertTrue(try p.join(timeout: .seconds(10)))
        XCTAssertEqual(try reports.readString(timeout: .seconds(1)), "worker done")
        XCTAssertEqual(p.exitCode, 0)
    }

    /// _TestProcess.test_active_children and test_many_processes: many children, all reaped, none left.
    func testManyProcessesAllReaped() throws {
        let processes = (0..<50).map { i in Process { if i % 2 == 1 { throw ProcessExit(Int32(i % 7)) } } }
        for p in processes { try p.start() }
        for p in processes { try p.join() }
        for (i, p) in processes.enumerated() { XCTAssertEqual(p.exitCode, i % 2 == 1 ? Int32(i % 7) : 0) }
        XCTAssertTrue(Process.activeChildren().isEmpty)
    }

    /// _TestSubclassingProcess: a subclass overrides run(); its stored properties travel with it.
    func testSubclassOverridingRun() throws {
        final class Squarer: Process {
            let input: Int
            let results: Queue<Int>
            init(input: Int, results: Queue<Int>) {
                self.input = input
                self.results = results
                super.init(name: "Squarer-\(input)")
            }
            override func run() throws {
                try results.put(input * input)
                if Process.current.name != name { throw ProcessExit(3) }
            }
        }
        let results = try Queue<Int>()
        let p = Squarer(input: 9, results: results)
        try p.start()
        try p.join()
        XCTAssertEqual(p.exitCode, 0)
        XCTAssertEqual(try results.get(timeout: .seconds(5)), 81)
        XCTAssertEqual("\(p)", "<Squarer name='Squarer-9' pid=\(p.pid!) parent=\(getpid()) stopped exitcode=0>")
    }

    /// Ctrl-C in the terminal sends SIGINT to the whole foreground process group: the parent and every child end
    /// by SIGINT, and the children print nothing (CPython sprays a KeyboardInterrupt traceback from each).
    func testCtrlCReachesTheGroupWithoutSprayingErrors() throws {
        var errPipe: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&errPipe), 0)
        let ready = try Queue<Int32>()
        let parent = Process {
            setpgid(0, 0)  // a group of its own, standing for the terminal's foreground group
            // A program in a terminal's foreground group: SIGINT is not ignored, even where the test run was
            // started with it ignored (a `cmd &` from a non-interactive shell); its children inherit that.
            signal(SIGINT, SIG_DFL)
            dup2(errPipe[1], 2)
            let children = (0..<3).map { _ in Process { while true { pause() } } }
            for child in children { try child.start() }
            try ready.put(getpgrp())
            for child in children { try child.join() }
            throw ProcessExit(children.allSatisfy { $0.exitCode == -SIGINT } ? 0 : 1)
        }
        try parent.start()
        close(errPipe[1])
        let group = try ready.get(timeout: .seconds(10))
        XCTAssertEqual(kill(-group, SIGINT), 0, "Ctrl-C to the group")
        let ended = try parent.join(timeout: .seconds(10))
        XCTAssertTrue(ended)
        if !ended {  // end the group, or the read below waits for ever on the pipe its processes hold
            kill(-group, SIGKILL)
            try parent.join()
        }
        XCTAssertEqual(parent.exitCode, -SIGINT, "the parent ended by SIGINT too")
        var buffer = [UInt8](repeating: 0, count: 4096)
        XCTAssertEqual(read(errPipe[0], &buffer, buffer.count), 0, "nothing on standard error from any process")
        close(errPipe[0])
    }

    /// _TestProcess.test_cpu_count: at least one, and no more than the machine has.
    func testCPUCountHonoursAffinity() {
        XCTAssertGreaterThanOrEqual(Process.cpuCount, 1)
        XCTAssertLessThanOrEqual(Process.cpuCount, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// A child's standard input is /dev/null, as in CPython (it must not steal the terminal's input).
    func testChildStdinIsDevNull() throws {
        let reports = try RingBuffer(capacity: 4096)
        let p = Process {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = readlink("/proc/self/fd/0", &buffer, 63)
            try reports.write(String(decoding: buffer[0..<max(0, n)], as: UTF8.self))
        }
        try p.start()
        try p.join()
        XCTAssertEqual(try reports.readString(timeout: .seconds(5)), "/dev/null")
    }

    /// A forked child rebuilds its process table only when it first asks (see `Process.runInChild`): whether it
    /// asks or not, it never sees, joins or waits for its creator's other children. (CPython: a child's
    /// `active_children()` is empty; `_children` is cleared in `_bootstrap`.)
    func testChildNeverSeesItsCreatorsOtherChildren() throws {
        let gate = try RingBuffer(capacity: 4096)
        let reports = try RingBuffer(capacity: 4096)
        let sibling = Process { _ = try gate.read(timeout: .seconds(30)) }
        try sibling.start()
        let silent = Process {}
        try silent.start()
        XCTAssertTrue(try silent.join(timeout: .seconds(10)), "ends while its creator's other child runs")
        XCTAssertEqual(silent.exitCode, 0)
        let asking = Process(name: "Asking") {
            try reports.write("\(Process.current.name) \(Process.activeChildren().count) \(Process.current.identity.count)")
        }
        try asking.start()
        XCTAssertTrue(try asking.join(timeout: .seconds(10)), "ends while its creator's other child runs")
        XCTAssertEqual(asking.exitCode, 0)
        XCTAssertEqual(try reports.readString(timeout: .seconds(5)), "Asking 0 \(Process.current.identity.count + 1)")
        XCTAssertTrue(sibling.isAlive)
        try gate.write([1])
        try sibling.join()
        XCTAssertEqual(sibling.exitCode, 0)
    }

    /// What a child leaves in a stdio buffer is written when it ends (CPython flushes sys.stdout and sys.stderr
    /// in the child before `os._exit`).
    func testChildFlushesStdioAtExit() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let p = Process {
            dup2(fds[1], 1)
            print("no newline yet", terminator: "")  // stays in the stdio buffer
        }
        try p.start()
        close(fds[1])
        try p.join()
        XCTAssertEqual(p.exitCode, 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(fds[0], &buffer, 64)
        close(fds[0])
        XCTAssertEqual(String(decoding: buffer[0..<max(0, n)], as: UTF8.self), "no newline yet")
    }
}

// MARK: - Under every start method (CPython runs _TestProcess once per start method)

extension ProcessTests {
    /// The exit code is 0, the code given to `ProcessExit` (CPython: `sys.exit(n)`), or 1 for an error thrown
    /// by the target. (CPython: `test_process`, `test_sys_exit`.)
    func testExitCodesUnderEveryStartMethod() {
        forEachStartMethod { method in
            XCTAssertEqual(try runChild(method, ChildFunctions.exit, ExitArgument(code: 0)), 0, "under \(method)")
            XCTAssertEqual(try runChild(method, ChildFunctions.exit, ExitArgument(code: 5)), 5, "under \(method)")
            XCTAssertEqual(try runChild(method, ChildFunctions.throwing, 1), 1, "under \(method)")
        }
    }

    /// The child knows its name, its parent and whether it is a daemon, and is a child of its creator even
    /// when the fork server forked it. (CPython: `test_current`, `test_parent_process`.)
    func testChildIdentityUnderEveryStartMethod() {
        forEachStartMethod { method in
            let results = try Queue<String>()
            let process = try startChild(method, ChildFunctions.identity, Report(results: results),
                                         name: "who-\(method)", daemon: true)
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0, "under \(method)")
            let answers = try (0..<5).map { _ in try results.get(timeout: .seconds(5)) }
            XCTAssertEqual(answers, ["who-\(method)", String(getpid()), "MainProcess", "true", "true"], "under \(method)")
        }
    }

    /// terminate() ends a running child with -SIGTERM and kill() with -SIGKILL; is_alive, sentinel and
    /// active_children follow. (CPython: `test_terminate`, `test_kill`, `test_sentinel`, `test_active_children`.)
    /// The pid cache the pool asks (cshim_getpid_cached) answers a child's own pid under every start method, though
    /// the parent cached its own first (a forked child forgets it at fork, the fork server's at its clone).
    func testCachedPidIsTheChildsOwnUnderEveryStartMethod() {
        XCTAssertEqual(cshim_getpid_cached(), getpid())
        forEachStartMethod { method in
            XCTAssertEqual(try runChild(method, ChildFunctions.cachedPid, 0), 0, "under \(method)")
        }
        XCTAssertEqual(cshim_getpid_cached(), getpid())
    }

    func testTerminateAndKillUnderEveryStartMethod() {
        forEachStartMethod { method in
            for (signal, kill) in [(SIGTERM, false), (SIGKILL, true)] {
                let argument = WaitArgument(started: try Event(), release: try Event())
                let process = try startChild(method, ChildFunctions.waitForRelease, argument)
                XCTAssertTrue(argument.started.wait(timeout: .seconds(60)), "under \(method)")
                XCTAssertTrue(process.isAlive)
                XCTAssertTrue(Process.activeChildren().contains { $0 === process }, "under \(method)")
                var poller = pollfd(fd: try process.sentinel, events: Int16(POLLIN), revents: 0)
                XCTAssertEqual(poll(&poller, 1, 0), 0, "the sentinel is not ready while the child runs")
                if kill { try process.kill() } else { try process.terminate() }
                XCTAssertTrue(try process.join(timeout: .seconds(60)))
                XCTAssertEqual(process.exitCode, -signal, "under \(method)")
                XCTAssertFalse(process.isAlive)
                XCTAssertFalse(Process.activeChildren().contains { $0 === process })
            }
        }
    }

    /// A child started by the fork server or spawn may start children of its own, with the same method; its
    /// children are named after it. (CPython: `test_recursion`.)
    func testGrandchildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let results = try Queue<String>()
            let process = try startChild(method, ChildFunctions.spawnsChild,
                                         GrandchildWork(results: results, method: method.rawValue))
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0, "under \(method)")
            let identity = process.name.dropFirst("Process-".count)
            XCTAssertEqual(try results.get(timeout: .seconds(5)), "7 Process-\(identity):1", "under \(method)")
        }
    }

    /// A closure cannot reach a child started by the fork server or spawn: start() says so and starts nothing.
    /// (CPython: pickling a lambda target fails at start() under spawn and forkserver.)
    func testClosureTargetIsRefusedByForkserverAndSpawn() {
        for method in [StartMethod.forkserver, .spawn] {
            let process = getContext(method).process { }
            XCTAssertThrowsError(try process.start()) { error in
                XCTAssertEqual(error as? ProcessError, .targetCannotTravel(method))
                XCTAssertTrue("\(error)".contains("use Process(function:argument:)"), "\(error)")
            }
            XCTAssertEqual(process.state, .initial)
        }
        // Without a chosen method, a closure is forked (the only way it can run).
        let process = Process { throw ProcessExit(4) }
        XCTAssertNoThrow(try process.start())
        XCTAssertNoThrow(try process.join())
        XCTAssertEqual(process.exitCode, 4)
    }

    /// A function the fork server or the spawned program does not know is refused at start(), with its name.
    func testUnknownFunctionIsRefusedAtStart() throws {
        let late = try RemoteFunction("test.process.registeredAfterTheServer") { (x: Int) in x }
        for method in [StartMethod.forkserver, .spawn] {
            let process = Process(startMethod: method, function: late, argument: 1)
            XCTAssertThrowsError(try process.start()) { error in
                XCTAssertTrue("\(error)".contains("test.process.registeredAfterTheServer"), "\(error)")
            }
        }
        // Fork inherits every registration.
        XCTAssertEqual(try runChild(.fork, late, 1), 0)
    }

    /// A spawned program whose main calls `Multiprocessing.bootstrap()` (mp-examples) takes the request; a
    /// function it does not register is refused at start() with the program's answer, and nothing is left
    /// running. (The end-to-end path of spawn through a real program's main.)
    func testSpawnThroughExamplesProgram() throws {
        guard let examples = StartMethodSupport.examplesExecutable, let test = StartMethodSupport.testExecutable else {
            throw XCTSkip("mp-examples is not built beside the test bundle")
        }
        Multiprocessing.setExecutable(examples)
        _ = test
        defer { StartMethodSupport.pointSpawnAtTestEntry() }
        let process = Process(startMethod: .spawn, function: ChildFunctions.exit, argument: ExitArgument(code: 0))
        XCTAssertThrowsError(try process.start()) { error in
            XCTAssertTrue("\(error)".contains("mp-examples: no function named 'test.exit'"), "\(error)")
        }
    }

    /// setStartMethod sets the default once (again only with force); a context creates processes with its
    /// method. (CPython: `test_set_get`, `test_context`.)
    func testStartMethodSettings() throws {
        XCTAssertEqual(getAllStartMethods(), [.fork, .forkserver, .spawn])
        XCTAssertEqual(getContext(.spawn).startMethod, .spawn)
        XCTAssertEqual(getContext(.forkserver).process(function: ChildFunctions.exit, argument: ExitArgument(code: 0)).startMethod,
                       .forkserver)
        // The test runner has threads: the default is the fork server.
        XCTAssertEqual(getStartMethod(), .forkserver)
        XCTAssertEqual(getContext().startMethod, .forkserver)

        try setStartMethod(.spawn)
        defer { try? setStartMethod(nil, force: true) }
        XCTAssertEqual(getStartMethod(), .spawn)
        XCTAssertThrowsError(try setStartMethod(.fork)) { XCTAssertEqual($0 as? StartMethodError, .alreadySet(.spawn)) }
        // With spawn chosen for everyone, a closure process refuses to start ...
        XCTAssertThrowsError(try Process { }.start()) { XCTAssertEqual($0 as? ProcessError, .targetCannotTravel(.spawn)) }
        // ... unless it chooses fork itself.
        let forked = Process { }
        forked.startMethod = .fork
        try forked.start()
        try forked.join()
        XCTAssertEqual(forked.exitCode, 0)
        try setStartMethod(nil, force: true)
        XCTAssertEqual(getStartMethod(), .forkserver)
    }
}

extension ProcessTests {
    /// A child dies with a creator that crashes (a parent-death signal), whichever method started it.
    /// (Better than CPython, where such children live on.)
    func testChildDiesWithCrashedCreatorUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = OrphanWork(pids: try Queue<Int32>(), method: method.rawValue, started: try Event(), release: try Event())
            XCTAssertEqual(try runChild(method, ChildFunctions.startsGrandchildAndDies, argument), -SIGKILL, "under \(method)")
            let grandchild = try argument.pids.get(timeout: .seconds(10))
            XCTAssertGreaterThan(grandchild, 0)
            // The grandchild is not ours to wait for: look until it is gone (within 10 s).
            let deadline = nowNanoseconds() + 10_000_000_000
            while kill(grandchild, 0) == 0 && nowNanoseconds() < deadline { usleep(1000) }
            let alive = kill(grandchild, 0) == 0
            XCTAssertFalse(alive, "under \(method): the grandchild outlived its crashed parent")
            if alive { argument.release.set() }
        }
    }
}
