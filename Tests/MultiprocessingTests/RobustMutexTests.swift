import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class RobustMutexTests: ProcessTestCase {
    /// The holder is SIGKILLed; a process blocked in lock() gets the lock within 100 ms, told that the previous
    /// owner died, and the mutex is usable afterwards.
    func testHolderSIGKILLedBlockedLockerRecoversWithin100ms() throws {
        let memory = try SharedMemory(anonymousSize: 4096)
        let mutex = try RobustMutex(placedIn: memory, offset: 0, initialize: true)
        let flags = memory.buffer.baseAddress! + 256  // [0]: holder has it; [8]: waiter's result; [16]: its time
        let holder = forkChild {
            _ = try mutex.lock()
            flags.storeBytes(of: 1, as: Int64.self)
            while true { pause() }
        }
        while flags.load(as: Int64.self) == 0 { sched_yield() }
        let waiter = forkChild {
            let how = try mutex.lock(timeout: .seconds(5))
            (flags + 16).storeBytes(of: nowNanoseconds(), as: Int64.self)
            (flags + 8).storeBytes(of: how == .previousOwnerDied ? 2 : how == .acquired ? 1 : 3, as: Int64.self)
            try mutex.unlock()
            return 0
        }
        XCTAssertNil(try mutex.lock(timeout: .milliseconds(50)), "held by a live process")
        let killedAt = nowNanoseconds()
        kill(holder, SIGKILL)
        XCTAssertEqual(waitExitCode(holder), -SIGKILL)
        XCTAssertEqual(waitExitCode(waiter), 0)
        XCTAssertEqual((flags + 8).load(as: Int64.self), 2, "the waiter was told .previousOwnerDied")
        let recovery = (flags + 16).load(as: Int64.self) - killedAt
        XCTAssertLessThan(recovery, 100_000_000, "recovered in \(Double(recovery) / 1e6) ms")
        XCTAssertEqual(try mutex.lock(timeout: .seconds(1)), .acquired, "consistent again: an ordinary lock")
        try mutex.unlock()
    }

    func testTimedLockReturnsNilOnTime() throws {
        let memory = try SharedMemory(anonymousSize: 4096)
        let mutex = try RobustMutex(placedIn: memory, offset: 0, initialize: true)
        let flag = memory.buffer.baseAddress! + 256
        let holder = forkChild {
            _ = try mutex.lock()
            flag.storeBytes(of: 1, as: Int64.self)
            while true { pause() }
        }
        defer { killAndReap(holder) }
        while flag.load(as: Int64.self) == 0 { sched_yield() }
        XCTAssertNil(try mutex.tryLock())
        let start = nowNanoseconds()
        XCTAssertNil(try mutex.lock(timeout: .milliseconds(150)))
        let waited = nowNanoseconds() - start
        XCTAssertGreaterThanOrEqual(waited, 150_000_000)
        XCTAssertLessThan(waited, 200_000_000, "timeout returned within 50 ms of its time")
    }

    func testRelockAndForeignUnlockAreClearErrors() throws {
        let mutex = try RobustMutex()
        XCTAssertEqual(try mutex.lock(), .acquired)
        XCTAssertThrowsError(try mutex.lock()) { error in
            let error = error as! SystemError
            XCTAssertEqual(error.errno, EDEADLK)
            XCTAssertTrue(error.description.contains("already holds the lock"), error.description)
        }
        try mutex.unlock()
        XCTAssertThrowsError(try mutex.unlock()) { error in
            XCTAssertTrue("\(error)".contains("only the process that holds the lock may release it"), "\(error)")
        }
    }

    func testWithLockReleasesOnThrow() throws {
        let mutex = try RobustMutex()
        struct Boom: Error {}
        XCTAssertThrowsError(try mutex.withLock { _ in throw Boom() })
        XCTAssertEqual(try mutex.tryLock(), .acquired, "released by withLock")
        try mutex.unlock()
    }
}

// MARK: - Under every start method

extension RobustMutexTests {
    /// A child that dies holding the mutex: the next lock says the previous owner died.
    func testMutexRecoveredFromDeadChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = MutexWork(mutex: try RobustMutex(), held: try Event())
            XCTAssertEqual(try runChild(method, ChildFunctions.holdMutexAndDie, argument), 9, "under \(method)")
            XCTAssertEqual(try argument.mutex.lock(timeout: .seconds(10)), .previousOwnerDied, "under \(method)")
            try argument.mutex.unlock()
        }
    }
}
