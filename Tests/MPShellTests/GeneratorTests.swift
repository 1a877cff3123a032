// Generators as coroutines on the interpreter's thread (Generator.swift, CShim's cshim_coro): their stacks are
// given back when generators finish or are dropped, deep recursion on a generator's stack is a RecursionError,
// and the loop budget (the Ctrl-C poll) reaches into generator bodies.
import Foundation
import PyLang
import TestSupport
import XCTest

final class GeneratorTests: XCTestCase {
    func run(_ source: String, budget: Int? = nil) -> (out: String, err: String) {
        withLargeStack { () -> (String, String) in
            let i = Interpreter()
            i.captureOutput()
            if let budget { i.setLoopBudget(budget) }
            defer { i.setLoopBudget(nil) }
            _ = i.runMain(source: source, file: "gen.py")
            return (i.capturedOutput.stdout, i.capturedOutput.stderr)
        }
    }

    static func mappingCount() -> Int {
        let maps = readProcFile("/proc/self/maps")
        return maps.split(separator: "\n").count
    }

    static func residentBytes() -> Int {
        let statm = readProcFile("/proc/self/statm")
        let fields = statm.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    /// 100,000 generators started and dropped unfinished (each closed, its finally run), 100,000 never started,
    /// and 5,000 alive at once then dropped: the stacks go back to the free list (32 kept), so the process ends
    /// with about as many mappings and as much memory as it started with.
    func testDroppedGeneratorsGiveTheirStacksBack() {
        let program = """
        def g(log):
            try:
                for i in range(10):
                    yield i
            finally:
                log.append(1)
        log = []
        for i in range(100000):
            h = g(log)
            next(h)
            h = None
        for i in range(100000):
            h = g(log)
        alive = [g(log) for i in range(5000)]
        for a in alive:
            next(a)
            next(a)
        alive = a = None
        print(len(log))
        """
        _ = run("def g():\n    yield 1\nnext(g())\n")   // the free list's first stack
        let mappings = Self.mappingCount()
        let resident = Self.residentBytes()
        let r = run(program)
        XCTAssertEqual(r.out, "105000\n", r.err)
        let grown = Self.mappingCount() - mappings
        XCTAssertLessThanOrEqual(grown, 70, "mappings: \(mappings) before, \(mappings + grown) after")
        let residentGrowth = Self.residentBytes() - resident
        XCTAssertLessThan(residentGrowth, 64 << 20, "resident memory grew by \(residentGrowth >> 20) MiB")
    }

    /// Recursion inside a generator's body stops with RecursionError, at the recursion limit or before the
    /// generator's stack runs out, never with a crash on its guard page.
    func testDeepRecursionInAGeneratorIsARecursionError() {
        let program = """
        import sys
        sys.setrecursionlimit(20000)
        def down(n):
            return down(n + 1) + 1
        def g():
            yield 1
            yield down(0)
        it = g()
        next(it)
        try:
            next(it)
        except RecursionError as e:
            print("RecursionError", e)
        def nested(depth):
            if depth:
                yield from nested(depth - 1)
            else:
                yield down(0)
        try:
            list(nested(50))
        except RecursionError as e:
            print("RecursionError again")
        sys.setrecursionlimit(1000)
        def rec_gen(n):
            yield n
            yield from rec_gen(n + 1)
        try:
            for x in rec_gen(0):
                pass
        except RecursionError as e:
            print("RecursionError from generators", x > 500)
        """
        let r = run(program)
        XCTAssertEqual(r.out, "RecursionError maximum recursion depth exceeded\nRecursionError again\nRecursionError from generators True\n", r.err)
    }

    /// The loop budget, polled with Ctrl-C, ends a loop that runs inside a generator's body.
    func testTheLoopBudgetEndsAGeneratorBody() {
        let r = run("def forever():\n    while True:\n        yield 1\nfor x in forever():\n    pass\n", budget: 10_000)
        XCTAssertTrue(r.err.hasSuffix("RuntimeError: loop budget exhausted\n"), r.err)
    }
}
