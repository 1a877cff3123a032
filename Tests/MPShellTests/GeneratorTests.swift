// Generators in both of their forms: resumable bodies (ResumableGenerator.swift: every yield a statement) and
// coroutines on the interpreter's thread (Generator.swift, CShim's cshim_coro: a yield inside an expression). Each
// test runs its program as written and with every yield statement made an expression (`[(yield x)]`), so both
// forms are held to it: stacks given back when generators finish or are dropped, deep recursion inside a
// generator a RecursionError, and the loop budget (the Ctrl-C poll) reaching into generator bodies.
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

    /// The program, then the same with each yield statement an expression statement (the coroutine form).
    static func bothForms(_ program: String) -> [String] {
        let stackful = program.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.drop(while: { $0 == " " })
            guard body.hasPrefix("yield") else { return String(line) }
            return String(line.prefix(line.count - body.count)) + "[(" + body + ")]"
        }.joined(separator: "\n")
        precondition(stackful != program, "the program has no yield statement")
        return [program, stackful]
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
        _ = run("def g():\n    [(yield 1)]\nnext(g())\n")   // the free list's first stack
        for form in Self.bothForms(program) {
            let mappings = Self.mappingCount()
            let resident = Self.residentBytes()
            let r = run(form)
            XCTAssertEqual(r.out, "105000\n", r.err)
            let grown = Self.mappingCount() - mappings
            // a resumable body has no stack of its own: 5,000 suspended at once map nothing
            XCTAssertLessThanOrEqual(grown, form == program ? 8 : 70, "mappings: \(mappings) before, \(mappings + grown) after")
            let residentGrowth = Self.residentBytes() - resident
            XCTAssertLessThan(residentGrowth, 64 << 20, "resident memory grew by \(residentGrowth >> 20) MiB")
        }
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
        for form in Self.bothForms(program) {
            let r = run(form)
            XCTAssertEqual(r.out, "RecursionError maximum recursion depth exceeded\nRecursionError again\nRecursionError from generators True\n", r.err)
        }
    }

    /// The loop budget, polled with Ctrl-C, ends a loop that runs inside a generator's body.
    func testTheLoopBudgetEndsAGeneratorBody() {
        for form in Self.bothForms("def forever():\n    while True:\n        yield 1\nfor x in forever():\n    pass\n") {
            let r = run(form, budget: 10_000)
            XCTAssertTrue(r.err.hasSuffix("RuntimeError: loop budget exhausted\n"), r.err)
        }
    }
}
