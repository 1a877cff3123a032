// The Pool, Manager and concurrent.futures binding's error paths and guarantees, run in-process: each program
// prints what it caught; every test checks afterwards that no child process and no /dev/shm entry was left.
import Foundation
import PyLang
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class BindingPoolTests: BindingTestCase {
    func testWorkerExceptionIsRaisedAgainWithItsClassAndArguments() {
        check("""
            import multiprocessing as mp
            class Custom(Exception):
                pass
            def f(x):
                if x == 2: raise Custom('two', x)
                if x == 3: raise ValueError('bad value %d' % x)
                if x == 4: raise Exception(mp.Lock())   # an argument that cannot travel
                return x
            with mp.Pool(2) as p:
                for x in (2, 3, 4):
                    try:
                        p.apply(f, (x,))
                    except Exception as e:
                        print(type(e).__name__, e.args if x != 4 else str(e).startswith('<Lock'))
                print(p.apply(f, (1,)))
            """, prints: "Custom ('two', 2)\nValueError ('bad value 3',)\nException True\n1\n")
    }

    func testSIGKILLedWorkerFailsOnlyItsTaskPromptlyAndThePoolCarriesOn() {
        check("""
            import multiprocessing as mp, os, signal
            def f(x):
                if x == 5:
                    os.kill(os.getpid(), signal.SIGKILL)
                return x * 2
            with mp.Pool(2) as p:
                try:
                    p.map(f, range(10), chunksize=1)
                except mp.ProcessError as e:
                    print('ProcessError', 'SIGKILL' in str(e), 'pid' in str(e))
                r = [p.apply_async(f, (i,)) for i in (4, 5, 6)]
                for x in r:
                    try:
                        print(x.get(timeout=10))
                    except mp.ProcessError:
                        print('killed')
                print(p.map(f, range(4)))
            """, prints: "ProcessError True True\n8\nkilled\n12\n[0, 2, 4, 6]\n", within: 20)
    }

    func testExecutorFutureOfAKilledWorkerIsBrokenProcessPool() {
        check("""
            import concurrent.futures as cf, os, signal
            from concurrent.futures.process import BrokenProcessPool
            def f(x):
                if x:
                    os.kill(os.getpid(), signal.SIGKILL)
                return 'ok'
            with cf.ProcessPoolExecutor(2) as ex:
                bad = ex.submit(f, True)
                try:
                    bad.result(timeout=10)
                except BrokenProcessPool as e:
                    print('BrokenProcessPool', isinstance(e, RuntimeError))
                print(ex.submit(f, False).result(timeout=10))
            """, prints: "BrokenProcessPool True\nok\n", within: 20)
    }

    func testGetWithTimeoutRaisesMultiprocessingTimeoutError() {
        check("""
            import multiprocessing as mp, time
            with mp.Pool(1) as p:
                r = p.apply_async(time.sleep, (30,))
                try:
                    r.get(timeout=0.1)
                except mp.TimeoutError as e:
                    print('TimeoutError', isinstance(e, mp.ProcessError), r.ready())
            print('terminated')
            """, prints: "TimeoutError True False\nterminated\n", within: 10)
    }

    func testAClosedOrTerminatedPoolRefusesWork() {
        check("""
            import multiprocessing as mp
            def f(x): return x
            p = mp.Pool(1)
            p.close()
            for call in (lambda: p.map(f, [1]), lambda: p.map_async(f, [1]), lambda: p.apply(f, (1,)),
                         lambda: p.apply_async(f, (1,)), lambda: p.imap(f, [1]), lambda: p.imap_unordered(f, [1]),
                         lambda: p.starmap(f, [(1,)])):
                try:
                    call()
                except ValueError as e:
                    print(e)
            p.join()
            q = mp.Pool(1)
            q.terminate()
            try:
                q.apply(f, (1,))
            except ValueError as e:
                print('terminated:', e)
            q.join()
            """, prints: String(repeating: "Pool not running\n", count: 7) + "terminated: Pool not running\n")
    }

    func testLambdasAndClosuresAreTasks() {
        check("""
            import multiprocessing as mp
            def make(k):
                return lambda x: x * k
            triple = make(3)
            with mp.Pool(2) as p:
                print(p.map(triple, range(5)))
                print(p.map(lambda s: s.upper(), ['a', 'b']))
                print(p.apply(make(5), (2,)))
            """, prints: "[0, 3, 6, 9, 12]\n['A', 'B']\n10\n")
    }

    func testCallbacksRunOnTheInterpreterThreadBeforeGetReturns() {
        check("""
            import multiprocessing as mp
            got = []
            def f(x):
                if x < 0: raise ValueError(x)
                return x + 1
            with mp.Pool(2) as p:
                r = p.apply_async(f, (1,), callback=got.append)
                r.get()
                print(got)
                r = p.apply_async(f, (-1,), error_callback=lambda e: got.append(type(e).__name__))
                r.wait()
                print(got)
                for i in range(5):
                    p.apply_async(f, (i,), callback=got.append)
                p.close()
                p.join()
                print(sorted(got[2:]))
            """, prints: "[2]\n[2, 'ValueError']\n[1, 2, 3, 4, 5]\n")
    }

    func testAnArgumentThatCannotTravelFailsAtSubmit() {
        check("""
            import multiprocessing as mp
            q = mp.Queue()
            with mp.Pool(1) as p:
                try:
                    p.apply_async(print, (q,))
                except RuntimeError as e:
                    print('RuntimeError:', e)
                try:
                    p.apply_async(print, (open('/dev/null'),))
                except TypeError as e:
                    print('TypeError', 'cannot send' in str(e))
            """, prints: "RuntimeError: Queue objects should only be shared between processes through inheritance\nTypeError True\n")
    }

    func testManagerObjectsInPoolTasks() {
        check("""
            import multiprocessing as mp
            def put(args):
                d, i = args
                d[i] = i * i
            with mp.Manager() as m:
                d = m.dict()
                with mp.Pool(2) as p:
                    p.map(put, [(d, i) for i in range(4)])
                    late = m.dict()
                    try:
                        p.apply(put, ((late, 1),))
                    except RuntimeError as e:
                        print('RuntimeError', 'before the Pool' in str(e))
                print(sorted(d.items()))
            """, prints: "RuntimeError True\n[(0, 0), (1, 1), (2, 4), (3, 9)]\n")
    }

    func testManagerKeysOneOneFloatAndTrueAreOneKey() {
        check("""
            import multiprocessing as mp
            with mp.Manager() as m:
                d = m.dict()
                d[1.0] = 'a'
                d[True] = 'c'   # (d[1] = ... here would replace the key object by 1: a documented gap)
                print(d, len(d), d[1], 1.0 in d)
                try:
                    d[[1]] = 2
                except TypeError as e:
                    print('TypeError', e)
            """, prints: "{1.0: 'c'} 1 c True\nTypeError unhashable type: 'list'\n")
    }

    func testThreadPoolExecutorSaysItIsNotAvailable() {
        check("""
            import concurrent.futures as cf
            try:
                cf.ThreadPoolExecutor(2)
            except NotImplementedError as e:
                print('NotImplementedError', 'ProcessPoolExecutor' in str(e))
            """, prints: "NotImplementedError True\n")
    }

    func testIMapStreamsFromAnEndlessGenerator() {
        check("""
            import multiprocessing as mp, itertools
            with mp.Pool(2) as p:
                for y in p.imap(lambda x: x * 2, itertools.count()):
                    if y > 2000:
                        break
                print(y)
            """, prints: "2002\n")
    }

    /// Ctrl-C (SIGINT to mpsh alone) during a long map ends the program promptly, and no worker outlives it.
    func testInterruptDuringMapEndsPromptlyWithoutOrphans() throws {
        guard let mpsh = BindingCorpusTests.mpshPath() else { return XCTFail("the mpsh executable is not built") }
        let program = """
            import multiprocessing as mp, os, time
            def slow(x):
                time.sleep(30)
            if __name__ == '__main__':
                with mp.Pool(2) as p:
                    print(' '.join(str(x) for x in set(p.map(lambda x: os.getpid(), range(2), chunksize=1))), flush=True)
                    p.map(slow, range(4))
            """
        let err = Pipe()
        let (p, line) = try BindingCorpusTests.startMpsh(mpsh, program, tag: "pool-sigint", stderr: err)
        let workers = line.split(whereSeparator: { $0 == " " || $0 == "\n" })
            .compactMap { Int32($0) }
        XCTAssertFalse(workers.isEmpty, "no worker pids from mpsh")
        usleep(200_000)   // let the slow map reach the workers (not a synchronisation: the test holds either way)
        let start = ContinuousClock.now
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5), "mpsh took too long to stop")
        // In batch mode mpsh may die of the signal (no handler) or raise KeyboardInterrupt: either way it stops.
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(p.terminationReason == .uncaughtSignal || stderr.contains("KeyboardInterrupt"), stderr)
        BindingCorpusTests.assertEnd(of: workers, "worker")
    }

    /// Ctrl-C while waiting in a pool (here raised by a hook standing in for the SIGINT handler) terminates the pool
    /// before the KeyboardInterrupt goes on: no busy worker is left behind.
    func testKeyboardInterruptWhileWaitingTerminatesThePool() {
        let start = Date()
        let r: (out: String, err: String, status: Int32) = withLargeStack(64 << 20) {
            let interp = Interpreter()
            interp.captureOutput()
            interp.extendMultiprocessing { _, module in
                module.fn("_press_ctrl_c") { _, _, _ in mpshInterruptPending = 1; return .none }
            }
            let status = interp.runMain(source: """
                import multiprocessing as mp, time
                p = mp.Pool(2)
                try:
                    mp._press_ctrl_c()
                    p.map(time.sleep, [30, 30])
                except KeyboardInterrupt:
                    print('KeyboardInterrupt', repr(p))
                p.join()
                print('joined')
                """, file: "pool_interrupt.py")
            interp.finishChildren()
            let c = interp.capturedOutput
            return (c.stdout, c.stderr, status)
        }
        XCTAssertEqual(r.out, "KeyboardInterrupt <multiprocessing.pool.Pool state=TERMINATE pool_size=2>\njoined\n", r.err)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "the interrupted pool was not stopped")
    }
}
