import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ConditionTests: ProcessTestCase {
    /// CPython's `_TestCondition.f`: acquire, signal "sleeping", wait, signal "woken", release. A waiter that
    /// timed out also releases `timedOut` (before `woken`, so the count is complete when `woken` is).
    private func startWaiter(_ cond: Condition, _ sleeping: Multiprocessing.Semaphore, _ woken: Multiprocessing.Semaphore,
                        timeout: Duration? = nil, timedOut: Multiprocessing.Semaphore? = nil) -> pid_t {
        forkChild {
            try cond.acquire()
            try sleeping.release()
            let notified = try cond.wait(timeout: timeout)
            if !notified { try timedOut?.release() }
            try woken.release()
            try cond.release()
            return 0
        }
    }

    /// "No one has woken": `woken` stays at zero for 100 ms (a timed acquire, not a sleep).
    private func assertNoneWoken(_ woken: Multiprocessing.Semaphore, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(woken.acquire(timeout: .milliseconds(100)), "a waiter woke without a notify", file: file, line: line)
    }

    /// _TestCondition.test_notify: two sleepers; each notify wakes exactly one.
    func testNotify() throws {
        let cond = try Condition()
        let sleeping = try Semaphore(value: 0), woken = try Semaphore(value: 0)
        let children = [startWaiter(cond, sleeping, woken), startWaiter(cond, sleeping, woken)]
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        assertNoneWoken(woken)
        try cond.withLock { try cond.notify() }
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)), "one woke")
        assertNoneWoken(woken)
        try cond.withLock { try cond.notify() }
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)), "the other woke")
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(cond.waitingCount, 0, "check_invariant: no sleepers left")
    }

    /// _TestCondition.test_notify exactly as CPython runs it: one sleeper is a process, the other a thread of
    /// this process; each notify wakes one.
    func testNotifyProcessAndThread() throws {
        let cond = try Condition()
        let sleeping = try Multiprocessing.Semaphore(value: 0), woken = try Multiprocessing.Semaphore(value: 0)
        let child = startWaiter(cond, sleeping, woken)
        let threadDone = Multiprocessing.Event(placedIn: try SharedMemory(anonymousSize: 4096), offset: 0, initialize: true)
        let thread = JoinedThread {
            do {
                try cond.withLock {
                    try sleeping.release()
                    try cond.wait()
                    try woken.release()
                }
            } catch {
                XCTFail("thread: \(error)")
            }
            threadDone.set()
        }
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        assertNoneWoken(woken)
        try cond.withLock { try cond.notify() }
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)))
        assertNoneWoken(woken)
        try cond.withLock { try cond.notify() }
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)))
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertTrue(threadDone.wait(timeout: .seconds(10)))
        XCTAssertTrue(thread.join(timeout: .seconds(10)), "the thread ended")
    }

    /// _TestCondition.test_notify_all: six sleepers with TIMEOUT1 all time out; six more all wake on one
    /// notify_all.
    func testNotifyAll() throws {
        let cond = try Condition()
        let sleeping = try Semaphore(value: 0), woken = try Semaphore(value: 0), timedOut = try Semaphore(value: 0)
        var children = (0..<6).map { _ in startWaiter(cond, sleeping, woken, timeout: .milliseconds(100), timedOut: timedOut) }
        for _ in 0..<6 { XCTAssertTrue(sleeping.acquire(timeout: .seconds(10))) }
        for _ in 0..<6 { XCTAssertTrue(woken.acquire(timeout: .seconds(10)), "timed out and left") }
        XCTAssertEqual(woken.value, 0)
        XCTAssertEqual(timedOut.value, 6, "all six reported a timeout")
        XCTAssertEqual(cond.waitingCount, 0)
        children += (0..<6).map { _ in startWaiter(cond, sleeping, woken) }
        for _ in 0..<6 { XCTAssertTrue(sleeping.acquire(timeout: .seconds(10))) }
        assertNoneWoken(woken)
        try cond.withLock { try cond.notifyAll() }
        for _ in 0..<6 { XCTAssertTrue(woken.acquire(timeout: .seconds(10)), "all woken") }
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(timedOut.value, 6, "the notified ones returned True")
    }

    /// _TestCondition.test_notify_n: six sleepers; notify(n=2) wakes two, notify(n=4) the other four,
    /// notify(n=3) nobody more.
    func testNotifyN() throws {
        let cond = try Condition()
        let sleeping = try Semaphore(value: 0), woken = try Semaphore(value: 0)
        let children = (0..<6).map { _ in startWaiter(cond, sleeping, woken) }
        for _ in 0..<6 { XCTAssertTrue(sleeping.acquire(timeout: .seconds(10))) }
        assertNoneWoken(woken)
        try cond.withLock { try cond.notify(2) }
        for _ in 0..<2 { XCTAssertTrue(woken.acquire(timeout: .seconds(10))) }
        assertNoneWoken(woken)
        XCTAssertEqual(cond.waitingCount, 4)
        try cond.withLock { try cond.notify(4) }
        for _ in 0..<4 { XCTAssertTrue(woken.acquire(timeout: .seconds(10))) }
        try cond.withLock { try cond.notify(3) }
        assertNoneWoken(woken)
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
    }

    /// _TestCondition.test_timeout: wait(TIMEOUT1) returns False on time.
    func testTimeout() throws {
        let cond = try Condition()
        try cond.acquire()
        let (result, elapsed) = try timed { try cond.wait(timeout: .milliseconds(100)) }
        try cond.release()
        XCTAssertFalse(result)
        assertOnTime(elapsed, 0.100)
    }

    /// _TestCondition.test_waitfor: parent and child hand a shared state value back and forth with wait_for.
    func testWaitFor() throws {
        let cond = try Condition()
        let state = try SharedWords()
        state[0] = -1
        let child = forkChild {
            try cond.withLock {
                state[0] = 0
                try cond.notify()
                let result = try cond.wait(for: { state[0] == 4 })
                return result && state[0] == 4 ? 0 : 1
            }
        }
        try cond.withLock {
            XCTAssertTrue(try cond.wait(for: { state[0] == 0 }, timeout: .seconds(10)))
            XCTAssertEqual(state[0], 0)
        }
        for _ in 0..<4 {
            try cond.withLock {
                state[0] += 1
                try cond.notify()
            }
        }
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// _TestCondition.test_waitfor_timeout: a predicate that never holds (state only reaches 3) makes wait_for
    /// return False, not before its 100 ms timeout.
    func testWaitForTimeout() throws {
        let cond = try Condition()
        let state = try SharedWords()
        let ready = try Semaphore(value: 0)
        let child = forkChild {
            try ready.release()
            return try cond.withLock {
                let start = nowNanoseconds()
                let result = try cond.wait(for: { state[0] == 4 }, timeout: .milliseconds(100))
                let waited = nowNanoseconds() - start
                return !result && waited >= 100_000_000 && waited < 150_000_000 ? 0 : 1
            }
        }
        XCTAssertTrue(ready.acquire(timeout: .seconds(10)))
        for _ in 0..<3 {
            try cond.withLock {
                state[0] += 1
                try cond.notify()
            }
        }
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// _TestCondition.test_wait_result: wait(0) and wait(0.1) are False; a notify from a child makes wait(60)
    /// True.
    func testWaitResult() throws {
        let cond = try Condition()
        try cond.acquire()
        XCTAssertFalse(try cond.wait(timeout: .zero))
        XCTAssertFalse(try cond.wait(timeout: .milliseconds(100)))
        let child = forkChild {
            try cond.withLock { try cond.notify() }
            return 0
        }
        XCTAssertTrue(try cond.wait(timeout: .seconds(60)))
        try cond.release()
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// CPython: wait/notify on an un-acquired lock raise RuntimeError ("cannot wait on un-acquired lock",
    /// "cannot notify on un-acquired lock"); so do they from a process that does not hold it.
    func testWaitAndNotifyWithoutTheLockAreErrors() throws {
        let cond = try Condition()
        XCTAssertThrowsError(try cond.wait(timeout: .zero)) { XCTAssertEqual($0 as? SynchronizeError, .notAcquired) }
        XCTAssertThrowsError(try cond.notify()) { XCTAssertEqual($0 as? SynchronizeError, .notAcquired) }
        XCTAssertThrowsError(try cond.notifyAll()) { XCTAssertEqual($0 as? SynchronizeError, .notAcquired) }
        try cond.acquire()
        let child = forkChild {
            do { try cond.notify() } catch SynchronizeError.notAcquired { return 0 }
            return 1
        }
        XCTAssertEqual(waitExitCode(child), 0)
        try cond.release()
    }

    /// wait releases an RLock however deep it is held (another process can take it meanwhile) and restores the
    /// depth afterwards (threading.Condition's _release_save/_acquire_restore).
    func testWaitReleasesRLockFullyAndRestoresDepth() throws {
        let lock = try RLock()
        let cond = try Condition(lock: lock)
        try lock.acquire()
        try lock.acquire()
        let child = forkChild {
            guard try lock.acquire(timeout: .seconds(10)) else { return 2 }
            try cond.notify()
            try lock.release()
            return 0
        }
        XCTAssertTrue(try cond.wait(timeout: .seconds(10)), "the child took the lock while we waited, and notified")
        XCTAssertEqual(lock.recursionCount, 2)
        try lock.release()
        try lock.release()
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// threading.Condition wakes the waiters queued at the time of notify: one that arrives after a notify(1)
    /// cannot steal it from the waiter it was meant for.
    func testLateWaiterDoesNotStealANotify() throws {
        let cond = try Condition(lock: try Lock())
        let sleeping = try Semaphore(value: 0), woken = try Semaphore(value: 0), timedOut = try Semaphore(value: 0)
        let first = startWaiter(cond, sleeping, woken, timeout: .seconds(10), timedOut: timedOut)
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        try cond.acquire()
        try cond.notify()
        // While we still hold the lock, a second waiter lines up; it can only enter wait after we release.
        let late = startWaiter(cond, sleeping, woken, timeout: .milliseconds(200), timedOut: timedOut)
        try cond.release()
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)))
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)))
        XCTAssertEqual(waitExitCode(first), 0)
        XCTAssertEqual(waitExitCode(late), 0)
        XCTAssertEqual(timedOut.value, 1, "exactly one timed out: the late waiter, not the notified one")
    }

    /// A waiter that timed out leaves the queue: a later notify(1) goes to a live waiter, not to it.
    func testTimedOutWaiterDoesNotAbsorbALaterNotify() throws {
        let cond = try Condition()
        let sleeping = try Semaphore(value: 0), woken = try Semaphore(value: 0), timedOut = try Semaphore(value: 0)
        let quick = startWaiter(cond, sleeping, woken, timeout: .milliseconds(50), timedOut: timedOut)
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)))
        XCTAssertEqual(waitExitCode(quick), 0)
        let patient = startWaiter(cond, sleeping, woken)
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        try cond.withLock { try cond.notify() }
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)), "the live waiter got the notify")
        XCTAssertEqual(waitExitCode(patient), 0)
        XCTAssertEqual(timedOut.value, 1)
    }

    /// A waiter SIGKILLed while waiting does not absorb a notify: notify(1) goes to the live waiter behind it.
    func testWaiterKilledWhileWaitingDoesNotAbsorbANotify() throws {
        let cond = try Condition()
        let sleeping = try Multiprocessing.Semaphore(value: 0), woken = try Multiprocessing.Semaphore(value: 0)
        let doomed = startWaiter(cond, sleeping, woken)
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        let survivor = startWaiter(cond, sleeping, woken)
        XCTAssertTrue(sleeping.acquire(timeout: .seconds(10)))
        try cond.withLock {
            XCTAssertEqual(cond.waitingCount, 2, "both queued (they hold the lock until they wait)")
        }
        kill(doomed, SIGKILL)
        XCTAssertEqual(waitExitCode(doomed), -SIGKILL)
        try cond.withLock { try cond.notify() }
        XCTAssertTrue(woken.acquire(timeout: .seconds(10)), "the survivor was notified")
        XCTAssertEqual(waitExitCode(survivor), 0)
        XCTAssertEqual(cond.waitingCount, 0)
    }

    /// A bounded buffer of one slot between a producer and a consumer process, the classic Condition use:
    /// 2,000 items pass in order.
    func testProducerConsumerOverOneSlot() throws {
        let cond = try Condition(lock: try Lock())
        let words = try SharedWords()  // [0]: full flag, [1]: the item, [2]: consumer's sum
        let consumer = forkChild {
            for expected in 0..<2_000 {
                let item: Int64 = try cond.withLock {
                    guard try cond.wait(for: { words[0] == 1 }, timeout: .seconds(10)) else { return -1 }
                    words[0] = 0
                    try cond.notifyAll()
                    return words[1]
                }
                if item != Int64(expected) { return 1 }
            }
            return 0
        }
        for item in 0..<2_000 {
            try cond.withLock {
                XCTAssertTrue(try cond.wait(for: { words[0] == 0 }, timeout: .seconds(10)))
                words[1] = Int64(item)
                words[0] = 1
                try cond.notifyAll()
            }
        }
        XCTAssertEqual(waitExitCode(consumer), 0)
    }
}

// MARK: - Under every start method

extension ConditionTests {
    /// The parent waits for a predicate that a child makes true and notifies. (CPython: `_TestCondition.test_notify`,
    /// `test_waitfor`.)
    func testWaitForChildNotifyUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = ConditionWork(condition: try Condition(), value: try SharedValue(0))
            try argument.condition.acquire()
            let process = try startChild(method, ChildFunctions.conditionNotify, argument)
            let satisfied = try argument.condition.wait(for: { argument.value.value == 42 }, timeout: .seconds(60))
            try argument.condition.release()
            XCTAssertTrue(satisfied, "under \(method)")
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0)
        }
    }
}
