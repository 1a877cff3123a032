import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class RLockTests: ProcessTestCase {
    /// _TestLock.test_rlock: three acquires, three releases, a fourth release raises
    /// (CPython: AssertionError / RuntimeError "attempt to release recursive lock not owned by thread").
    func testRLock() throws {
        let lock = try RLock()
        XCTAssertTrue(try lock.acquire())
        XCTAssertTrue(try lock.acquire())
        XCTAssertTrue(try lock.acquire())
        XCTAssertEqual(lock.recursionCount, 3)
        try lock.release()
        try lock.release()
        try lock.release()
        XCTAssertEqual(lock.recursionCount, 0)
        XCTAssertThrowsError(try lock.release()) { XCTAssertEqual($0 as? SynchronizeError, .notOwner) }
    }

    /// The RLock is held until the last release: another process cannot take it in between.
    func testHeldUntilTheLastRelease() throws {
        let lock = try RLock()
        try lock.acquire()
        try lock.acquire()
        try lock.release()
        let whileHeld = forkChild { try lock.tryAcquire() ? 1 : 0 }
        XCTAssertEqual(waitExitCode(whileHeld), 0, "still held at depth 1")
        try lock.release()
        let afterRelease = forkChild {
            guard try lock.tryAcquire() else { return 1 }
            try lock.release()
            return 0
        }
        XCTAssertEqual(waitExitCode(afterRelease), 0, "free after the last release")
    }

    /// Release by a process that does not own it raises (CPython's AssertionError) and changes nothing.
    func testReleaseByNonOwnerProcessIsAnError() throws {
        let lock = try RLock()
        try lock.acquire()
        try lock.acquire()
        let child = forkChild {
            do { try lock.release() } catch SynchronizeError.notOwner { return lock.recursionCount == 0 ? 0 : 3 }
            return 2
        }
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertEqual(lock.recursionCount, 2, "the owner's count is untouched")
        try lock.release()
        try lock.release()
    }

    /// The owner is SIGKILLed holding the lock three deep: the next acquirer (blocked in acquire) gets it with a
    /// fresh count of one and is told.
    func testOwnerSIGKILLedNextAcquirerRecoversWithFreshCount() throws {
        let lock = try RLock()
        let words = try SharedWords()
        let owner = forkChild {
            for _ in 0..<3 { try lock.acquire() }
            words[0] = 1
            while true { pause() }
        }
        XCTAssertTrue(words.spin(until: 0, is: 1))
        let waiter = forkChild {
            guard try lock.acquire(timeout: .seconds(10)) else { return 2 }
            guard lock.lastAcquisitionRecoveredFromDeadOwner else { return 3 }
            guard lock.recursionCount == 1 else { return 4 }
            try lock.release()
            return 0
        }
        XCTAssertTrue(waitUntilSleeping(waiter), "the waiter is blocked in acquire")
        kill(owner, SIGKILL)
        XCTAssertEqual(waitExitCode(owner), -SIGKILL)
        XCTAssertEqual(waitExitCode(waiter), 0)
        XCTAssertTrue(try lock.tryAcquire())
        XCTAssertFalse(lock.lastAcquisitionRecoveredFromDeadOwner)
        try lock.release()
    }

    /// A timed acquire of an RLock owned by another process returns False on time.
    func testTimedAcquireOfAnotherOwnersLockReturnsOnTime() throws {
        let lock = try RLock()
        let words = try SharedWords()
        let done = try Event()
        let owner = forkChild {
            try lock.acquire()
            words[0] = 1
            done.wait(timeout: .seconds(10))
            try lock.release()
            return 0
        }
        XCTAssertTrue(words.spin(until: 0, is: 1))
        let (got, elapsed) = try timed { try lock.acquire(timeout: .milliseconds(100)) }
        XCTAssertFalse(got)
        assertOnTime(elapsed, 0.100)
        done.set()
        XCTAssertEqual(waitExitCode(owner), 0)
    }

    /// A forked child does not inherit its parent's ownership (the owner is a thread of one process).
    func testForkedChildDoesNotInheritOwnership() throws {
        let lock = try RLock()
        try lock.acquire()
        let child = forkChild { lock.isHeldByCaller || lock.recursionCount != 0 ? 1 : 0 }
        XCTAssertEqual(waitExitCode(child), 0)
        try lock.release()
    }

    /// Ownership is per thread: another thread of the owning process is not the owner (CPython's RLock is
    /// owned by a thread too), cannot release it, and does not nest into it.
    func testAnotherThreadOfTheOwnerProcessIsNotTheOwner() throws {
        let lock = try RLock()
        try lock.acquire()
        let report = try SharedWords()
        let done = try Multiprocessing.Event()
        let thread = JoinedThread {
            report[0] = lock.isHeldByCaller ? 1 : 0
            report[1] = (try? lock.tryAcquire()) == true ? 1 : 0
            do { try lock.release() } catch { report[2] = (error as? SynchronizeError) == .notOwner ? 1 : 2 }
            done.set()
        }
        XCTAssertTrue(done.wait(timeout: .seconds(10)))
        XCTAssertTrue(thread.join(timeout: .seconds(10)), "the thread ended")
        XCTAssertEqual([report[0], report[1], report[2]], [0, 0, 1])
        XCTAssertEqual(lock.recursionCount, 1)
        try lock.release()
    }

    /// Mutual exclusion with nesting: 3 processes × 5,000 increments, each under two nested acquires.
    func testNestedIncrementsUnderContentionAreExact() throws {
        let lock = try RLock()
        let words = try SharedWords()
        let children = (0..<3).map { _ in
            forkChild {
                for _ in 0..<5_000 {
                    try lock.withLock {
                        try lock.withLock { words[0] = words[0] + 1 }
                    }
                }
                return 0
            }
        }
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(words[0], 15_000)
    }
}

// MARK: - Under every start method

extension RLockTests {
    /// The child's recursion count is its own, and the lock is free after it releases twice. (CPython:
    /// `_TestLock.test_rlock`.)
    func testRLockInChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = RLockProbe(lock: try RLock(), results: try Queue<Int>())
            XCTAssertEqual(try runChild(method, ChildFunctions.rlockProbe, argument), 0, "under \(method)")
            XCTAssertEqual(try (0..<3).map { _ in try argument.results.get(timeout: .seconds(5)) }, [2, 1, 0], "under \(method)")
            XCTAssertFalse(argument.lock.isHeldByCaller)
            XCTAssertTrue(try argument.lock.acquire(block: false, timeout: nil), "under \(method)")
            try argument.lock.release()
        }
    }
}
