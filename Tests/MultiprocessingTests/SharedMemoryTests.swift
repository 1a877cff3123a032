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
