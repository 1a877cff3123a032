import CShim
import Dispatch
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` and returns how long it took, in seconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = nowNanoseconds()
    let result = try body()
    return (result, Double(nowNanoseconds() - start) / 1e9)
}

/// CPython's `assertTimingAlmostEqual` with the ±50 ms this project asks of every timeout: never early, at
/// most 50 ms late.
func assertOnTime(_ elapsed: Double, _ expected: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertGreaterThanOrEqual(elapsed, expected - 0.001, "returned early", file: file, line: line)
    XCTAssertLessThan(elapsed, expected + 0.050, "returned \(Int((elapsed - expected) * 1000)) ms late", file: file, line: line)
}

/// Waits (at most 10 s) until process `pid` is asleep in the kernel (state S in /proc/pid/stat), e.g. blocked
/// in a futex wait; the parent reads /proc, the child does nothing extra.
@discardableResult
func waitUntilSleeping(_ pid: pid_t) -> Bool {
    let deadline = nowNanoseconds() + 10_000_000_000
    while nowNanoseconds() < deadline {
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "S" {
            return true
        }
        sched_yield()
    }
    return false
}

/// Shared scratch words for tests: Int64 slots in an anonymous shared page, visible to forked children.
final class SharedWords: @unchecked Sendable {  // shared memory; tests order their accesses with the primitives
    let memory: SharedMemory
    init() throws { memory = try SharedMemory(anonymousSize: 4096, debugName: "mpsh-test-words") }
    subscript(index: Int) -> Int64 {
        get { (memory.buffer.baseAddress! + 8 * index).load(as: Int64.self) }
        set { (memory.buffer.baseAddress! + 8 * index).storeBytes(of: newValue, as: Int64.self) }
    }
    /// Spins (yielding) until slot `index` holds `value`, at most 10 s; false on timeout.
    @discardableResult
    func spin(until index: Int, is value: Int64) -> Bool {
        let deadline = nowNanoseconds() + 10_000_000_000
        while self[index] != value {
            if nowNanoseconds() > deadline { return false }
            sched_yield()
        }
        return true
    }
}


final class LockTests: ProcessTestCase {
    /// CPython's reprs (synchronize.py SemLock/RLock __repr__): free, held here, held by another process.
    func testReprsMirrorCPython() throws {
        let lock = try Lock(), rlock = try RLock()
        let me = Multiprocessing.Process.current.name
        XCTAssertEqual("\(lock)", "<Lock(owner=None)>")
        XCTAssertEqual("\(rlock)", "<RLock(None, 0)>")
        try lock.acquire()
        try rlock.acquire()
        try rlock.acquire()
        XCTAssertEqual("\(lock)", "<Lock(owner=\(me))>")
        XCTAssertEqual("\(rlock)", "<RLock(\(me), 2)>")
        try lock.release()
        try rlock.release()
        try rlock.release()
        let held = try Queue<Int>(), done = try Queue<Int>()
        let other = Multiprocessing.Process {
            try lock.acquire()
            try rlock.acquire()
            try held.put(1)
            _ = try done.get(timeout: .seconds(10))
        }
        try other.start()
        _ = try held.get(timeout: .seconds(10))
        XCTAssertEqual("\(lock)", "<Lock(owner=SomeOtherProcess)>")
        XCTAssertEqual("\(rlock)", "<RLock(SomeOtherProcess, nonzero)>")
        try done.put(1)
        try other.join()
    }

    /// _TestLock.test_lock: acquire → True; acquire(False) by the holder → False; release; a second release
    /// raises (CPython: ValueError "semlock is not acquired").
    func testLock() throws {
        let lock = try Lock()
        XCTAssertTrue(try lock.acquire())
        XCTAssertFalse(try lock.acquire(block: false))
        try lock.release()
        XCTAssertThrowsError(try lock.release()) { XCTAssertEqual($0 as? SynchronizeError, .notAcquired) }
    }

    /// _TestLock.test_lock_context: `with self.Lock(): pass` — withLock acquires and releases.
    func testLockContext() throws {
        let lock = try Lock()
        let inside = try lock.withLock { lock.isHeldByCaller }
        XCTAssertTrue(inside)
        XCTAssertFalse(lock.isHeldByCaller)
        XCTAssertTrue(try lock.tryAcquire(), "released after the block")
        try lock.release()
    }

    /// `with lock:` releases when the body raises.
    func testWithLockReleasesWhenBodyThrows() throws {
        let lock = try Lock()
        struct Boom: Error {}
        XCTAssertThrowsError(try lock.withLock { throw Boom() }) { XCTAssertTrue($0 is Boom) }
        XCTAssertTrue(try lock.tryAcquire())
        try lock.release()
    }

    /// A lock held in one process excludes another: acquire(False) there is False, and the timed acquire
    /// returns False on time (CPython `acquire(True, TIMEOUT)`), until the holder releases.
    func testHeldInChildExcludesParentAndTimeoutReturnsOnTime() throws {
        let lock = try Lock()
        let words = try SharedWords()
        let release = try Event()
        let child = forkChild {
            try lock.acquire()
            words[0] = 1
            release.wait(timeout: .seconds(10))
            try lock.release()
            return 0
        }
        XCTAssertTrue(words.spin(until: 0, is: 1))
        XCTAssertFalse(try lock.acquire(block: false))
        XCTAssertFalse(try lock.tryAcquire())
        let (got, elapsed) = try timed { try lock.acquire(timeout: .milliseconds(150)) }
        XCTAssertFalse(got)
        assertOnTime(elapsed, 0.150)
        release.set()
        XCTAssertTrue(try lock.acquire(timeout: .seconds(10)), "released by the child")
        try lock.release()
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// Who may release: only the holder. CPython lets any process release a Lock; we do not (death recovery
    /// needs an owner). Another process's release is SynchronizeError.notAcquired and changes nothing.
    func testReleaseByAnotherProcessIsAnErrorAndLeavesTheLockHeld() throws {
        let lock = try Lock()
        try lock.acquire()
        let child = forkChild {
            do { try lock.release() } catch SynchronizeError.notAcquired { return try lock.tryAcquire() ? 3 : 0 }
            return 2
        }
        XCTAssertEqual(waitExitCode(child), 0, "release in the child threw notAcquired and the lock stayed held")
        XCTAssertTrue(lock.isHeldByCaller)
        try lock.release()
    }

    /// CPython's Lock deadlocks when its holder acquires it again (blocking); ours throws alreadyHeld.
    func testBlockingReacquireByHolderThrowsInsteadOfDeadlocking() throws {
        let lock = try Lock()
        try lock.acquire()
        XCTAssertThrowsError(try lock.acquire()) { error in
            XCTAssertEqual(error as? SynchronizeError, .alreadyHeld)
            XCTAssertTrue("\(error)".contains("use RLock"), "\(error)")
        }
        XCTAssertThrowsError(try lock.acquire(timeout: .milliseconds(10))) {
            XCTAssertEqual($0 as? SynchronizeError, .alreadyHeld)
        }
        try lock.release()
    }

    /// The holder is SIGKILLed while a process waits: the waiter gets the lock and is told the previous owner
    /// died; after release the lock is ordinary again.
    func testHolderSIGKILLedWaiterRecoversAndIsTold() throws {
        let lock = try Lock()
        let words = try SharedWords()
        let holder = forkChild {
            try lock.acquire()
            words[0] = 1
            while true { pause() }
        }
        XCTAssertTrue(words.spin(until: 0, is: 1))
        let waiter = forkChild {
            words[1] = 1
            guard try lock.acquire(timeout: .seconds(10)) else { return 2 }
            let told = lock.lastAcquisitionRecoveredFromDeadOwner
            try lock.release()
            return told ? 0 : 3
        }
        XCTAssertTrue(words.spin(until: 1, is: 1))
        XCTAssertTrue(waitUntilSleeping(waiter), "the waiter is blocked in acquire")
        kill(holder, SIGKILL)
        XCTAssertEqual(waitExitCode(holder), -SIGKILL)
        XCTAssertEqual(waitExitCode(waiter), 0, "the waiter acquired the lock and was told its owner died")
        XCTAssertTrue(try lock.tryAcquire())
        XCTAssertFalse(lock.lastAcquisitionRecoveredFromDeadOwner, "an ordinary acquisition afterwards")
        try lock.release()
    }

    /// The holder dies (exits) holding the lock with nobody waiting: the next acquirer is told.
    func testHolderExitsHoldingLockNextAcquirerIsTold() throws {
        let lock = try Lock()
        let holder = forkChild {
            try lock.acquire()
            return 7
        }
        XCTAssertEqual(waitExitCode(holder), 7)
        XCTAssertTrue(try lock.acquire(timeout: .seconds(1)))
        XCTAssertTrue(lock.lastAcquisitionRecoveredFromDeadOwner)
        try lock.release()
    }

    /// Mutual exclusion under contention: 4 processes × 10,000 non-atomic increments of a shared counter,
    /// each under the lock, give exactly 40,000.
    func testFourProcessesTimesTenThousandIncrementsAreExact() throws {
        let lock = try Lock()
        let words = try SharedWords()
        let children = (0..<4).map { _ in
            forkChild {
                for _ in 0..<10_000 {
                    try lock.withLock {
                        let v = words[0]
                        words[0] = v + 1
                    }
                }
                return 0
            }
        }
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(words[0], 40_000)
    }

    /// The holder is a thread: another thread of the same process is excluded, cannot release it, and gets it
    /// once the holder releases (CPython's _TestLock also runs with threads).
    func testLockBetweenThreadsOfOneProcess() throws {
        let lock = try Lock()
        try lock.acquire()
        let report = try SharedWords()  // [0]: try while held, [1]: release error, [2]: acquired after release
        let released = try Multiprocessing.Event(), tried = try Multiprocessing.Event(), finished = try Multiprocessing.Event()
        let thread = JoinedThread {
            report[0] = (try? lock.tryAcquire()) == true ? 1 : 0
            do { try lock.release() } catch { report[1] = (error as? SynchronizeError) == .notAcquired ? 1 : 2 }
            tried.set()
            released.wait(timeout: .seconds(10))
            report[2] = (try? lock.acquire(timeout: .seconds(10))) == true ? 1 : 0
            try? lock.release()
            finished.set()
        }
        XCTAssertTrue(tried.wait(timeout: .seconds(10)))
        XCTAssertTrue(lock.isHeldByCaller, "still ours")
        try lock.release()
        released.set()
        XCTAssertTrue(finished.wait(timeout: .seconds(10)))
        XCTAssertTrue(thread.join(timeout: .seconds(10)), "the thread ended")
        XCTAssertEqual([report[0], report[1], report[2]], [0, 1, 1])
    }

    /// Primitives placed side by side in one caller page (as Value and Array place their lock) work across
    /// processes.
    func testPrimitivesPlacedSideBySideInOnePage() throws {
        let memory = try SharedMemory(anonymousSize: 8192)
        let lock = try Lock(placedIn: memory, offset: 0, initialize: true)
        let sem = try Multiprocessing.Semaphore(value: 0, placedIn: memory, offset: 128, initialize: true)
        let event = Multiprocessing.Event(placedIn: memory, offset: 192, initialize: true)
        let cond = Condition(lock: lock, placedIn: memory, offset: 256, initialize: true)
        let words = memory.buffer.baseAddress! + 4096
        let child = forkChild {
            try sem.release()
            guard event.wait(timeout: .seconds(10)) else { return 2 }
            try cond.withLock {
                words.storeBytes(of: 42, as: Int64.self)
                try cond.notifyAll()
            }
            return 0
        }
        XCTAssertTrue(sem.acquire(timeout: .seconds(10)))
        try cond.withLock {
            event.set()
            XCTAssertTrue(try cond.wait(for: { words.load(as: Int64.self) == 42 }, timeout: .seconds(10)))
        }
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// A lock placed in a caller's shared memory works like one of its own.
    func testLockPlacedInCallerMemory() throws {
        let memory = try SharedMemory(anonymousSize: 4096)
        let lock = try Lock(placedIn: memory, offset: 64, initialize: true)
        let same = try Lock(placedIn: memory, offset: 64, initialize: false)
        try lock.acquire()
        XCTAssertTrue(same.isHeldByCaller, "two views of one lock")
        let child = forkChild { try same.tryAcquire() ? 1 : 0 }
        XCTAssertEqual(waitExitCode(child), 0)
        try same.release()
    }
}

// MARK: - Under every start method

extension LockTests {
    /// A lock held by a child is held for the parent too, and released by it. (CPython: `_TestLock.test_lock`
    /// across processes.)
    func testLockHeldByChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = LockHolder(lock: try Lock(), held: try Event(), release: try Event(), releaseBeforeExit: true)
            let process = try startChild(method, ChildFunctions.holdLock, argument)
            XCTAssertTrue(argument.held.wait(timeout: .seconds(60)), "under \(method)")
            XCTAssertFalse(try argument.lock.acquire(block: false, timeout: nil), "under \(method): the child holds it")
            argument.release?.set()
            XCTAssertTrue(try argument.lock.acquire(block: true, timeout: .seconds(60)), "under \(method)")
            XCTAssertFalse(argument.lock.lastAcquisitionRecoveredFromDeadOwner)
            try argument.lock.release()
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0)
        }
    }

    /// A child that dies holding the lock does not wedge it: the next holder recovers it and is told. Under the
    /// fork server this also shows that its children have their own thread id and robust list.
    func testLockRecoveredFromDeadChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = LockHolder(lock: try Lock(), held: try Event(), release: nil, releaseBeforeExit: false)
            XCTAssertEqual(try runChild(method, ChildFunctions.holdLock, argument), 3, "under \(method)")
            XCTAssertTrue(argument.held.isSet)
            XCTAssertTrue(try argument.lock.acquire(block: true, timeout: .seconds(10)), "under \(method)")
            XCTAssertTrue(argument.lock.lastAcquisitionRecoveredFromDeadOwner, "under \(method)")
            try argument.lock.release()
        }
    }
}
