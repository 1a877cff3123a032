import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class SemaphoreTests: ProcessTestCase {
    /// _TestSemaphore._test_semaphore + test_semaphore: values 2 → 1 → 0, acquire(False) False at 0, releases
    /// climb past the initial value (3, 4) for an unbounded Semaphore.
    func testSemaphore() throws {
        let sem = try Semaphore(value: 2)
        XCTAssertEqual(sem.value, 2)
        XCTAssertTrue(sem.acquire())
        XCTAssertEqual(sem.value, 1)
        XCTAssertTrue(sem.acquire())
        XCTAssertEqual(sem.value, 0)
        XCTAssertFalse(sem.acquire(block: false))
        XCTAssertEqual(sem.value, 0)
        try sem.release()
        XCTAssertEqual(sem.value, 1)
        try sem.release()
        XCTAssertEqual(sem.value, 2)
        try sem.release()
        XCTAssertEqual(sem.value, 3)
        try sem.release()
        XCTAssertEqual(sem.value, 4)
    }

    /// _TestSemaphore.test_bounded_semaphore, with the over-release CPython leaves commented out on macOS:
    /// `ValueError: semaphore or lock released too many times`, value unchanged.
    func testBoundedSemaphore() throws {
        let sem = try BoundedSemaphore(value: 2)
        XCTAssertTrue(sem.acquire())
        XCTAssertTrue(sem.acquire())
        XCTAssertFalse(sem.acquire(block: false))
        try sem.release()
        try sem.release()
        XCTAssertEqual(sem.value, 2)
        XCTAssertThrowsError(try sem.release()) { error in
            XCTAssertEqual(error as? SynchronizeError, .releasedTooManyTimes)
            XCTAssertTrue("\(error)".contains("released too many times"), "\(error)")
        }
        XCTAssertEqual(sem.value, 2)
        XCTAssertEqual("\(sem)", "<BoundedSemaphore(value=2, maxvalue=2)>")
    }

    /// BoundedSemaphore over-release from another process is refused too (the bound lives in shared memory).
    func testBoundedSemaphoreOverReleaseInChild() throws {
        let sem = try BoundedSemaphore(value: 1)
        let child = forkChild {
            do { try sem.release() } catch SynchronizeError.releasedTooManyTimes { return sem.value == 1 ? 0 : 3 }
            return 2
        }
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertEqual(sem.value, 1)
    }

    /// _TestSemaphore.test_timeout: acquire(False) → False at once, acquire(False, TIMEOUT1) ignores the
    /// timeout, acquire(True, TIMEOUT2) and acquire(timeout=TIMEOUT3) return False on time.
    func testTimeout() throws {
        let sem = try Semaphore(value: 0)
        var (got, elapsed) = timed { sem.acquire(block: false) }
        XCTAssertFalse(got)
        XCTAssertLessThan(elapsed, 0.010)
        (got, elapsed) = timed { sem.acquire(block: false, timeout: .milliseconds(100)) }
        XCTAssertFalse(got)
        XCTAssertLessThan(elapsed, 0.010, "a non-blocking acquire ignores its timeout")
        (got, elapsed) = timed { sem.acquire(block: true, timeout: .milliseconds(100)) }
        XCTAssertFalse(got)
        assertOnTime(elapsed, 0.100)
        (got, elapsed) = timed { sem.acquire(timeout: .milliseconds(200)) }
        XCTAssertFalse(got)
        assertOnTime(elapsed, 0.200)
        (got, elapsed) = timed { sem.acquire(timeout: .zero) }
        XCTAssertFalse(got, "acquire(True, 0)")
        XCTAssertLessThan(elapsed, 0.010)
    }

    /// A release in another process wakes a blocked acquire at once (long before its timeout).
    func testReleaseInChildWakesBlockedAcquire() throws {
        let sem = try Semaphore(value: 0)
        let started = try Event()
        let child = forkChild {
            started.wait(timeout: .seconds(10))
            try sem.release()
            return 0
        }
        started.set()
        let (got, elapsed) = timed { sem.acquire(timeout: .seconds(10)) }
        XCTAssertTrue(got)
        XCTAssertLessThan(elapsed, 1.0)
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertEqual(sem.value, 0)
    }

    /// A Semaphore(2) admits at most two processes at once: 5 processes record the concurrency they see.
    func testAdmitsAtMostValueProcessesAtOnce() throws {
        let sem = try Semaphore(value: 2)
        let guardLock = try Lock()
        let words = try SharedWords()  // [0]: inside now, [1]: most seen inside
        let children = (0..<5).map { _ in
            forkChild {
                for _ in 0..<300 {
                    try sem.withAcquired {
                        try guardLock.withLock {
                            words[0] += 1
                            words[1] = max(words[1], words[0])
                        }
                        sched_yield()
                        try guardLock.withLock { words[0] -= 1 }
                    }
                }
                return 0
            }
        }
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(words[0], 0)
        XCTAssertLessThanOrEqual(words[1], 2)
        XCTAssertEqual(sem.value, 2)
    }

    /// Exact counts under contention: 2 producers release 20,000 units in all, 2 consumers take 10,000 each
    /// with blocking acquires; nothing is lost or duplicated.
    func testProducersAndConsumersCountExactly() throws {
        let sem = try Semaphore(value: 0)
        let producers = (0..<2).map { _ in
            forkChild {
                for _ in 0..<10_000 { try sem.release() }
                return 0
            }
        }
        let consumers = (0..<2).map { _ in
            forkChild {
                for _ in 0..<10_000 { guard sem.acquire(timeout: .seconds(20)) else { return 2 } }
                return 0
            }
        }
        for child in producers + consumers { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(sem.value, 0)
    }

    /// A negative initial value is refused (CPython: ValueError "semaphore initial value must be >= 0").
    func testNegativeInitialValueIsRefused() {
        XCTAssertThrowsError(try Semaphore(value: -1)) { error in
            XCTAssertEqual((error as? SystemError)?.errno, EINVAL)
        }
        XCTAssertEqual("\(try Semaphore(value: 3))", "<Semaphore(value=3)>")
    }
}

// MARK: - Under every start method

extension SemaphoreTests {
    /// Releases in a child are units for the parent. (CPython: `_TestSemaphore.test_semaphore`.)
    func testSemaphoreReleasedByChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let semaphore = try Multiprocessing.Semaphore(value: 0)
            XCTAssertEqual(try runChild(method, ChildFunctions.semaphoreRelease, SemaphoreWork(semaphore: semaphore, releases: 3)),
                           0, "under \(method)")
            XCTAssertEqual(semaphore.value, 3, "under \(method)")
            for _ in 0..<3 { XCTAssertTrue(semaphore.tryAcquire()) }
            XCTAssertFalse(semaphore.tryAcquire())
        }
    }

    /// The bound travels with a BoundedSemaphore: the child's extra release is refused. (CPython:
    /// `test_bounded_semaphore`.)
    func testBoundedSemaphoreBoundInChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = BoundedWork(semaphore: try BoundedSemaphore(value: 1), results: try Queue<String>())
            XCTAssertEqual(try runChild(method, ChildFunctions.boundedOverRelease, argument), 0, "under \(method)")
            let answer = try argument.results.get(timeout: .seconds(5))
            XCTAssertEqual(answer, "\(SynchronizeError.releasedTooManyTimes)", "under \(method)")
            XCTAssertEqual(argument.semaphore.value, 1)
        }
    }
}
