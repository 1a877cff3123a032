// What a program leaves behind when it ends: the text it wrote to files it never closed is written (CPython
// flushes such files when their last reference goes, and at shutdown), shared memory it never unlinked is removed
// (CPython's resource tracker removes it, with a warning), and a Pool or executor it never closed leaves no process
// behind (CPython's exit terminates and joins pool workers).
import Foundation
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
