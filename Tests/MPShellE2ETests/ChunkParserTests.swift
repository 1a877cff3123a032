// The shell's pure parts, without a process: what a chunk of typed lines is, and what a quick command becomes.
import PyLang
import XCTest

final class ChunkParserTests: XCTestCase {
    private func classify(_ lines: String...) -> ChunkStatus { ChunkParser.classify(lines) }

    func testCompleteStatementsAndExpressions() {
        XCTAssertEqual(classify("x = 1"), .python("x = 1"))
        XCTAssertEqual(classify("print(x)"), .python("print(x)"))
        XCTAssertEqual(classify(""), .empty)
        XCTAssertEqual(classify("   # a comment"), .empty)
    }

    func testBlocksWaitForAnEmptyLine() {
        XCTAssertEqual(classify("def f():"), .incomplete)
        XCTAssertEqual(classify("def f():", "    return 1"), .incomplete)
        XCTAssertEqual(classify("def f():", "    return 1", ""), .python("def f():\n    return 1\n"))
        XCTAssertEqual(classify("for i in range(3): print(i)"), .incomplete)
        XCTAssertEqual(classify("if x:", "    pass", "else:"), .incomplete)
        XCTAssertEqual(classify("@decorator"), .incomplete)
    }

    func testOpenBracketsStringsAndBackslashesContinue() {
        XCTAssertEqual(classify("x = [1,"), .incomplete)
        XCTAssertEqual(classify("x = [1,", "2]"), .python("x = [1,\n2]"))
        XCTAssertEqual(classify("s = '''a"), .incomplete)
        XCTAssertEqual(classify("x = 1 + \\"), .incomplete)
    }

    func testErrorsArePositioned() {
        guard case .error(let m) = classify("x = 1 +") else { return XCTFail("an error") }
        XCTAssertTrue(m.contains("<stdin>:1:"), m)
        // an unfinished block ended by an empty line is an error, not more waiting
        guard case .error(let m2) = classify("def f():", "") else { return XCTFail("an error") }
        XCTAssertTrue(m2.contains("IndentationError") || m2.contains("SyntaxError"), m2)
    }

    func testQuickCommandsAreRecognisedOnlyWhenNotPython() {
        XCTAssertEqual(classify("spawn 4 worker \"hi\""), .command("_mpsh.spawn(4, _mpsh.fn('worker', globals()), (\"hi\",))"))
        XCTAssertEqual(classify("spawn = 4"), .python("spawn = 4"))
        XCTAssertEqual(classify("time.sleep(0)"), .python("time.sleep(0)"))
        XCTAssertEqual(classify("ps"), .command("_mpsh.bare('ps', globals())"))
        XCTAssertEqual(classify("help pool"), .command("_mpsh.help('pool')"))
    }
}

final class QuickCommandTests: XCTestCase {
    private func tr(_ line: String) -> CommandTranslation {
        QuickCommands.translate(line) { Interpreter.check($0) == nil }
    }

    func testPoolAndRanges() {
        XCTAssertEqual(tr("pool map square 0..9"),
                       .python("_mpsh.pool(None, 'map', _mpsh.fn('square', globals()), range(0, (9) + 1))"))
        XCTAssertEqual(tr("pool 4 imap_unordered fib 20..<25"),
                       .python("_mpsh.pool(4, 'imap_unordered', _mpsh.fn('fib', globals()), range(20, 25))"))
        XCTAssertEqual(tr("pool 2 map square [1, 2, 3]"),
                       .python("_mpsh.pool(2, 'map', _mpsh.fn('square', globals()), [1, 2, 3])"))
        // the bounds are Python expressions (`help ranges`)
        XCTAssertEqual(tr("pool map square 0..10**7"),
                       .python("_mpsh.pool(None, 'map', _mpsh.fn('square', globals()), range(0, (10**7) + 1))"))
        XCTAssertEqual(tr("pool map square 1..n"),
                       .python("_mpsh.pool(None, 'map', _mpsh.fn('square', globals()), range(1, (n) + 1))"))
        XCTAssertEqual(tr("pool map square n..<2*n"),
                       .python("_mpsh.pool(None, 'map', _mpsh.fn('square', globals()), range(n, 2*n))"))
    }

    func testOtherCommands() {
        XCTAssertEqual(tr("kill Process-2"), .python("_mpsh.stop('Process-2', 'kill')"))
        XCTAssertEqual(tr("terminate all"), .python("_mpsh.stop('all', 'terminate')"))
        XCTAssertEqual(tr("bench pipe 10**4 10**5"), .python("_mpsh.bench('pipe', [10**4, 10**5])"))
        XCTAssertEqual(tr("cores 1 2 4"), .python("_mpsh.cores([1, 2, 4])"))
        XCTAssertEqual(tr("cores 1..3"), .python("_mpsh.cores([*range(1, (3) + 1)])"))
        XCTAssertEqual(tr("time sum(range(10))"), .python("_mpsh.timed(lambda: (sum(range(10))))"))
        XCTAssertEqual(tr("time pool map square 0..2"),
                       .python("_mpsh.timed(lambda: _mpsh.pool(None, 'map', _mpsh.fn('square', globals()), range(0, (2) + 1)))"))
        XCTAssertEqual(tr("time x = 1"), .python("__mpsh_t0 = _mpsh.clock(); x = 1; _mpsh.elapsed(__mpsh_t0)"))
        XCTAssertEqual(tr("print(1)"), .notACommand)
    }

    func testBadInputSaysWhatAndHow() {
        func message(_ line: String) -> String {
            if case .error(let m) = tr(line) { return m }
            XCTFail("\(line) should be an error")
            return ""
        }
        XCTAssertEqual(message("pool map square"),
                       "pool: expected a method, a function and a range\nusage: pool [N] map|imap_unordered FUNCTION RANGE")
        XCTAssertTrue(message("pool map square 9..x..").contains("is not a range"))
        XCTAssertTrue(message("pool map square ..9").contains("is not a range"))
        XCTAssertTrue(message("pool apply square 1..2").contains("unknown method 'apply'"))
        XCTAssertTrue(message("spawn 4").contains("expected a process count and a function name"))
        XCTAssertTrue(message("spawn 4 worker \"hi").contains("never closed"))
        XCTAssertTrue(message("bench disk").contains("expected pipe or queue"))
        XCTAssertTrue(message("kill 1 2").contains("expected one target"))
        XCTAssertTrue(message("join now").contains("takes no arguments"))
    }

    func testHelpUsageAndCompletionComeFromTheOneTable() {
        XCTAssertEqual(QuickCommands.names, QuickCommands.table.map(\.name))
        for cmd in QuickCommands.table {
            let help = ShellHelp.text(cmd.name)
            XCTAssertTrue(help.hasPrefix(cmd.usage + "\n"), help)
            XCTAssertTrue(help.contains("example:"), "\(cmd.name)'s help has an example")
            XCTAssertTrue(ShellHelp.text("").contains(cmd.summary), "\(cmd.name) is listed")
        }
        // a malformed use ends with the table's usage line
        for (line, name) in [("pool map", "pool"), ("bench disk", "bench"), ("join now", "join"), ("help a b", "help")] {
            guard case .error(let m) = tr(line) else { XCTFail(line); continue }
            XCTAssertTrue(m.hasSuffix("\nusage: " + QuickCommands.table.first { $0.name == name }!.usage), m)
        }
    }

    func testProgramsKeepTheirLines() throws {
        let src = "x = 1\nspawn 2 worker x\ndef f():\n    ps = 3\n    return ps\ns = '''\nps\n'''\nps\n"
        let out = try QuickCommands.preprocess(src, file: "p.mp") { Interpreter.check($0) == nil }.get()
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, src.split(separator: "\n", omittingEmptySubsequences: false).count)
        XCTAssertEqual(lines[1], "_mpsh.spawn(2, _mpsh.fn('worker', globals()), (x,))")
        XCTAssertEqual(lines[3], "    ps = 3", "indented lines are Python")
        XCTAssertEqual(lines[6], "ps", "inside a string")
        XCTAssertEqual(lines[8], "_mpsh.bare('ps', globals())")
        let unchanged = "import os\nprint(os.getpid())\n"
        XCTAssertEqual(try QuickCommands.preprocess(unchanged, file: "q.py") { Interpreter.check($0) == nil }.get(), unchanged)
    }
}
