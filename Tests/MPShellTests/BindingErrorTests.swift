// The multiprocessing binding's error paths, run in-process: each program prints what it caught, and every
// test checks afterwards that no child process (running or zombie) and no /dev/shm entry was left behind.
import Foundation
import PyLang
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class BindingErrorTests: BindingTestCase {
    func testUnknownTypecodeIsATypeErrorThatNamesIt() {
        check("""
            import multiprocessing as mp
            for args in [('z', 0), ('ii', 0)]:
                try:
                    mp.Value(*args)
                except TypeError as e:
                    print(str(e).startswith("unknown typecode " + repr(args[0])))
            try:
                mp.Array('x', 3)
            except TypeError as e:
                print('Array', 'typecode' in str(e))
            """, prints: "True\nTrue\nArray True\n")
    }

    func testRecvOnAClosedPipeIsEOFError() {
        check("""
            import multiprocessing as mp
            a, b = mp.Pipe()
            b.close()
            try:
                a.recv()
            except EOFError:
                print('EOFError')
            a.close()
            try:
                a.recv()
            except OSError as e:
                print('OSError', e)
            """, prints: "EOFError\nOSError handle is closed\n")
    }

    func testGetTimeoutAndPutNowaitOnFull() {
        check("""
            import multiprocessing as mp, queue
            q = mp.Queue(maxsize=1)
            try:
                q.get(timeout=0.02)
            except queue.Empty as e:
                print('Empty', type(e).__module__ if hasattr(type(e), '__module__') else '')
            q.put_nowait('x')
            try:
                q.put_nowait('y')
            except queue.Full:
                print('Full')
            print(q.get())
            q.close()
            try:
                q.get()
            except ValueError as e:
                print('closed', 'is closed' in str(e))
            """, prints: "Empty _queue\nFull\nx\nclosed True\n")
    }

    func testJoinUnstartedAndStartTwice() {
        check("""
            import multiprocessing as mp
            p = mp.Process(target=len, args=((),))
            for op in (p.join, p.terminate):
                try:
                    op()
                except (AssertionError, AttributeError) as e:
                    print(type(e).__name__)
            p.start()
            try:
                p.start()
            except AssertionError as e:
                print('AssertionError', e)
            p.join()
            print(p.exitcode)
            """, prints: "AssertionError\nAttributeError\nAssertionError cannot start a process twice\n0\n")
    }

    func testWorkerThatRaisesExitsWithOne() {
        let r = run("""
            import multiprocessing as mp
            def bad():
                raise KeyError('missing')
            p = mp.Process(target=bad)
            p.start()
            p.join()
            print(p.exitcode)
            """)
        XCTAssertEqual(r.out, "1\n", r.err)
    }

    func testSysExitAndSignalExitCodes() {
        check("""
            import multiprocessing as mp, sys, os, signal
            def code():
                sys.exit(7)
            def selfkill():
                os.kill(os.getpid(), signal.SIGKILL)
            def wait(ev):
                ev.wait()
            for t in (code, selfkill):
                p = mp.Process(target=t)
                p.start(); p.join()
                print(p.exitcode)
            ev = mp.Event()
            p = mp.Process(target=wait, args=(ev,))
            p.start()
            p.kill()
            p.join()
            print(p.exitcode, str(p).endswith('stopped exitcode=-SIGKILL>'))
            """, prints: "7\n-9\n-9 True\n")
    }

    /// Generators run on the interpreter's thread (on stacks of their own): a process starts inside one.
    func testStartInsideAGenerator() {
        check("""
            import multiprocessing as mp
            def gen():
                p = mp.Process(target=len, args=((),))
                p.start()
                p.join()
                yield p.exitcode
            print(list(gen()))
            """, prints: "[0]\n")
    }

    /// A generator suspended at fork goes on in the child, and the parent's copy independently.
    func testGeneratorStartedBeforeForkGoesOnInTheChild() {
        check("""
            import multiprocessing as mp
            def numbers():
                yield 1
                yield 2
            g = numbers()
            next(g)
            q = mp.Queue()
            def child():
                q.put(next(g))
            p = mp.Process(target=child)
            p.start()
            print(q.get(timeout=10))
            p.join()
            print(next(g))
            """, prints: "2\n2\n")
    }

    /// A Lock cannot travel through a Queue: put raises CPython's RuntimeError at once (CPython's feeder thread
    /// prints the error and drops the item), and a value that cannot be encoded at all is a TypeError.
    func testUnencodableItemIsRefusedAtPut() {
        check("""
            import multiprocessing as mp
            q = mp.Queue()
            try:
                q.put(mp.Lock())
            except RuntimeError as e:
                print('RuntimeError:', e)
            try:
                q.put(open('/dev/null'))
            except TypeError as e:
                print('TypeError', 'cannot send' in str(e))
            print(q.empty())
            """, prints: "RuntimeError: Lock objects should only be shared between processes through inheritance\nTypeError True\nTrue\n")
    }

    func testDescriptorsAreReleased() {
        check("""
            import multiprocessing as mp, os
            def count():
                return len(os.listdir('/proc/self/fd'))
            before = count()
            for _ in range(20):
                a, b = mp.Pipe()
                q = mp.Queue()
                l = mp.Lock()
                v = mp.Value('i', 1)
                p = mp.Process(target=len, args=((),))
                p.start(); p.join(); p.close()
                del a, b, q, l, v, p
            print(count() - before <= 1)
            """, prints: "True\n")
    }

    func testSharedMemoryIsUnlinkedAndBufferReleased() {
        check("""
            from multiprocessing import shared_memory
            s = shared_memory.SharedMemory(create=True, size=8)
            view = s.buf
            view[0] = 255
            print(s.buf[0])
            other = shared_memory.SharedMemory(name=s.name)
            print(other.buf[0], other.size)
            other.close()
            s.close()
            try:
                view[0]
            except ValueError as e:
                print('ValueError', e)
            s.unlink()
            try:
                shared_memory.SharedMemory(name=s.name)
            except FileNotFoundError:
                print('gone')
            """, prints: "255\n255 8\nValueError operation forbidden on released memoryview object\ngone\n")
    }

    func testLockErrors() {
        check("""
            import multiprocessing as mp
            l = mp.Lock()
            try:
                l.release()
            except ValueError as e:
                print('ValueError', e)
            l.acquire()
            print(l.acquire(timeout=0.01), l.acquire(False))
            try:
                l.acquire()
            except RuntimeError as e:
                print('RuntimeError', 'not recursive' in str(e))
            l.release()
            """, prints: "ValueError semaphore or lock released too many times\nFalse False\nRuntimeError True\n")
    }
}

extension BindingErrorTests {
    /// Ctrl-C (the SIGINT handler's flag) reaches a program blocked on another process: the blocked get raises
    /// KeyboardInterrupt within a slice, the child (which inherited the flag, as a child in the terminal's
    /// process group gets the same SIGINT) stops too, and no child is left behind.
    func testInterruptReachesABlockedGet() {
        let start = ContinuousClock.now
        mpshInterruptPending = 1
        let r = run("""
            import multiprocessing as mp
            def child(ev):
                ev.wait()
            ev = mp.Event()
            q = mp.Queue()
            p = mp.Process(target=child, args=(ev,))
            p.start()
            q.get()
            """)
        mpshInterruptPending = 0
        XCTAssertEqual(r.status, 130, r.err)
        XCTAssertEqual(CorpusTests.lastLine(r.err), "KeyboardInterrupt")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10), "the interrupt took too long to arrive")
    }
}
