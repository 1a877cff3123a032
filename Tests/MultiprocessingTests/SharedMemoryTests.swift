import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class SharedMemoryTests: ProcessTestCase {
    /// CPython: `SharedMemory(create=True, size=n)` then `SharedMemory(name)` in another process sees the bytes.
    func testNamedBlockIsSharedByNameAndOwnedByItsCreator() throws {
        let block = try SharedMemory(create: true, size: 4096)
        XCTAssertTrue(block.isOwner)
        XCTAssertTrue(block.name!.hasPrefix("psm_"), "CPython's name prefix")
        XCTAssertEqual("\(block)", "SharedMemory('\(block.name!)', size=4096)")
        let child = forkChild {
            let attached = try SharedMemory(name: block.name!)
            guard !attached.isOwner, attached.size == 4096 else { return 2 }
            attached.buffer[10] = 99
            do { try attached.unlink(); return 3 } catch { return (error as? SystemError)?.errno == EPERM ? 0 : 4 }
        }
        XCTAssertEqual(waitExitCode(child), 0, "the attacher may not unlink")
        XCTAssertEqual(block.buffer[10], 99)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/dev/shm/\(block.name!)"), "still named")
        try block.unlink()
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/shm/\(block.name!)"))
        try block.unlink()  // idempotent
        block.close()
    }

    func testCreatorsDeinitUnlinksButAForkedCopyDoesNot() throws {
        var name = ""
        do {
            let block = try SharedMemory(create: true, size: 100)
            name = block.name!
            let child = forkChild {
                // The child's copy of the object goes away here (end of closure scope is not reached: _exit),
                // and even an explicit unlink is refused outside the creating process.
                do { try block.unlink(); return 3 } catch { return 0 }
            }
            XCTAssertEqual(waitExitCode(child), 0)
            XCTAssertTrue(FileManager.default.fileExists(atPath: "/dev/shm/\(name)"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/shm/\(name)"), "the creator's deinit unlinked")
    }

    func testBadRequestsGiveClearErrors() throws {
        XCTAssertThrowsError(try SharedMemory(name: "mpsh-no-such-block")) { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENOENT)
            XCTAssertTrue("\(error)".contains("no shared memory block has that name"), "\(error)")
        }
        XCTAssertThrowsError(try SharedMemory(create: true, size: 0)) { error in
            XCTAssertTrue("\(error)".contains("needs a positive size"), "\(error)")
        }
        let block = try SharedMemory(create: true, size: 64)
        XCTAssertThrowsError(try SharedMemory(name: block.name, create: true, size: 64)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, EEXIST)
            XCTAssertTrue("\(error)".contains("the name is taken"), "\(error)")
        }
        XCTAssertThrowsError(try SharedMemory()) { error in
            XCTAssertTrue("\(error)".contains("needs the name"), "\(error)")
        }
    }

    /// Issue 20, with the tracker (CPython's resource tracker): a block a child creates and drops outlives the child,
    /// any process may unlink it, and one nobody unlinked is removed once every process of the program has ended
    /// (here the forked "program" is a child of the test, so that the tracker ends within the test).
    func testWithTheTrackerABlockOutlivesTheChildThatMadeIt() throws {
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        let program = forkChild {
            close(ends[0])
            guard SharedMemoryTracker.start(), let tracker = SharedMemoryTracker.trackerPID else { return 2 }
            var names: [String] = []
            for _ in 0..<2 {
                let (mine, theirs) = try Pipe()
                let maker = Process {
                    let block = try SharedMemory(create: true, size: 64)
                    block.buffer[0] = 42
                    try theirs.send(block.name!)
                }  // the maker drops its object and exits
                try maker.start()
                names.append(try mine.recv(as: String.self))
                try maker.join()
                guard maker.exitCode == 0 else { return 3 }
            }
            let first = try SharedMemory(name: names[0])
            guard first.buffer[0] == 42 else { return 4 }
            try first.unlink()   // not the creator: allowed with the tracker, as in CPython
            guard !FileManager.default.fileExists(atPath: "/dev/shm/\(names[0])") else { return 5 }
            // names[1] is left for the tracker; tell the test its name and the tracker's pid
            let report = Array("\(names[1]) \(tracker)".utf8)
            guard write(ends[1], report, report.count) == report.count else { return 6 }
            return 0
        }
        close(ends[1])
        XCTAssertEqual(waitExitCode(program), 0)
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(ends[0], &buffer, buffer.count)
        close(ends[0])
        let fields = String(decoding: buffer[..<max(n, 0)], as: UTF8.self).split(separator: " ")
        guard fields.count == 2, let tracker = pid_t(fields[1]) else { return XCTFail("no report from the program") }
        // the tracker leaves once the program's last process has: wait for it with a timeout, then look
        let deadline = ContinuousClock.now + .seconds(10)
        while kill(tracker, 0) == 0 && ContinuousClock.now < deadline { _ = poll(nil, 0, 10) }
        XCTAssertNotEqual(kill(tracker, 0), 0, "the tracker outlived its program")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/shm/\(fields[0])"), "the tracker removes what nobody unlinked")
    }

    func testAnonymousBlockIsSharedWithForkedChildren() throws {
        let block = try SharedMemory(anonymousSize: 1 << 20)
        XCTAssertNil(block.name)
        let child = forkChild {
            block.buffer.storeBytes(of: 0xfeed, toByteOffset: 1000, as: Int.self)
            return 0
        }
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertEqual(block.buffer.load(fromByteOffset: 1000, as: Int.self), 0xfeed)
    }
}

// MARK: - Under every start method

extension SharedMemoryTests {
    /// An anonymous block and a named one, written by a child, read by the parent; the child never unlinks the
    /// name. (CPython: `_TestSharedMemory.test_shared_memory_basics` across processes.)
    func testBlocksWrittenByChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = MemoryWork(anonymous: try SharedMemory(anonymousSize: 4096),
                                      named: try SharedMemory(create: true, size: 4096))
            defer { try? argument.named.unlink() }
            XCTAssertEqual(try runChild(method, ChildFunctions.memoryWrite, argument), 0, "under \(method)")
            for block in [argument.anonymous, argument.named] {
                XCTAssertEqual(Array(block.buffer.prefix(5)), Array("child".utf8), "under \(method): \(block)")
            }
            XCTAssertNoThrow(try SharedMemory(name: argument.named.name!), "the child did not unlink the name")
        }
    }
}
