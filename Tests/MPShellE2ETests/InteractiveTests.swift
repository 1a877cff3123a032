// The shell through a pseudo-terminal: typing, Tab completion, history, blocks, errors, Ctrl-C, Ctrl-D.
import Foundation
import XCTest

final class InteractiveTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    private var historyFile: String { NSTemporaryDirectory() + "mpsh-e2e-history-\(getpid())" }

    override func setUp() {
        unlink(historyFile)
    }

    override func tearDown() {
        unlink(historyFile)
    }

    func testExpressionsStatementsAndBlocks() throws {
        let t = try TerminalSession()
        try t.expect("Type help")
        try t.prompt()
        t.type("6 * 7")
        XCTAssertTrue(try t.prompt().contains("42\r\n"))
        t.type("x = 'hi'")
        try t.prompt()
        t.type("x")
        XCTAssertTrue(try t.prompt().contains("'hi'\r\n"))
        t.type("y = None")
        try t.prompt()
        t.type("y")
        XCTAssertFalse(try t.prompt().contains("None"), "None is not printed")
        // a block goes on with '... ' until an empty line
        t.type("def double(n):")
        try t.expect("... ")
        t.type("    return 2 * n")
        try t.expect("... ")
        t.type("")
        try t.prompt()
        t.type("double(21)")
        XCTAssertTrue(try t.prompt().contains("42\r\n"))
        // an open bracket continues too, and closes without an empty line
        t.type("[1,")
        try t.expect("... ")
        t.type(" 2]")
        XCTAssertTrue(try t.prompt().contains("[1, 2]\r\n"))
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testErrorsPrintAndTheShellCarriesOn() throws {
        let t = try TerminalSession()
        try t.prompt()
        t.type("1 / 0")
        let tb = try t.prompt()
        XCTAssertTrue(tb.contains("Traceback (most recent call last):"), tb)
        XCTAssertTrue(tb.contains("ZeroDivisionError: division by zero"), tb)
        t.type("x = (1 +")
        try t.expect("... ")
        t.type(")")
        XCTAssertTrue(try t.prompt().contains("<stdin>:"), "a positioned syntax error")
        t.type("frobnicate 3")
        t.type("pool map square")
        t.type("spawn 2 nosuch")
        let messages = try t.expect("unknown function 'nosuch'")
        XCTAssertTrue(messages.contains("name 'frobnicate' is not defined") || messages.contains("SyntaxError"), messages)
        XCTAssertTrue(messages.contains("pool: expected a method, a function and a range"), messages)
        try t.prompt()
        t.type("help pool")
        XCTAssertTrue(try t.prompt().contains("pool map square 0..9"))
        t.type("print('still here')")
        XCTAssertTrue(try t.prompt().contains("still here"))
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testTabCompletion() throws {
        let t = try TerminalSession()
        try t.prompt()
        t.type("import time")
        try t.prompt()
        // a name in scope, then an attribute after the dot
        t.send("tim\t")
        try t.expect("time")
        t.send(".slee\t")
        try t.expect(".sleep")
        t.send("(0) is None\r")
        XCTAssertTrue(try t.prompt().contains("True"))
        // keywords and quick commands
        t.send("whi\t")
        try t.expect("while")
        t.send("\u{03}")
        try t.prompt()
        t.send("spaw\t")
        try t.expect("spawn")
        t.send("\u{03}")
        try t.prompt()
        t.send("help poo\t")
        try t.expect("pool")
        t.send("\r")
        XCTAssertTrue(try t.prompt().contains("imap_unordered"))
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testHistoryRecallAndPersistence() throws {
        do {
            let t = try TerminalSession()
            try t.prompt()
            t.type("40 + 2")
            XCTAssertTrue(try t.prompt().contains("42"))
            t.type("'second'")
            try t.prompt()
            // Up twice recalls the first line. (Where the locale is not UTF-8, readline draws the prompt again as
            // it recalls: wait for the line's result, not for a prompt.)
            t.send("\u{1b}[A\u{1b}[A\r")
            try t.expect("42\r\n")
            try t.prompt()
            t.send("\u{04}")
            XCTAssertEqual(try t.waitForExit(), 0)
        }
        let saved = try String(contentsOfFile: historyFile, encoding: .utf8)
        XCTAssertTrue(saved.contains("40 + 2\n'second'\n"), saved)
        // a new shell starts with the saved history
        let t = try TerminalSession()
        try t.prompt()
        t.send("\u{1b}[A\r")
        try t.expect("40 + 2")
        try t.expect("42\r\n")
        try t.prompt()
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testCtrlCInterruptsARunningStatementAndKeepsTheShell() throws {
        let t = try TerminalSession()
        try t.prompt()
        t.type("def loop():")
        t.type("    print('loop' + 'ing', flush=True)")
        t.type("    while True: pass")
        t.type("")
        try t.prompt()
        t.type("loop()")
        try t.expect("looping\r\n")
        t.send("\u{03}")
        let out = try t.expect(">>> ", within: 10.0)
        XCTAssertTrue(out.contains("KeyboardInterrupt"), out)
        XCTAssertEqual(out.components(separatedBy: "KeyboardInterrupt").count, 2, "one line: \(out)")
        XCTAssertFalse(out.contains("Traceback"), out)
        // time.sleep is interrupted too
        t.type("import time")
        try t.prompt()
        t.type("print('sleep' + 'ing', flush=True); time.sleep(60)")
        try t.expect("sleeping\r\n")
        t.send("\u{03}")
        XCTAssertTrue(try t.expect(">>> ", within: 10.0).contains("KeyboardInterrupt"))
        // Ctrl-C at the prompt drops the line typed so far
        t.send("print('lost')")
        t.send("\u{03}")
        try t.prompt()
        t.type("print('kept')")
        let after = try t.prompt()
        XCTAssertTrue(after.contains("kept"), after)
        XCTAssertEqual(processes(inSession: t.pid), [t.pid], "no child processes left")
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testDashIRunsTheFileThenPrompts() throws {
        let path = try tempProgram("setup.mp", "answer = 42\nprint('set up')\n")
        let t = try TerminalSession(["-i", path])
        XCTAssertTrue(try t.prompt().contains("set up"))
        t.type("answer")
        XCTAssertTrue(try t.prompt().contains("42"))
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testSystemExitLeavesWithItsCode() throws {
        let t = try TerminalSession()
        try t.prompt()
        t.type("import sys; sys.exit(5)")
        XCTAssertEqual(try t.waitForExit(), 5)
    }

    /// The lines the shell printed after the typed line's echo, without the terminal's control sequences.
    private func printed(_ out: String) -> [String] {
        let plain = out.replacingOccurrences(of: "\u{1b}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
        return Array(plain.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .dropFirst().filter { !$0.isEmpty })
    }

    func testEveryExpressionOfALineIsPrintedAndKeptAsUnderscore() throws {
        // as CPython's interactive mode ("single"): each top-level expression statement is shown
        let t = try TerminalSession()
        try t.prompt()
        t.type("1; 2")
        XCTAssertEqual(printed(try t.prompt()), ["1", "2"])
        t.type("x = 3; x * 2; None; 'a' * 2")
        XCTAssertEqual(printed(try t.prompt()), ["6", "'aa'"])
        t.type("_")
        XCTAssertEqual(printed(try t.prompt()), ["'aa'"])
        // an error part-way: what ran before it was printed, what follows did not run
        t.type("7; 1 / 0; 8")
        let out = try t.prompt()
        XCTAssertEqual(printed(out).first, "7", out)
        XCTAssertTrue(out.contains("ZeroDivisionError"), out)
        XCTAssertFalse(printed(out).contains("8"), out)
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    // MARK: needs the multiprocessing binding

    func testQueuePutThenGetOnOneLinePrintsTheItem() throws {
        try skipUnlessBinding()
        let t = try TerminalSession()
        try t.prompt()
        t.type("import multiprocessing; q = multiprocessing.Queue()")
        try t.prompt()
        t.type("q.put(5); q.get()")
        XCTAssertEqual(printed(try t.prompt()), ["5"])
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testImportCompletionOffersTheModulesNames() throws {
        try skipUnlessBinding()
        let t = try TerminalSession()
        try t.prompt()
        // (readline completes the common prefix of Process and ProcessError, ringing the bell; Enter imports it)
        t.send("from multiprocessing import Pro\t")
        try t.expect("cess")
        t.send("\r")
        try t.prompt()
        t.type("Process.__name__")
        XCTAssertEqual(printed(try t.prompt()), ["'Process'"])
        // a later name in the list, and the module name after import
        t.send("from multiprocessing import Queue, current_pr\t")
        try t.expect("ocess")
        t.send("\r")
        try t.prompt()
        t.type("current_process().name")
        XCTAssertEqual(printed(try t.prompt()), ["'MainProcess'"])
        t.send("import multipro\t")
        try t.expect("cessing")
        t.send("\r")
        try t.prompt()
        t.type("multiprocessing.cpu_count() > 0")
        XCTAssertEqual(printed(try t.prompt()), ["True"])
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testAQuickCommandsResultIsUnderscoreAndItsRangeTakesPython() throws {
        try skipUnlessPool()
        let t = try TerminalSession()
        try t.prompt()
        // the range's bounds are Python expressions (`help ranges`)
        t.type("n = 3")
        try t.prompt()
        t.type("pool 2 map square 0..n**2-1")
        XCTAssertTrue(try t.prompt().contains("[0, 1, 4, 9, 16, 25, 36, 49, 64]\r\n"))
        t.type("len(_), sum(_)")
        XCTAssertEqual(printed(try t.prompt()), ["(9, 204)"])
        t.type("pool 2 imap_unordered cube 1..<3")
        try t.prompt()
        t.type("sorted(_)")
        XCTAssertEqual(printed(try t.prompt()), ["[1, 8]"])
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testCtrlDSaysWhatItWaitsForAndCtrlCStopsIt() throws {
        try skipUnlessBinding()
        let t = try TerminalSession()
        try t.prompt()
        t.type("spawn 1 sleep 60")
        try t.prompt()
        t.type("len(_), _[0].is_alive()")
        XCTAssertTrue(try t.prompt().contains("(1, True)"))
        t.send("\u{04}")
        try t.expect("waiting for 1 child process to finish: Process-1 (pid ")
        try t.expect("Ctrl-C stops it")
        t.send("\u{03}")
        XCTAssertEqual(try t.waitForExit(), 0)
        XCTAssertEqual(processes(inSession: t.pid), [], "the child was stopped, not orphaned")
    }

    func testCtrlDWithNoLiveChildrenSaysNothing() throws {
        try skipUnlessBinding()
        let t = try TerminalSession()
        try t.prompt()
        t.type("spawn 1 worker 'done'")
        try t.prompt()
        t.type("join")
        try t.prompt()
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
        XCTAssertFalse(t.transcript.contains("waiting for"), t.transcript)
    }

    func testSpawnPsJoinAndCtrlDJoinsChildren() throws {
        try skipUnlessBinding()
        let t = try TerminalSession()
        try t.prompt()
        t.type("spawn 2 worker \"hi\"")
        let out = try t.prompt()
        XCTAssertEqual(out.components(separatedBy: " says hi").count, 3, out)
        t.type("join")
        XCTAssertTrue(try t.prompt().contains("joined"))
        t.type("spawn 1 sleep 0.5")
        try t.prompt()
        t.type("ps")
        // (the prompt may be drawn again when the child ends, so look for the listing, not the next prompt)
        try t.expect("Process-3")
        try t.prompt()
        // Ctrl-D joins the sleeping child before leaving
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
        XCTAssertEqual(processes(inSession: t.pid), [], "no orphaned process after exit")
    }

    func testCtrlCDuringJoinLeavesNoOrphans() throws {
        try skipUnlessBinding()
        let t = try TerminalSession()
        try t.prompt()
        t.type("spawn 2 sleep 30")
        try t.prompt()
        t.type("join")
        try t.expect("join\r\n")
        // Ctrl-C reaches the whole foreground group: the children stop too (as under CPython)
        t.send("\u{03}")
        XCTAssertTrue(try t.expect(">>> ", within: 10.0).contains("KeyboardInterrupt"))
        t.type("join")
        try t.expect("joined")
        try t.prompt()
        XCTAssertEqual(processes(inSession: t.pid), [t.pid], "no child processes left")
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }

    func testCtrlCDuringPoolMap() throws {
        try skipUnlessPool()
        let t = try TerminalSession()
        try t.prompt()
        t.type("pool 2 map sleep [30, 30, 30, 30]")
        try t.expect("[30, 30, 30, 30]\r\n")
        // the pool's workers exist once the map is running: wait for them without sleeping
        let deadline = Date().addingTimeInterval(20)
        while processes(inSession: t.pid).count < 3 && Date() < deadline { usleep(10_000) }
        t.send("\u{03}")
        let out = try t.expect(">>> ", within: 10.0)
        XCTAssertTrue(out.contains("KeyboardInterrupt"), out)
        let leftover = Date().addingTimeInterval(5)
        while processes(inSession: t.pid).count > 1 && Date() < leftover { usleep(10_000) }
        XCTAssertEqual(processes(inSession: t.pid), [t.pid], "the pool's workers are stopped")
        t.type("pool map square 0..9")
        XCTAssertTrue(try t.prompt().contains("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"))
        t.send("\u{04}")
        XCTAssertEqual(try t.waitForExit(), 0)
    }
}
