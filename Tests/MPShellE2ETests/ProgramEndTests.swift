// What a program leaves behind when it ends: the text it wrote to files it never closed is written (CPython
// flushes such files when their last reference goes, and at shutdown), shared memory it never unlinked is removed
// (CPython's resource tracker removes it, with a warning), a Pool or executor it never closed leaves no process
// behind (CPython's exit terminates and joins pool workers), and multiprocessing's socket directory is removed.
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
        try skipUnlessBinding()
        let tmp = NSTemporaryDirectory() + "mpsh-e2e-tmpdir-\(getpid())"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        // each ending is the last line of the main block (a spawned child runs the module too)
        for ending in ["pass", "import sys; sys.exit(4)", "raise ValueError('late')"] {
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
            XCTAssertEqual(run.status, ending == "pass" ? 0 : ending.contains("exit") ? 4 : 1, run.stderr)
            XCTAssertEqual(socketDirectories(in: tmp), [], "left behind when the program ended with: \(ending)")
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
