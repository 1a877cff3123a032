// mpsh in batch: files, several files, -c, stdin, -i, --help, --version, unreadable files, quick commands.
import Foundation
import TestSupport
import XCTest

final class BatchTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    func testRunsAFileWithArguments() throws {
        let path = try tempProgram("args.mp", "import sys\nprint(sys.argv[1:], __name__)\n")
        let run = try runMpsh([path, "--", "a", "b c"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "['a', 'b c'] __main__\n")
        XCTAssertEqual(try runMpsh([path]).stdout, "[] __main__\n")
    }

    func testSeveralFilesRunInOrderInFreshInterpreters() throws {
        let a = try tempProgram("a.mp", "x = 1\nprint('a', 'x' in globals())\n")
        let b = try tempProgram("b.mp", "print('b', 'x' in globals())\nraise ValueError('b fails')\n")
        let c = try tempProgram("c.mp", "print('c')\n")
        let run = try runMpsh([a, b, c])
        XCTAssertEqual(run.stdout, "a True\nb False\nc\n")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("ValueError: b fails"), run.stderr)
        XCTAssertTrue(run.stderr.contains("mpsh: 1 of 3 programs failed: \(b) (exit 1)"), run.stderr)
        XCTAssertFalse(run.stderr.contains(a), "only the failing program is named: \(run.stderr)")
    }

    /// `-u` (before or after the file) writes standard output through, as `python3 -u`: a line printed before an
    /// `os.write` to the same pipe comes first; without it the pipe's output is block-buffered, as CPython's.
    func testDashUWritesStandardOutputThrough() throws {
        let path = try tempProgram("unbuffered.py", "import os\nprint('a')\nos.write(1, b'X\\n')\nprint('c')\n")
        let env = testEnvironment().filter { !$0.hasPrefix("PYTHONUNBUFFERED=") }
        let mpsh = try mpshBinary()
        for (flags, expected) in [([path], "X\na\nc\n"), (["-u", path], "a\nX\nc\n"), ([path, "-u"], "a\nX\nc\n")] {
            let run = try runChild([mpsh] + flags, environment: env, limit: 60)
            XCTAssertEqual(run.status, 0, run.error)
            XCTAssertEqual(run.output, expected, "mpsh \(flags.joined(separator: " "))")
        }
    }

    func testDashC() throws {
        let run = try runMpsh(["-c", "import sys\nprint(sys.argv)\nprint(6 * 7)", "--", "x"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "['-c', 'x']\n42\n")
    }

    func testProgramFromStdin() throws {
        let run = try runMpsh([], stdin: "for i in range(3):\n    print(i)\nprint(__name__)\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "0\n1\n2\n__main__\n")
    }

    func testUncaughtErrorAndSystemExit() throws {
        let run = try runMpsh(["-c", "def f():\n    1 / 0\nf()"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("ZeroDivisionError: division by zero"), run.stderr)
        XCTAssertTrue(run.stderr.contains("Traceback (most recent call last):"), run.stderr)
        XCTAssertEqual(try runMpsh(["-c", "import sys; sys.exit(3)"]).status, 3)
    }

    /// What CPython writes to `sys.stderr` at a program's end goes to whatever the program put there, compared
    /// with python3 (stdout, stderr with addresses masked, exit status): an uncaught traceback into a StringIO that
    /// an atexit function shows, SystemExit's message, nothing for None, "lost sys.stderr" when the object cannot
    /// write; a replaced stream without flush() makes the status 120, and stdout's is reported.
    func testWhatTheProgramEndWritesGoesToAReassignedStderr() throws {
        let programs = [
            "stringio": "import atexit, io, sys\nbuf = io.StringIO()\n"
                + "atexit.register(lambda: print('kept:', buf.getvalue().splitlines()))\n"
                + "sys.stderr = buf\nprint('x', file=sys.stderr)\ndef f():\n    raise ValueError('into the buffer')\nf()\n",
            "exit": "import atexit, io, sys\nbuf = io.StringIO()\natexit.register(lambda: print(repr(buf.getvalue())))\n"
                + "sys.stderr = buf\nsys.exit('the message')\n",
            "none": "import sys\nsys.stderr = None\nprint('out')\nraise RuntimeError('nowhere')\n",
            "nowrite": "import sys\nclass W:\n    pass\nsys.stderr = W()\nprint('out')\n{}['k']\n",
            "noflush": "import sys\nclass W:\n    def write(self, s):\n        sys.__stdout__.write(s.upper())\n"
                + "        return len(s)\nsys.stdout = W()\nprint('hello')\n",
        ]
        let mask = { (s: String) in s.replacingOccurrences(of: "0x[0-9a-f]+", with: "0x?", options: .regularExpression) }
        let lastLine = { (s: String) in s.split(separator: "\n").last.map(String.init) ?? "" }
        for (name, text) in programs.sorted(by: { $0.key < $1.key }) {
            let path = try tempProgram("stderr_\(name).py", text)
            let py = try runChild(["python3", path], environment: pythonEnvironment(), limit: 60)
            let mp = try runMpsh([path])
            XCTAssertEqual(mp.status, py.status, "\(name): \(mp.stderr)")
            XCTAssertEqual(mp.stdout, py.output, name)
            // CPython dumps the exception object (addresses, reference count) before "lost sys.stderr"
            let pyErr = name == "nowrite" ? lastLine(py.error) : mask(py.error)
            XCTAssertEqual(name == "nowrite" ? lastLine(mp.stderr) : mask(mp.stderr), pyErr, name)
        }
    }

    func testSyntaxErrorIsPositioned() throws {
        let path = try tempProgram("bad.mp", "x = 1\ny = (2 +\n")
        let run = try runMpsh([path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("\(path):2:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("SyntaxError"), run.stderr)
    }

    func testUnreadableFile() throws {
        let missing = try runMpsh(["/nonexistent/prog.mp"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "mpsh: can't open file '/nonexistent/prog.mp': [Errno 2] No such file or directory\n")
        let dir = try runMpsh([NSTemporaryDirectory()])
        XCTAssertEqual(dir.status, 2)
        XCTAssertTrue(dir.stderr.contains("is a directory"), dir.stderr)
        // in a list of programs the others still run, and the unreadable one is named
        let ok = try tempProgram("ok.mp", "print('ok')\n")
        let both = try runMpsh(["/nonexistent/prog.mp", ok])
        XCTAssertEqual(both.stdout, "ok\n")
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("failed: /nonexistent/prog.mp (exit 2)"), both.stderr)
    }

    func testHelpAndVersion() throws {
        let help = try runMpsh(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: mpsh"), help.stdout)
        XCTAssertTrue(help.stdout.contains("-c <code>"), help.stdout)
        XCTAssertTrue(help.stdout.contains("-i"), help.stdout)
        let version = try runMpsh(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("mpsh "), version.stdout)
    }

    func testUnknownOptionIsExplained() throws {
        let path = try tempProgram("opt.mp", "print(1)\n")
        let run = try runMpsh([path, "--verbose"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("Unknown option '--verbose'"), run.stderr)
    }

    func testInteractiveAfterFileWithPipedInput() throws {
        // -i runs the file, then reads shell lines (here from a pipe: no prompt editing) in the same namespace
        let path = try tempProgram("i.mp", "x = 20\n")
        let run = try runMpsh(["-i", path], stdin: "x + 22\nfor i in range(2):\n    print(i)\n\nprint('end')\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "42\n0\n1\nend\n")
    }

    func testQuickCommandsInBatchFiles() throws {
        let path = try tempProgram("cmds.mp", """
            help ranges
            def helper():
                return 1
            x = [1,
            2]
            print(x)
            time y = helper()
            print(y)

            """)
        let run = try runMpsh([path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("Ranges in commands"), run.stdout)
        XCTAssertTrue(run.stdout.contains("[1, 2]\nWall time: "), run.stdout)
        XCTAssertTrue(run.stdout.hasSuffix(" s\n1\n"), run.stdout)
    }

    func testMalformedQuickCommandInBatchNamesTheLine() throws {
        let path = try tempProgram("badcmd.mp", "print('never')\npool map square\n")
        let run = try runMpsh([path])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.contains("\(path):2: pool: expected a method, a function and a range"), run.stderr)
        XCTAssertTrue(run.stderr.contains("usage: pool [N] map|imap_unordered FUNCTION RANGE"), run.stderr)
    }

    func testUnknownFunctionInCommand() throws {
        let run = try runMpsh(["-c", "spawn 2 nosuch"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("unknown function 'nosuch'"), run.stderr)
    }

    // MARK: commands that need the multiprocessing binding

    func testSpawnWorkerSaysHi() throws {
        try skipUnlessBinding()
        let run = try runMpsh(["-c", "spawn 4 worker \"hi\"\njoin"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let says = lines.filter { $0.hasSuffix(" says hi") }
        XCTAssertEqual(says.count, 4, run.stdout)
        for n in 1...4 { XCTAssertTrue(says.contains { $0.hasPrefix("<Process name='Process-\(n)'") }, run.stdout) }
        XCTAssertTrue(says.allSatisfy { $0.hasPrefix("<Process name='Process-") && $0.contains(" started> says hi") }, run.stdout)
    }

    func testUserDefinitionTakesPrecedence() throws {
        try skipUnlessPool()
        let run = try runMpsh([], stdin: "def square(x):\n    return -x\npool 2 map square 1..3\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "[-1, -2, -3]\n")
    }

    func testPoolMapAndRanges() throws {
        try skipUnlessPool()
        let run = try runMpsh(["-c", "pool map square 0..9\npool 2 map cube 1..<4\npool 2 imap_unordered square [3]"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n[1, 8, 27]\n9\n")
    }

    func testAWorkerThatRaisesIsReportedAndTheProgramGoesOn() throws {
        try skipUnlessBinding()
        let run = try runMpsh([], stdin: "def bad(x):\n    raise ValueError(x)\nspawn 1 bad 'no good'\njoin\nps\nprint('after')\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("ValueError: no good"), run.stderr)
        XCTAssertTrue(run.stdout.contains("joined 1 process\n"), run.stdout)
        XCTAssertTrue(run.stdout.hasSuffix("after\n"), run.stdout)
    }

    func testPsKillAndBench() throws {
        try skipUnlessBinding()
        let run = try runMpsh(["-c", "spawn 2 sleep 30\nps\nkill all\nps\nbench pipe 1000\nbench queue 1000"], limit: 30)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("NAME"), run.stdout)
        XCTAssertTrue(run.stdout.contains("running"), run.stdout)
        XCTAssertTrue(run.stdout.contains("kill sent to 2 processes"), run.stdout)
        XCTAssertTrue(run.stdout.contains("killed by SIGKILL"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Sending 1000 numbers to Pipe() took "), run.stdout)
        XCTAssertTrue(run.stdout.contains("Sending 1000 numbers to Queue() took "), run.stdout)
    }

    func testTourRuns() throws {
        try skipUnlessPool()
        let run = try runMpsh([repositoryRoot + "/scripts/tour.mp"], limit: 120)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"), run.stdout)
    }
}
