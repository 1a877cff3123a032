// Issue 20: bad input gets a clear error and an exit status, never a signal, a hang or a leak. Each case runs the
// built mpsh; `status` is minus the signal when one killed it, so `> 0` says "it exited, with an error".
// What CPython answers too is in the corpus (Corpus/bad_input_sizes.py, deep_structures_free.py,
// deep_expression.py, MPCorpus/bad_input_shared.py); these are the cases about mpsh itself.
import Foundation
import TestSupport
import XCTest

final class BadInputTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    /// Runs `mpsh ARGS` and checks it exited (no signal) with `status`, its stderr holding each of `errors`
    /// and no Python traceback unless `traceback`.
    @discardableResult
    func expectError(_ args: [String], status: Int32 = 1, _ errors: [String], traceback: Bool = false,
                     env: [String: String] = [:], stdin: String? = nil, limit: Double = 120,
                     file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let child = try runChild([try mpshBinary()] + args, environment: testEnvironment(env), stdin: stdin, limit: limit)
        let run = Run(status: child.status, stdout: child.output, stderr: child.error)
        XCTAssertEqual(run.status, status, "\(args): \(run.stderr)", file: file, line: line)
        for e in errors { XCTAssertTrue(run.stderr.contains(e), "\(args): wanted \(e) in: \(run.stderr.suffix(2000))", file: file, line: line) }
        if !traceback {
            XCTAssertFalse(run.stderr.contains("Traceback"), "\(args): \(run.stderr.suffix(2000))", file: file, line: line)
        }
        return run
    }

    func testStackSizeVariableIsChecked() throws {
        for bad in ["-1", "0", "abc", "99999999999999999999"] {
            try expectError(["-c", "print(1)"], status: 64, ["MPSH_STACK_MB must be a whole number of MiB", "got '\(bad)'"],
                            env: ["MPSH_STACK_MB": bad])
        }
        let ok = try runChild([try mpshBinary(), "-c", "print(1)"], environment: testEnvironment(["MPSH_STACK_MB": "64"]))
        XCTAssertEqual(ok.status, 0, ok.error)
        XCTAssertEqual(ok.output, "1\n")
    }

    func testRepeatedDashCIsRefused() throws {
        let run = try expectError(["-c", "print('a')", "-c", "print('b')"], status: 64, ["-c given 2 times"])
        XCTAssertEqual(run.stdout, "", "neither program runs")
    }

    func testProgramsFromDevicesAndPipes() throws {
        let empty = try runMpsh(["/dev/null"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stdout + empty.stderr, "")
        // a /proc link named as the file, as `mpsh <(...)` gives: read to its end, not "Permission denied"
        let piped = try runMpsh(["/dev/stdin"], stdin: "print(6 * 7)\n")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, "42\n")
        // and a FIFO, written by another process
        let fifo = NSTemporaryDirectory() + "mpsh-e2e-fifo-\(getpid())"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        defer { unlink(fifo) }
        let writer = try ChildProgram(["/bin/sh", "-c", "printf 'print(\"from a fifo\")\\n' > \(fifo)"],
                                      environment: currentEnvironment())
        let run = try runMpsh([fifo])
        XCTAssertEqual(try writer.wait(limit: 30).status, 0)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "from a fifo\n")
    }

    func testUnreadableAndMissingKeepTheirErrno() throws {
        try expectError(["/nonexistent/x.py"], status: 2, ["[Errno 2] No such file or directory"])
    }

    func testSourceThatIsNotUTF8OrHoldsNULIsASyntaxError() throws {
        let dir = NSTemporaryDirectory() + "mpsh-e2e-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let nul = dir + "/nul.py", bad = dir + "/latin1.py"
        try Data("x = 1\nprint(1)\u{0}\n".utf8).write(to: URL(fileURLWithPath: nul))
        try Data([0x78, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22, 0x0A]).write(to: URL(fileURLWithPath: bad))  // x = "\xff"
        let n = try expectError([nul], ["\(nul):2:9: SyntaxError: source code cannot contain null bytes"])
        XCTAssertEqual(n.stdout, "", "nothing runs")
        try expectError([bad], ["\(bad):1:6: SyntaxError: Non-UTF-8 code starting with '\\xff' in file \(bad) on line 1"])
        try expectError([], ["<stdin>:1:9: SyntaxError: source code cannot contain null bytes"], stdin: "print(1)\u{0}\n")
        // a module the program imports is checked the same way
        let main = dir + "/imports_latin1.py"
        try "import latin1\n".write(toFile: main, atomically: true, encoding: .utf8)
        try expectError([main], ["SyntaxError: Non-UTF-8 code starting with '\\xff'"], traceback: true)
    }

    func testHugeExpressionIsRecursionErrorNotAStackOverflow() throws {
        let terms = Array(repeating: "1", count: 1_000_000).joined(separator: "+")
        let path = try tempProgram("long_sum.py", "x = " + terms + "\nprint(x)\n")
        try expectError([path], ["RecursionError: maximum recursion depth exceeded during compilation"])
        let fine = try tempProgram("sum_500.py", "print(" + Array(repeating: "1", count: 500).joined(separator: "+") + ")\n")
        XCTAssertEqual(try runMpsh([fine]).stdout, "500\n")
    }

    func testQuickCommandErrorsExitWithAMessage() throws {
        try expectError(["-c", "help garbage"], ["<string>:1: help: no topic 'garbage'; topics: spawn"])
        try expectError(["-c", "cores -1"], ["<string>:1: cores: a process count must be a positive integer, not -1"])
        let run = try expectError(["-c", "bench queue 10**30"], ["bench: a count must be an integer from 0 to 10**12"], limit: 60)
        XCTAssertFalse(run.stderr.contains("_mpsh"), run.stderr)
        // with a variable of that name, `cores -1` is Python
        let python = try runMpsh(["-c", "cores = 4\nprint(cores -1)\ncores -1"])
        XCTAssertEqual(python.status, 0, python.stderr)
        XCTAssertEqual(python.stdout, "3\n")
    }

    func testPoolMapOfAnImpossibleRangeIsMemoryError() throws {
        try skipUnlessPool()
        let run = try expectError(["-c", "pool map square range(10**12)"], ["MemoryError"], traceback: true)
        XCTAssertFalse(run.stderr.contains("<mpsh>"), "the quick commands' runtime is not in the traceback: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("pool map square range(10**12)"), "the program's own line is quoted: \(run.stderr)")
    }

    /// 2,000 rounds of an executor, a pool, a Manager left to its deinit and one shut down, a queue, a pipe and a
    /// shared-memory block, each created, used and closed: descriptors, /dev/shm entries and resident memory stay
    /// flat after the first 200 (each executor leaked 4 memfds and each unshut Manager ~1 MB before issue 20).
    func testTwoThousandRoundsOfEveryResourceLeaveNothingBehind() throws {
        try skipUnlessPool()
        let rounds = Int(ProcessInfo.processInfo.environment["MPSH_LEAK_ROUNDS"] ?? "") ?? 2000
        let path = try tempProgram("leak_rounds.py", Self.leakProgram)
        let run = try runChild([try mpshBinary(), path, "--", String(rounds)], environment: testEnvironment(), limit: 900)
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertEqual(run.output, "fds flat True\nrss flat True\nshm flat True\n", run.error)
    }

    static let leakProgram = """
    import os, sys
    import multiprocessing
    from multiprocessing import shared_memory
    from concurrent.futures import ProcessPoolExecutor

    def fds():
        return len(os.listdir('/proc/self/fd'))

    def rss_kb():
        for line in open('/proc/self/status'):
            if line.startswith('VmRSS'):
                return int(line.split()[1])

    def shm_entries():
        return len([n for n in os.listdir('/dev/shm') if n.startswith('psm_')])

    def one_round():
        with ProcessPoolExecutor(1) as ex:
            ex.submit(abs, -1).result()
        with multiprocessing.Pool(1) as p:
            p.map(abs, [1, 2])
        m = multiprocessing.Manager()
        d = m.dict()
        d[1] = 2
        with multiprocessing.Manager() as m2:
            m2.list([1, 2])
        q = multiprocessing.Queue()
        q.put(1)
        q.get()
        q.close()
        a, b = multiprocessing.Pipe()
        a.send(1)
        b.recv()
        a.close()
        b.close()
        s = shared_memory.SharedMemory(create=True, size=4096)
        s.buf[0] = 1
        s.close()
        s.unlink()

    n = int(sys.argv[1])
    warm = n // 10
    for i in range(warm):
        one_round()
    f0, r0, s0 = fds(), rss_kb(), shm_entries()
    for i in range(n - warm):
        one_round()
    f1, r1, s1 = fds(), rss_kb(), shm_entries()
    print("fds", f0, f1, "rss_kb", r0, r1, "shm", s0, s1, file=sys.stderr)
    print("fds flat", f1 == f0)
    print("rss flat", r1 - r0 < 16 * 1024)
    print("shm flat", s1 == s0)

    """
}

extension BadInputTests {
    /// Issue 20: Ctrl-C (SIGINT to mpsh) while the program waits on an executor's map stops its work, running calls
    /// included, and the KeyboardInterrupt ends the program — with and without `with` (the executor dropped at once
    /// used to wait for every task in its deinit, deaf to the signal). The tasks sleep 1,000 s: the program can only
    /// end within the limit if they were stopped.
    func testCtrlCStopsAnExecutorMap() throws {
        try skipUnlessPool()
        for body in ["print(list(ProcessPoolExecutor(2).map(time.sleep, [1000] * 4)))",
                     "with ProcessPoolExecutor(2) as ex:\n    print(list(ex.map(time.sleep, [1000] * 4)))",
                     "with ProcessPoolExecutor(2) as ex:\n    print(ex.submit(time.sleep, 1000).result())"] {
            let path = try tempProgram("ctrl_c_map.py", "import time\nfrom concurrent.futures import ProcessPoolExecutor\nprint('start', flush=True)\n" + body + "\n")
            let child = try ChildProgram([try mpshBinary(), path], environment: testEnvironment(), processGroup: true)
            let deadline = ContinuousClock.now + .seconds(30)
            while !child.outputSoFar.contains("start") && ContinuousClock.now < deadline { _ = poll(nil, 0, 20) }
            _ = poll(nil, 0, 300)  // let the map submit and the workers start their calls
            kill(child.pid, SIGINT)
            let run = try child.wait(limit: 60)
            XCTAssertEqual(run.status, 130, "\(body): \(run.error)")
            XCTAssertTrue(run.error.hasSuffix("KeyboardInterrupt\n"), "\(body): \(run.error)")
        }
    }
}
