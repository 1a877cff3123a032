import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// CPython's _TestBarrier with N = 3 processes (CPython uses 5 threads or processes); each party is a forked
/// child, and the "results" lists are semaphores used as shared counters.
final class BarrierTests: ProcessTestCase {
    private let n = 3

    /// Forks `n` parties running `body`, waits for all, and returns their exit codes.
    private func runParties(_ body: @escaping () throws -> Int32) -> [Int32] {
        let children = (0..<n).map { _ in forkChild(body) }
        return children.map { waitExitCode($0) }
    }

    private func counter() throws -> Multiprocessing.Semaphore { try Multiprocessing.Semaphore(value: 0) }

    /// _TestBarrier.test_barrier / test_barrier_10 (multipass): the parties pass in lockstep for 10
    /// generations; after each wait every party has appended before anyone appends again.
    func testBarrier10() throws {
        let barrier = try Barrier(parties: n, timeout: .seconds(10))
        let first = try counter(), second = try counter()
        let passes = 10
        let codes = runParties { [n] in
            for i in 0..<passes {
                try first.release()
                guard second.value == i * n else { return 2 }
                try barrier.wait()
                try second.release()
                guard first.value == (i + 1) * n else { return 3 }
                try barrier.wait()
            }
            guard barrier.nWaiting == 0, !barrier.broken else { return 4 }
            return 0
        }
        XCTAssertEqual(codes, Array(repeating: 0, count: n))
        XCTAssertEqual(first.value, passes * n)
    }

    /// _TestBarrier.test_wait_return: the indices of one generation are 0..<parties, each once.
    func testWaitReturn() throws {
        let barrier = try Barrier(parties: n, timeout: .seconds(10))
        let seen = try SharedWords()
        let lock = try Lock()
        let codes = runParties {
            let index = try barrier.wait()
            try lock.withLock { seen[index] += 1 }
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual([seen[0], seen[1], seen[2]], [1, 1, 1])
    }

    /// _TestBarrier.test_action: the action runs once, before any party leaves wait.
    func testAction() throws {
        let results = try counter()
        let barrier = try Barrier(parties: n, action: { try results.release() }, timeout: .seconds(10))
        let codes = runParties {
            try barrier.wait()
            return results.value == 1 ? 0 : 1
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(results.value, 1)
    }

    /// An action that throws breaks the barrier: its party rethrows the action's error, the others get
    /// BrokenBarrierError (threading.Barrier._release).
    func testActionThatThrowsBreaksTheBarrier() throws {
        struct ActionFailed: Error {}
        let barrier = try Barrier(parties: n, action: { throw ActionFailed() }, timeout: .seconds(10))
        let codes = runParties {
            do { try barrier.wait() } catch is ActionFailed { return 10 } catch is BrokenBarrierError { return 20 }
            return 1
        }
        XCTAssertEqual(codes.sorted(), [10, 20, 20])
        XCTAssertTrue(barrier.broken)
    }

    /// _TestBarrier.test_abort: the party with index N//2 aborts instead of waiting again; the other N-1 get
    /// BrokenBarrierError and the barrier is broken.
    func testAbort() throws {
        let barrier = try Barrier(parties: n, timeout: .seconds(10))
        let results1 = try counter(), results2 = try counter()
        let codes = runParties { [n] in
            do {
                let i = try barrier.wait()
                if i == n / 2 {
                    try barrier.abort()
                    return 0
                }
                try barrier.wait()
                try results1.release()
            } catch is BrokenBarrierError {
                try results2.release()
            }
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(results1.value, 0)
        XCTAssertEqual(results2.value, n - 1)
        XCTAssertTrue(barrier.broken)
    }

    /// _TestBarrier.test_reset: once the others wait, the party with index N//2 resets; they get
    /// BrokenBarrierError, and then all N pass the barrier again.
    func testReset() throws {
        let barrier = try Barrier(parties: n, timeout: .seconds(10))
        let results1 = try counter(), results2 = try counter(), results3 = try counter()
        let codes = runParties { [n] in
            let i = try barrier.wait()
            if i == n / 2 {
                // Wait until the other parties are all in the barrier (CPython polls n_waiting too).
                let deadline = nowNanoseconds() + 10_000_000_000
                while barrier.nWaiting < n - 1 {
                    if nowNanoseconds() > deadline { return 5 }
                    sched_yield()
                }
                try barrier.reset()
            } else {
                do {
                    try barrier.wait()
                    try results1.release()
                } catch is BrokenBarrierError {
                    try results2.release()
                }
            }
            try barrier.wait()
            try results3.release()
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(results1.value, 0)
        XCTAssertEqual(results2.value, n - 1)
        XCTAssertEqual(results3.value, n)
    }

    /// _TestBarrier.test_abort_and_reset: after an abort, a second barrier synchronises everyone, one party
    /// resets the first, and all N pass it again.
    func testAbortAndReset() throws {
        let barrier = try Barrier(parties: n, timeout: .seconds(10))
        let barrier2 = try Barrier(parties: n, timeout: .seconds(10))
        let results1 = try counter(), results2 = try counter(), results3 = try counter()
        let codes = runParties { [n] in
            do {
                let i = try barrier.wait()
                if i == n / 2 {
                    try barrier.abort()
                } else {
                    try barrier.wait()
                    try results1.release()
                }
            } catch is BrokenBarrierError {
                try results2.release()
            }
            if try barrier2.wait() == n / 2 { try barrier.reset() }
            try barrier2.wait()
            try barrier.wait()
            try results3.release()
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(results1.value, 0)
        XCTAssertEqual(results2.value, n - 1)
        XCTAssertEqual(results3.value, n)
        XCTAssertFalse(barrier.broken)
    }

    /// _TestBarrier.test_timeout: one party is late; the others' wait(0.5) times out, which breaks the
    /// barrier, so every party, the late one included, gets BrokenBarrierError.
    func testTimeout() throws {
        let barrier = try Barrier(parties: n, timeout: .seconds(10))
        let results = try counter()
        let codes = runParties { [n] in
            let i = try barrier.wait()
            if i == n / 2 {
                // Late on purpose: arrive only once the others' timeout has broken the barrier.
                let deadline = nowNanoseconds() + 10_000_000_000
                while !barrier.broken {
                    if nowNanoseconds() > deadline { return 5 }
                    sched_yield()
                }
            }
            do { try barrier.wait(timeout: .milliseconds(200)) } catch is BrokenBarrierError { try results.release() }
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(results.value, n)
    }

    /// _TestBarrier.test_default_timeout: the same with the barrier's own timeout (Barrier(N, timeout=0.5)).
    func testDefaultTimeout() throws {
        let barrier = try Barrier(parties: n, timeout: .milliseconds(200))
        let results = try counter()
        let codes = runParties { [n] in
            let i = try barrier.wait(timeout: .seconds(10))
            if i == n / 2 {
                let deadline = nowNanoseconds() + 10_000_000_000
                while !barrier.broken {
                    if nowNanoseconds() > deadline { return 5 }
                    sched_yield()
                }
            }
            do { try barrier.wait() } catch is BrokenBarrierError { try results.release() }
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(results.value, n)
    }

    /// A lone wait times out on time and leaves the barrier broken; reset makes it usable again.
    func testTimedOutWaitBreaksTheBarrierOnTime() throws {
        let barrier = try Barrier(parties: 2)
        let start = nowNanoseconds()
        XCTAssertThrowsError(try barrier.wait(timeout: .milliseconds(100))) { XCTAssertTrue($0 is BrokenBarrierError) }
        assertOnTime(Double(nowNanoseconds() - start) / 1e9, 0.100)
        XCTAssertTrue(barrier.broken)
        XCTAssertThrowsError(try barrier.wait(timeout: .seconds(1))) { XCTAssertTrue($0 is BrokenBarrierError) }
        try barrier.reset()
        XCTAssertFalse(barrier.broken)
        let child = forkChild { try barrier.wait(timeout: .seconds(10)) >= 0 ? 0 : 1 }
        XCTAssertNoThrow(try barrier.wait(timeout: .seconds(10)))
        XCTAssertEqual(waitExitCode(child), 0)
    }

    /// _TestBarrier.test_single_thread: Barrier(1) passes at once, twice.
    func testSingleThread() throws {
        let barrier = try Barrier(parties: 1)
        XCTAssertEqual(try barrier.wait(), 0)
        XCTAssertEqual(try barrier.wait(), 0)
        XCTAssertEqual(barrier.parties, 1)
    }

    /// _TestBarrier.test_thousand: N processes pass the barrier 1,000 times, each logging the pass number
    /// under a lock after each wait; the log reads 0,0,0,1,1,1,… (no party ever runs a generation ahead).
    func testThousand() throws {
        let passes = 1_000
        let barrier = try Barrier(parties: n, timeout: .seconds(30))
        let lock = try Lock()
        let log = try SharedMemory(anonymousSize: 8 * (passes * n + 1))
        let words = log.buffer.baseAddress!.bindMemory(to: Int64.self, capacity: passes * n + 1)
        let codes = runParties {
            for i in 0..<passes {
                try barrier.wait()
                try lock.withLock {
                    let at = Int(words[0])
                    words[1 + at] = Int64(i)
                    words[0] = Int64(at + 1)
                }
            }
            return 0
        }
        XCTAssertEqual(codes, [0, 0, 0])
        XCTAssertEqual(words[0], Int64(passes * n))
        let logged = (0..<passes * n).map { words[1 + $0] }
        XCTAssertEqual(logged, (0..<passes * n).map { Int64($0 / n) })
    }

    /// n_waiting counts the parties in wait; parties is the constructor's count.
    func testNWaitingAndParties() throws {
        let barrier = try Barrier(parties: 3, timeout: .seconds(10))
        XCTAssertEqual(barrier.parties, 3)
        XCTAssertEqual(barrier.nWaiting, 0)
        let children = (0..<2).map { _ in forkChild { try barrier.wait() >= 0 ? 0 : 1 } }
        let deadline = nowNanoseconds() + 10_000_000_000
        while barrier.nWaiting < 2 && nowNanoseconds() < deadline { sched_yield() }
        XCTAssertEqual(barrier.nWaiting, 2)
        XCTAssertEqual(try barrier.wait(), 2, "the last to arrive has index parties - 1")
        for child in children { XCTAssertEqual(waitExitCode(child), 0) }
        XCTAssertEqual(barrier.nWaiting, 0)
    }
}

// MARK: - Under every start method

extension BarrierTests {
    /// The parent and two children pass a 3-party barrier together, each with its own index. (CPython:
    /// `_TestBarrier.test_barrier`, `test_wait_return`.)
    func testBarrierWithChildrenUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = BarrierWork(barrier: try Barrier(parties: 3, timeout: .seconds(60)), results: try Queue<Int>())
            let children = try (0..<2).map { _ in try startChild(method, ChildFunctions.barrierWait, argument) }
            let mine = try argument.barrier.wait()
            for child in children {
                XCTAssertTrue(try child.join(timeout: .seconds(60)))
                XCTAssertEqual(child.exitCode, 0, "under \(method)")
            }
            let theirs = try (0..<2).map { _ in try argument.results.get(timeout: .seconds(5)) }
            XCTAssertEqual(Set([mine] + theirs), [0, 1, 2], "under \(method)")
        }
    }

    /// A barrier's action is a closure: it cannot be sent to a forkserver or spawn child, and start() says so.
    func testBarrierWithActionIsRefusedByForkserverAndSpawn() throws {
        let argument = BarrierWork(barrier: try Barrier(parties: 2, action: {}), results: try Queue<Int>())
        for method in [StartMethod.forkserver, .spawn] {
            XCTAssertThrowsError(try startChild(method, ChildFunctions.barrierWait, argument)) { error in
                XCTAssertTrue("\(error)".contains("a Barrier with an action cannot be sent"), "\(error)")
            }
        }
    }
}
