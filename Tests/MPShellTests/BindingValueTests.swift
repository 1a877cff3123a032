// What the binding does beyond CPython, in-process: lambdas and closures as targets and as items on queues and
// pipes (CPython cannot pickle them), the start-method story, and the hook later layers use to add names.
import Foundation
import PyLang
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class BindingValueTests: BindingTestCase {
    func testLambdasAndClosuresTravelOnQueuesAndPipes() {
        let r = run("""
            import multiprocessing as mp
            def apply_all(q, r, c):
                f = q.get()
                r.put(f(4))
                g = c.recv()
                c.send(g(5))
            def adder(n):
                return lambda x: x + n
            q, r = mp.Queue(), mp.Queue()
            a, b = mp.Pipe()
            p = mp.Process(target=apply_all, args=(q, r, b))
            p.start()
            q.put(lambda x: x * x)
            print(r.get(timeout=10))
            a.send(adder(100))
            print(a.recv())
            p.join()
            print(p.exitcode)
            """)
        XCTAssertEqual(r.out, "16\n105\n0\n", r.err)
    }

    /// A program without a main file on disk (this in-process source, `-c`, standard input, the shell) cannot be
    /// run again by a spawned child: its spawn and forkserver children are forked, so a closure target still runs.
    /// (A program run from a file gets a real spawn: the multiprocessing corpus's spawn_*.py programs.)
    func testSpawnWithoutAMainFileForks() {
        let r = run("""
            import multiprocessing as mp
            mp.set_start_method('spawn')
            q = mp.Queue()
            secret = 'closure state'
            p = mp.Process(target=lambda: q.put(secret))
            p.start()
            print(mp.get_start_method(), q.get(timeout=10))
            p.join()
            ctx = mp.get_context('forkserver')
            print(ctx.get_start_method(), type(ctx).__name__)
            try:
                mp.set_start_method('threads', force=True)
            except ValueError as e:
                print('ValueError', e)
            """)
        XCTAssertEqual(r.out, "spawn closure state\nforkserver ForkServerContext\nValueError cannot find context for 'threads'\n", r.err)
    }

    func testPoolAndManagerAreThere() {
        let r = run("""
            import multiprocessing as mp
            with mp.Pool(2) as p, mp.Manager() as m:
                print(p.map(abs, [-1, -2]), type(m.dict()).__name__)
            """)
        XCTAssertEqual(r.out, "[1, 2] DictProxy\n", r.err)
    }

    /// The hook, registered from another thread than the program's (as an embedder does before running it):
    /// its names appear in the module and in contexts, and processes still start from the program's thread.
    func testExtensionHookAddsNames() {
        let interp = Interpreter()
        interp.extendMultiprocessing { _, module in
            module.fn("answer") { _, _, _ in .int(42) }
        }
        let r = withLargeStack(64 << 20) { () -> (String, String) in
            interp.captureOutput()
            _ = interp.runMain(source: """
                import multiprocessing as mp
                print(mp.answer(), mp.get_context('fork').answer())
                p = mp.Process(target=len, args=((),))
                p.start()
                p.join()
                print(p.exitcode)
                """, file: "hook.py")
            let c = interp.capturedOutput
            return (c.stdout, c.stderr)
        }
        XCTAssertEqual(r.0, "42 42\n0\n", r.1)
    }

    /// A subclass is named after its class (`Worker-1`, as CPython's `type(self).__name__`), and its run()
    /// raising gives exit code 1. (The traceback text is checked end to end by the corpus.)
    func testSubclassNameAndFailingRun() {
        let r = run("""
            import multiprocessing as mp
            class Worker(mp.Process):
                def run(self):
                    raise ValueError('broken ' + self.name)
            w = Worker()
            w.start()
            w.join()
            print(w.name, w.exitcode)
            """)
        // The counter is the OS process's (one interpreter per process in mpsh): in this test process it has
        // counted the other tests' children too.
        XCTAssertNotNil(r.out.range(of: #"^Worker-\d+ 1\n$"#, options: .regularExpression), r.out + r.err)
    }
}
