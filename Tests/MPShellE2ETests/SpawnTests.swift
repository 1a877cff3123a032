// The spawn and forkserver start methods of the built mpsh where they go beyond CPython or where CPython cannot be
// the reference (the corpus compares the rest with python3: Tests/MPShellTests/MPCorpus/spawn_*.py).
import Foundation
import TestSupport
import XCTest

final class SpawnTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    private func run(_ name: String, _ program: String, args: [String] = []) throws -> Run {
        try skipUnlessBinding()
        return try runMpsh([try tempProgram(name, program)] + args)
    }

    /// Beyond CPython: a lambda and a closure inside a spawned child's arguments are rebuilt exactly (the child
    /// compiled the same file), while a lambda or nested target is refused as CPython refuses it.
    func testLambdasInArgumentsTravelButNotAsTargets() throws {
        let r = try run("spawn_lambda_args.py", """
            import multiprocessing as mp
            def apply(q, f, g):
                q.put((f(3), g(4), __name__))
            def make(k):
                return lambda x: x * k
            if __name__ == '__main__':
                for method in ('spawn', 'forkserver'):
                    ctx = mp.get_context(method)
                    q = ctx.Queue()
                    p = ctx.Process(target=apply, args=(q, lambda x: x + 1, make(10)))
                    p.start()
                    print(method, q.get(timeout=30))
                    p.join()
                    try:
                        ctx.Process(target=make(2)).start()
                    except AttributeError as e:
                        print(e)

            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "spawn (4, 40, '__mp_main__')\nCan't pickle local object 'make.<locals>.<lambda>'\n"
                       + "forkserver (4, 40, '__mp_main__')\nCan't pickle local object 'make.<locals>.<lambda>'\n")
    }

    /// A spawned child gets the parent's sys.argv and sys.path (a module next to the program imports there); a
    /// program from -c (no main file) forks, so a lambda target runs.
    func testArgvPathAndProgramsWithoutAFile() throws {
        let dir = (try tempProgram("spawn_helper_mod.py", "VALUE = 'from the helper module'\n") as NSString)
            .deletingLastPathComponent
        let r = try run("spawn_argv.py", """
            import sys
            import multiprocessing as mp
            import spawn_helper_mod
            def show(q):
                q.put((sys.argv[1:], spawn_helper_mod.VALUE, sys.path[0]))
            if __name__ == '__main__':
                q = mp.get_context('spawn').Queue()
                p = mp.get_context('spawn').Process(target=show, args=(q,), name='x')
                p.start()
                print(q.get(timeout=30))
                p.join()

            """, args: ["--", "alpha", "beta"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "(['alpha', 'beta'], 'from the helper module', '\(dir)')\n")
        let c = try runMpsh(["-c", """
            import multiprocessing as mp
            q = mp.Queue()
            p = mp.get_context('spawn').Process(target=lambda: q.put('forked'))
            p.start(); print(q.get(timeout=30)); p.join()
            """])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(c.stdout, "forked\n")
    }
}
