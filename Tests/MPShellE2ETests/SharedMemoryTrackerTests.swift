// Issue 20: named shared memory that nobody unlinked is removed when the program ends, however it ends — the
// tracker process (SharedMemoryTracker, CPython's resource tracker), with CPython's warning.
import Foundation
import TestSupport
import XCTest

final class SharedMemoryTrackerTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    /// Waits (up to 10 s, polling) until /dev/shm has no entry `name`; true if it went.
    func waitGone(_ name: String) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !FileManager.default.fileExists(atPath: "/dev/shm/" + name) { return true }
            usleep(10_000)
        }
        return false
    }

    func testASIGKILLedOwnersBlockIsRemovedWithAWarning() throws {
        try skipUnlessBinding()
        let run = try runMpsh(["-c", """
            from multiprocessing import shared_memory
            import os
            s = shared_memory.SharedMemory(create=True, size=4096)
            s.buf[0] = 1
            print(s.name, flush=True)
            os.kill(os.getpid(), 9)
            """])
        XCTAssertEqual(run.status, -9, run.stderr)
        let name = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(name.hasPrefix("psm_"), run.stdout)
        XCTAssertTrue(waitGone(name), "/dev/shm/\(name) was left behind by a SIGKILLed owner")
    }

    func testABlockAChildLeftIsRemovedAtTheProgramsEndNotTheChilds() throws {
        try skipUnlessBinding()
        let path = try tempProgram("child_block.py", """
            import multiprocessing, os
            from multiprocessing import shared_memory

            def make(q):
                s = shared_memory.SharedMemory(create=True, size=64)
                s.buf[:5] = b'hello'
                q.put(s.name)
                s.close()

            if __name__ == '__main__':
                q = multiprocessing.Queue()
                p = multiprocessing.Process(target=make, args=(q,))
                p.start()
                name = q.get()
                p.join()
                s = shared_memory.SharedMemory(name=name)
                print(name, bytes(s.buf[:5]), os.path.exists('/dev/shm/' + name), flush=True)
                s.close()
            """)
        let run = try runMpsh([path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let fields = run.stdout.split(separator: " ")
        XCTAssertEqual(fields.dropFirst().joined(separator: " "), "b'hello' True\n", "the parent finds the child's data")
        let name = String(fields.first ?? "")
        XCTAssertTrue(waitGone(name), "the block nobody unlinked outlived the program")
    }
}
