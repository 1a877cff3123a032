// What a program leaves behind when it ends: the text it wrote to files it never closed is written (CPython
// flushes such files when their last reference goes, and at shutdown), shared memory it never unlinked is removed
// (CPython's resource tracker removes it, with a warning), a Pool or executor it never closed leaves no process
// behind (CPython's exit terminates and joins pool workers), multiprocessing's socket directory is removed (by the
// pool workers that made one too), a manager never shut down is shut down, and a Listener's socket file removed.
import Foundation
import TestSupport
import XCTest

final class ProgramEndTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    func testFilesNeverClosedAreWritten() throws {
        let dir = NSTemporaryDirectory() + "mpsh-e2e-files-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func contents(_ name: String) -> String? { try? String(contentsOfFile: dir + "/" + name, encoding: .utf8) }

        // a file dropped at once; one a function dropped, read back by the program; one still referenced at the end
        let run = try runMpsh(["-c", """
            open('\(dir)/dropped.txt', 'w').write('dropped')
            def log(line):
                f = open('\(dir)/log.txt', 'a')
                f.write(line + '\\n')
            for word in ['one', 'two']:
                log(word)
            print(open('\(dir)/log.txt').read().split())
            kept = open('\(dir)/kept.txt', 'w')
            kept.write('kept')
            """])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "['one', 'two']\n")
        XCTAssertEqual(contents("dropped.txt"), "dropped")
        XCTAssertEqual(contents("kept.txt"), "kept")

        // ended by sys.exit, and by an uncaught exception
        let exit = try runMpsh(["-c", "import sys\nf = open('\(dir)/exit.txt', 'w')\nf.write('exit')\nsys.exit(3)"])
        XCTAssertEqual(exit.status, 3, exit.stderr)
        XCTAssertEqual(contents("exit.txt"), "exit")
        let failed = try runMpsh(["-c", "f = open('\(dir)/raised.txt', 'w')\nf.write('raised')\n1 / 0"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(contents("raised.txt"), "raised")
    }

    func testSharedMemoryNeverUnlinkedIsRemoved() throws {
        try skipUnlessBinding()
        for ending in ["pass", "import sys\nsys.exit(4)", "raise ValueError('late')"] {
            let run = try runMpsh(["-c", """
                from multiprocessing import shared_memory
                kept = shared_memory.SharedMemory(create=True, size=64)
                blocks = [shared_memory.SharedMemory(create=True, size=8) for _ in range(2)]
                done = shared_memory.SharedMemory(create=True, size=8)
                done.close()
                done.unlink()
                print(kept.name, *[b.name for b in blocks])
                """ + "\n" + ending])
            let names = run.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
            XCTAssertEqual(names.count, 3, run.stdout + run.stderr)
            for name in names {
                XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/shm/" + name), "/dev/shm/\(name) left (\(ending))")
            }
        }
    }

    /// multiprocessing's socket directory (`util.get_temp_dir()`, `pymp-*`: where the sockets of a manager and of a
    /// Listener without an address go) is removed when the process that made it ends, however the program ends. A
    /// forked child uses its parent's and leaves it; a child that made one (forked or spawned, a manager's server)
    /// removes it. The program runs with a TMPDIR of the test's own: the directories other programs make, the
    /// same user's included, do not count, and the one it prints shows that mpsh made it there.
    func testSocketDirectoriesAreRemoved() throws {
        // each ending is the last line of the main block (a spawned child runs the module too)
        try forEachEnding(tmpdir: "tmpdir") { tmp, ending, status in
            let program = try tempProgram("socket_dirs.py", """
                import os, multiprocessing as mp
                from multiprocessing import util
                from multiprocessing.connection import Listener
                from multiprocessing.managers import BaseManager

                class Box:
                    def __init__(self, **items):
                        self.items = items

                    def get(self, key):
                        return self.items[key]

                class Boxes(BaseManager):
                    pass

                Boxes.register('box', Box)

                def own(q):
                    q.put(util.get_temp_dir())

                def inherited(q):
                    q.put(os.path.dirname(Listener().address))

                if __name__ == '__main__':
                    for method in ['fork', 'spawn']:
                        ctx = mp.get_context(method)
                        q = ctx.Queue()
                        p = ctx.Process(target=own, args=(q,))
                        p.start()
                        made = q.get()
                        p.join()
                        print(method, 'child removed its own:', not os.path.exists(made))
                    with Boxes() as boxes:
                        print(boxes.box(a=1).get('a'))
                    manager = mp.Manager()
                    shared = manager.dict(b=2)
                    listener = Listener()
                    mine = os.path.dirname(listener.address)
                    ctx = mp.get_context('fork')
                    q = ctx.Queue()
                    p = ctx.Process(target=inherited, args=(q,))
                    p.start()
                    print("child used the parent's:", q.get() == mine)
                    p.join()
                    print('still there:', os.path.isdir(mine))
                    print(mine)
                    \(ending)
                """)
            let run = try runMpsh([program], environment: ["TMPDIR": tmp])
            let lines = run.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(Array(lines.prefix(5)), ["fork child removed its own: True", "spawn child removed its own: True",
                                                    "1", "child used the parent's: True", "still there: True"],
                           "\(ending)\n\(run.stderr)")
            XCTAssertTrue(lines.count == 6 && lines[5].hasPrefix(tmp + "/pymp-"), "not made in TMPDIR: \(run.stdout)")
            XCTAssertEqual(run.status, status, run.stderr)
            XCTAssertEqual(socketDirectories(in: tmp), [], "left behind when the program ended with: \(ending)")
        }
    }

    /// The ways a program ends, as the last line of its main block, and the status each gives.
    static let endings: [(String, Int32)] = [("pass", 0), ("import sys; sys.exit(4)", 4), ("raise ValueError('late')", 1)]

    /// A new empty directory of this test's own, for a program's TMPDIR (so that only what the program makes is
    /// there); the caller removes it.
    func privateTemporaryDirectory(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "mpsh-e2e-\(tag)-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `body` for each way a program ends (`endings`: the program's last line, the status it gives), with a
    /// TMPDIR of the test's own (`privateTemporaryDirectory`), removed afterwards. Skipped without the binding.
    func forEachEnding(tmpdir tag: String, _ body: (_ tmp: String, _ ending: String, _ status: Int32) throws -> Void) throws {
        try skipUnlessBinding()
        let tmp = try privateTemporaryDirectory(tag)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        for (ending, status) in Self.endings { try body(tmp, ending, status) }
    }

    /// A BaseManager started and never shut down: the program's end shuts it down before it joins the children
    /// (CPython's start() registers the shutdown as a finalizer of exit priority 0), so mpsh ends promptly with its
    /// program's status, the server ended and reaped (nothing left in mpsh's process group), and nothing left in
    /// TMPDIR, however the program ends. mpsh used to wait for the server for ever.
    func testAManagerNeverShutDownEndsWithTheProgram() throws {
        try forEachEnding(tmpdir: "manager") { tmp, ending, status in
            let program = try tempProgram("manager_never_shut_down.py", """
                from multiprocessing.managers import BaseManager

                class Shelf(BaseManager):
                    pass

                Shelf.register('box', dict)

                if __name__ == '__main__':
                    manager = Shelf()
                    manager.start()
                    box = manager.box(a=2)
                    box.update(b=3)
                    print(box.get('a'), box.get('b'))
                    print(manager._process.pid, flush=True)
                    \(ending)
                """)
            let started = ContinuousClock.now
            let mpsh = try ChildProgram([try mpshBinary(), program], environment: testEnvironment(["TMPDIR": tmp]),
                                        processGroup: true)
            let run = try mpsh.wait(limit: 30)
            let took = ContinuousClock.now - started
            let lines = run.output.split(separator: "\n").map(String.init)
            XCTAssertEqual(run.status, status, "\(ending)\n\(run.error)")
            XCTAssertEqual(lines.first, "2 3", run.output + run.error)
            XCTAssertLessThan(took, .seconds(10), "the end of the program was not prompt (\(ending))")
            XCTAssertEqual(processes(inGroup: mpsh.pid), [], "processes left behind (\(ending))")
            if lines.count == 2, let server = pid_t(lines[1]) {
                // joined by mpsh before it ended: gone, not a zombie nor an orphan
                XCTAssertTrue(kill(server, 0) == -1 && errno == ESRCH, "the manager's server \(server) is still there")
            } else {
                XCTFail("no server pid: \(run.output)")
            }
            XCTAssertEqual(socketDirectories(in: tmp), [], "left behind when the program ended with: \(ending)")
        }
    }

    /// The same in the shell: at the end of its input (Ctrl-D) the manager is shut down before the shell says
    /// which children it waits for, so it waits for none.
    func testAManagerStartedInTheShellEndsWithIt() throws {
        try skipUnlessBinding()
        let run = try runMpsh(["-i"], stdin: """
            from multiprocessing.managers import BaseManager
            class Shelf(BaseManager): pass

            Shelf.register('box', dict)
            manager = Shelf()
            manager.start()
            print(manager.box(a=1))

            """, limit: 30)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "{'a': 1}\n", run.stderr)
        XCTAssertEqual(run.stderr, "", "the shell waited for a child")
    }

    /// A Unix Listener with a path, never closed, has its socket file removed at the end of the process that made
    /// it (CPython's SocketListener registers os.unlink as a finalizer): the program's, and a forked child's own; a
    /// closed one's is removed at close().
    func testAListenerNeverClosedHasItsSocketFileRemoved() throws {
        try forEachEnding(tmpdir: "listener") { tmp, ending, status in
            let program = try tempProgram("listener_never_closed.py", """
                import os, multiprocessing as mp
                from multiprocessing.connection import Listener

                tmp = os.environ['TMPDIR']

                def child():
                    kept = Listener(os.path.join(tmp, 'child.sock'))
                    print('child listening:', os.path.exists(kept.address), flush=True)

                if __name__ == '__main__':
                    listener = Listener(os.path.join(tmp, 'main.sock'))
                    closed = Listener(os.path.join(tmp, 'closed.sock'))
                    closed.close()
                    print('closed one removed:', not os.path.exists(os.path.join(tmp, 'closed.sock')))
                    p = mp.get_context('fork').Process(target=child)
                    p.start()
                    p.join()
                    print('child removed its own:', not os.path.exists(os.path.join(tmp, 'child.sock')))
                    print('listening:', os.path.exists(listener.address))
                    \(ending)
                """)
            let run = try runMpsh([program], limit: 30, environment: ["TMPDIR": tmp])
            XCTAssertEqual(run.status, status, "\(ending)\n\(run.stderr)")
            XCTAssertEqual(run.stdout, "closed one removed: True\nchild listening: True\nchild removed its own: True\n"
                           + "listening: True\n", run.stderr)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
            XCTAssertEqual(left, [], "left behind when the program ended with: \(ending)")
        }
    }

    /// A pool worker that makes a socket directory of its own (a Listener without an address in a task, its
    /// parent having made none) removes it as it ends: when the pool is closed, when maxtasksperchild replaces
    /// it, when an executor shuts down, and when terminate() ends it idle (`with Pool()`) or busy (CPython's
    /// workers leave theirs then: SIGTERM ends them with no clean-up).
    func testPoolWorkersRemoveTheSocketDirectoriesTheyMade() throws {
        try skipUnlessPool()
        let tmp = try privateTemporaryDirectory("workers")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let program = try tempProgram("worker_socket_dirs.py", """
            import os, sys, time, multiprocessing as mp
            from multiprocessing.connection import Listener
            from concurrent.futures import ProcessPoolExecutor

            def made(_):
                listener = Listener()
                address = listener.address
                listener.close()
                return os.path.dirname(address)

            def init(q):
                global ready
                ready = q

            def busy(_):
                listener = Listener()
                ready.put(os.path.dirname(listener.address))
                time.sleep(60)

            if __name__ == '__main__':
                how = sys.argv[1]
                if how == 'close':
                    pool = mp.Pool(2)
                    dirs = set(pool.map(made, range(8), chunksize=1))
                    pool.close()
                    pool.join()
                elif how == 'with':
                    with mp.Pool(2) as pool:
                        dirs = set(pool.map(made, range(8), chunksize=1))
                elif how == 'maxtasks':
                    with mp.Pool(2, maxtasksperchild=1) as pool:
                        dirs = set(pool.map(made, range(4), chunksize=1))
                elif how == 'busy':
                    q = mp.Queue()
                    pool = mp.Pool(2, initializer=init, initargs=(q,))
                    pool.map_async(busy, range(2), chunksize=1)
                    dirs = {q.get(timeout=30), q.get(timeout=30)}
                    pool.terminate()
                    pool.join()
                else:
                    with ProcessPoolExecutor(2) as executor:
                        dirs = set(executor.map(made, range(8)))
                tmp = os.environ['TMPDIR']
                print(len(dirs) >= 1, all(d.startswith(tmp + '/pymp-') for d in dirs), [d for d in dirs if os.path.exists(d)])
            """)
        for how in ["close", "with", "maxtasks", "busy", "executor"] {
            let run = try runMpsh([program, "--", how], limit: 60, environment: ["TMPDIR": tmp])
            XCTAssertEqual(run.status, 0, "\(how): \(run.stderr)")
            XCTAssertEqual(run.stdout, "True True []\n", "\(how): \(run.stderr)")
            XCTAssertEqual(socketDirectories(in: tmp), [], "left behind by the workers (\(how))")
        }
    }

    func testAPoolAndAnExecutorLeftOpenLeaveNoProcess() throws {
        try skipUnlessPool()
        let run = try runMpsh(["-c", """
            import os, multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            def pid(_):
                return os.getpid()

            pool = mp.Pool(2)
            pids = set(pool.map(pid, range(40), chunksize=1))
            executor = ProcessPoolExecutor(2)
            pids |= {executor.submit(os.getpid).result() for _ in range(8)}
            print(' '.join(str(p) for p in sorted(pids)))
            """], limit: 30)
        XCTAssertEqual(run.status, 0, run.stderr)
        let pids = run.stdout.split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
        XCTAssertGreaterThanOrEqual(pids.count, 2, run.stdout)
        // mpsh has ended: its workers must have been reaped with it, not be ending (or left unreaped) as orphans
        for pid in pids {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { continue }
            XCTAssertFalse(stat.contains("(mpsh)"), "worker \(pid) outlived mpsh: \(stat.prefix(40))")
        }
    }
}
