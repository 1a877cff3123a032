import CShim
import Foundation
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// Mirrors CPython's test/test_concurrent_futures (ProcessPoolExecutor, Future, as_completed, wait) with real
/// worker processes.
final class ExecutorTests: ProcessTestCase {
    override func setUp() {
        // The async test below makes Dispatch open its main-queue eventfd on first use: open it before the
        // descriptor check records the baseline, so that it is not taken for a leak of ours.
        DispatchQueue.main.async {}
        RunLoop.current.run(until: Date())
        super.setUp()
        PoolFunctions.register()
    }

    /// `ExecutorTest.test_submit`: submit(pow, 2, 8).result() == 256.
    func testSubmitResult() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let future = try executor.submit(PoolFunctions.square, 16)
            XCTAssertEqual(try future.result(timeout: .seconds(10)), 256)
            XCTAssertTrue(future.done)
            XCTAssertFalse(future.cancelled)
            XCTAssertFalse(future.running)
        }
    }

    /// `ExecutorTest.test_map`: results in order.
    func testMap() throws {
        try ProcessPoolExecutor.with(maxWorkers: 3) { executor in
            XCTAssertEqual(try executor.map(PoolFunctions.square, 0..<10), (0..<10).map { $0 * $0 })
            XCTAssertEqual(try executor.map(PoolFunctions.square, 0..<100, chunksize: 7), (0..<100).map { $0 * $0 })
        }
    }

    /// `ExecutorTest.test_map_exception`: the first error is raised.
    func testMapException() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            XCTAssertThrowsError(try executor.map(PoolFunctions.failOnFive, 0..<10)) { error in
                XCTAssertEqual((error as? RemoteError)?.message, "five is not allowed")
            }
        }
    }

    /// `ExecutorTest.test_map_timeout`: TimeoutError when results are late.
    func testMapTimeout() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            XCTAssertThrowsError(try executor.map(PoolFunctions.sleepMilliseconds, [0, 0, 400], timeout: .milliseconds(50))) {
                error in XCTAssertEqual(poolError(error), .timedOut)
            }
        }
    }

    /// `ProcessPoolExecutorTest.test_terminate_workers` (CPython 3.14): running calls are stopped, every unfinished
    /// future fails, and new work is refused. The calls sleep 1,000 s: the futures can only finish if they were stopped.
    func testTerminateWorkersStopsRunningCalls() throws {
        let executor = try ProcessPoolExecutor(maxWorkers: 2)
        let futures = try (0..<4).map { _ in try executor.submit(PoolFunctions.sleepMilliseconds, 1_000_000) }
        let deadline = ContinuousClock.now + .seconds(30)
        while !futures.contains(where: \.running) && ContinuousClock.now < deadline { _ = poll(nil, 0, 5) }
        executor.terminateWorkers()
        for future in futures {
            XCTAssertThrowsError(try future.result(timeout: .seconds(30))) { error in
                XCTAssertEqual(poolError(error), .terminated)
            }
        }
        XCTAssertThrowsError(try executor.submit(PoolFunctions.square, 2))
        executor.shutdown(wait: true)
    }

    /// `ProcessPoolExecutorTest.test_max_workers_negative`: max_workers must be greater than 0.
    func testMaxWorkersInvalid() {
        XCTAssertThrowsError(try ProcessPoolExecutor(maxWorkers: 0)) { error in
            XCTAssertTrue("\(error)".contains("max_workers must be greater than 0"))
        }
        XCTAssertThrowsError(try ProcessPoolExecutor(maxWorkers: -1))
    }

    /// `AsCompletedTests.test_no_timeout`: every future is yielded once.
    func testAsCompleted() throws {
        try ProcessPoolExecutor.with(maxWorkers: 3) { executor in
            let futures = try [30, 1, 10, 5].map { try executor.submit(PoolFunctions.sleepMilliseconds, $0) }
            let values = try ProcessPoolExecutor.asCompleted(futures, timeout: .seconds(20)).map { try $0.result() }
            // every future once (as CPython's test checks; which finishes last is the scheduler's business: a
            // 30 ms task need not end after a 10 ms one on a loaded machine, as this assertion once failed)
            XCTAssertEqual(values.sorted(), [1, 5, 10, 30])
        }
    }

    /// `AsCompletedTests.test_zero_timeout` / timeout: iteration raises TimeoutError when futures are late.
    func testAsCompletedTimeout() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let futures = [try executor.submit(PoolFunctions.square, 2),
                           try executor.submit(PoolFunctions.sleepMilliseconds, 400)]
            var iterator = ProcessPoolExecutor.asCompleted(futures, timeout: .milliseconds(100))
            XCTAssertEqual(try iterator.nextFuture()?.result(), 4)
            XCTAssertThrowsError(try iterator.nextFuture()) { error in XCTAssertEqual(poolError(error), .timedOut) }
        }
    }

    /// `AsCompletedTests.test_duplicate_futures`: a future given twice is yielded once.
    func testAsCompletedDuplicates() throws {
        try ProcessPoolExecutor.with(maxWorkers: 1) { executor in
            let future = try executor.submit(PoolFunctions.square, 3)
            XCTAssertEqual(Array(ProcessPoolExecutor.asCompleted([future, future])).count, 1)
        }
    }

    /// `WaitTests.test_first_completed`.
    func testWaitFirstCompleted() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let quick = try executor.submit(PoolFunctions.square, 2)
            let slow = try executor.submit(PoolFunctions.sleepMilliseconds, 500)
            _ = try quick.result(timeout: .seconds(10))
            let (done, notDone) = ProcessPoolExecutor.wait([quick, slow], returnWhen: .firstCompleted)
            XCTAssertEqual(done.count, 1)
            XCTAssertTrue(done[0] === quick)
            XCTAssertTrue(notDone[0] === slow)
        }
    }

    /// `WaitTests.test_first_exception`: returns once a future raised, leaving the slow one pending.
    func testWaitFirstException() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let slower = try executor.submit(PoolFunctions.sleepMilliseconds, 500)
            let failing = try executor.submit(PoolFunctions.failOnFive, 5)
            let (done, notDone) = ProcessPoolExecutor.wait([failing, slower], timeout: .seconds(10),
                                                           returnWhen: .firstException)
            XCTAssertEqual(done.count, 1)
            XCTAssertTrue(done[0] === failing)
            XCTAssertTrue(notDone.count == 1 && notDone[0] === slower)
        }
    }

    /// `WaitTests.test_all_completed`.
    func testWaitAllCompleted() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let futures = try (0..<6).map { try executor.submit(PoolFunctions.sleepMilliseconds, $0 * 5) }
            let (done, notDone) = ProcessPoolExecutor.wait(futures)
            XCTAssertEqual(done.count, 6)
            XCTAssertTrue(notDone.isEmpty)
        }
    }

    /// `WaitTests.test_timeout`: returns the unfinished futures at the timeout.
    func testWaitTimeout() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let quick = try executor.submit(PoolFunctions.square, 1)
            let slow = try executor.submit(PoolFunctions.sleepMilliseconds, 600)
            _ = try quick.result()
            let (done, notDone) = ProcessPoolExecutor.wait([quick, slow], timeout: .milliseconds(50))
            XCTAssertEqual(done.count, 1)
            XCTAssertEqual(notDone.count, 1)
        }
    }

    /// `FutureTests.test_cancel` on a queued future: with one busy worker, a queued call can be cancelled and
    /// never runs; a running one cannot.
    func testCancelQueuedFuture() throws {
        try ProcessPoolExecutor.with(maxWorkers: 1) { executor in
            let busy = try executor.submit(PoolFunctions.sleepMilliseconds, 300)
            let second = try executor.submit(PoolFunctions.sleepMilliseconds, 300)
            let queued = try executor.submit(PoolFunctions.square, 3)
            XCTAssertTrue(queued.cancel())
            XCTAssertTrue(queued.cancelled)
            XCTAssertTrue(queued.done)
            XCTAssertThrowsError(try queued.result()) { error in XCTAssertEqual(poolError(error), .cancelled) }
            XCTAssertThrowsError(try queued.exception()) { error in XCTAssertEqual(poolError(error), .cancelled) }
            // `busy` was sent to the worker at once: it cannot be cancelled.
            XCTAssertFalse(busy.cancel())
            XCTAssertEqual(try busy.result(), 300)
            XCTAssertEqual(try second.result(), 300)
        }
    }

    /// `FutureTests.test_running`: a future is running while a worker has it.
    func testRunning() throws {
        try ProcessPoolExecutor.with(maxWorkers: 1) { executor in
            let future = try executor.submit(PoolFunctions.sleepMilliseconds, 200)
            // Handing the call to a worker happens on the executor's thread: wait for it (bounded).
            let deadline = cshim_now_ns() + 10_000_000_000
            while !future.running && !future.done && cshim_now_ns() < deadline {
                _ = try? future.result(timeout: .milliseconds(1))
            }
            XCTAssertTrue(future.running)
            _ = try future.result()
            XCTAssertFalse(future.running)
        }
    }

    /// `FutureTests.test_exception_with_success` / `..._with_timeout`: exception() returns the error, or nil.
    func testException() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let bad = try executor.submit(PoolFunctions.failOnFive, 5)
            let good = try executor.submit(PoolFunctions.failOnFive, 4)
            XCTAssertEqual((try bad.exception(timeout: .seconds(10)) as? RemoteError)?.message, "five is not allowed")
            XCTAssertNil(try good.exception(timeout: .seconds(10)))
            let slow = try executor.submit(PoolFunctions.sleepMilliseconds, 300)
            XCTAssertThrowsError(try slow.exception(timeout: .milliseconds(5))) { error in
                XCTAssertEqual(poolError(error), .timedOut)
            }
        }
    }

    /// `FutureTests.test_result_with_timeout`: result(timeout) raises TimeoutError.
    func testResultTimeout() throws {
        try ProcessPoolExecutor.with(maxWorkers: 1) { executor in
            let future = try executor.submit(PoolFunctions.sleepMilliseconds, 300)
            XCTAssertThrowsError(try future.result(timeout: .milliseconds(10))) { error in
                XCTAssertEqual(poolError(error), .timedOut)
            }
            XCTAssertEqual(try future.result(), 300)
        }
    }

    /// `FutureDoneCallbackTests`: callbacks run on completion, and at once when added to a done future.
    func testDoneCallbacks() throws {
        let seen = Counter()
        let value = Box<Int?>(nil)
        try ProcessPoolExecutor.with(maxWorkers: 1) { executor in
            let future = try executor.submit(PoolFunctions.square, 7)
            let called = DispatchSemaphore(value: 0)
            future.addDoneCallback { f in
                value.value = try? f.result()
                seen.add()
                called.signal()
            }
            _ = try future.result()
            // The callback runs on the executor's thread, right after the result is set (as in CPython).
            XCTAssertEqual(called.wait(timeout: .now() + 10), .success)
            let before = seen.value
            future.addDoneCallback { _ in seen.add() }  // done already: runs here, now
            XCTAssertEqual(seen.value, before + 1)
        }
        XCTAssertEqual(seen.value, 2)
        XCTAssertEqual(value.value, 49)
    }

    /// `ExecutorShutdownTest.test_run_after_shutdown`: submit after shutdown raises.
    func testSubmitAfterShutdown() throws {
        let executor = try ProcessPoolExecutor(maxWorkers: 1)
        executor.shutdown()
        XCTAssertThrowsError(try executor.submit(PoolFunctions.square, 1)) { error in
            XCTAssertEqual(poolError(error), .notRunning)
        }
    }

    /// `ExecutorShutdownTest.test_cancel_futures`: queued futures are cancelled, running ones finish.
    func testShutdownCancelFutures() throws {
        let executor = try ProcessPoolExecutor(maxWorkers: 1)
        let futures = try (0..<10).map { _ in try executor.submit(PoolFunctions.sleepMilliseconds, 50) }
        executor.shutdown(wait: true, cancelFutures: true)
        let cancelled = futures.filter(\.cancelled).count
        XCTAssertGreaterThanOrEqual(cancelled, 5, "up to four go to the worker at once with a long queue; the rest wait")
        XCTAssertTrue(futures.allSatisfy(\.done))
        for future in futures where !future.cancelled { XCTAssertEqual(try future.result(), 50) }
    }

    /// `ExecutorShutdownTest.test_shutdown_no_wait`: returns at once; the work still completes.
    func testShutdownNoWait() throws {
        var executor: ProcessPoolExecutor? = try ProcessPoolExecutor(maxWorkers: 2)
        let futures = try (0..<4).map { try executor!.submit(PoolFunctions.sleepMilliseconds, $0 * 10) }
        executor!.shutdown(wait: false)
        XCTAssertEqual(try futures.map { try $0.result(timeout: .seconds(10)) }, [0, 10, 20, 30])
        executor = nil  // joins the background shutdown
    }

    /// `ProcessPoolExecutorTest.test_max_tasks_per_child`: workers are replaced after that many tasks.
    func testMaxTasksPerChild() throws {
        try ProcessPoolExecutor.with(maxWorkers: 1, maxTasksPerChild: 2) { executor in
            let pids = try (0..<6).map { try executor.submit(PoolFunctions.pid, $0) }.map { try $0.result() }
            XCTAssertEqual(Set(pids).count, 3)
        }
    }

    /// `ProcessPoolExecutorTest.test_killed_child` with CPython's semantics (`.breakPool`): every pending future
    /// fails with BrokenProcessPool and the executor refuses new work.
    func testBrokenPoolOption() throws {
        let executor = try ProcessPoolExecutor(maxWorkers: 1, onWorkerDeath: .breakPool)
        // The victim waits behind a 300 ms call, so that the pending ones are submitted before it dies.
        let blocker = try executor.submit(PoolFunctions.sleepMilliseconds, 300)
        let victim = try executor.submit(PoolFunctions.exitWith, 9)
        let pending = try (0..<4).map { _ in try executor.submit(PoolFunctions.sleepMilliseconds, 2_000) }
        XCTAssertEqual(try blocker.result(timeout: .seconds(10)), 300)
        XCTAssertThrowsError(try victim.result(timeout: .seconds(10))) { error in
            guard case .brokenPool(let text)? = poolError(error) else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("exited with code 9"), text)
        }
        for future in pending {
            XCTAssertThrowsError(try future.result(timeout: .seconds(10))) { error in
                if case .brokenPool? = poolError(error) {} else { XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try executor.submit(PoolFunctions.square, 1)) { error in
            if case .brokenPool? = poolError(error) {} else { XCTFail("\(error)") }
        }
        executor.shutdown(wait: false)
    }

    /// Our default: a killed worker fails only its own future; the executor goes on.
    func testRecoversFromKilledWorker() throws {
        try ProcessPoolExecutor.with(maxWorkers: 2) { executor in
            let victim = try executor.submit(PoolFunctions.killSelfOn, Pair(1, 1))
            let others = try (0..<10).map { try executor.submit(PoolFunctions.square, $0) }
            XCTAssertThrowsError(try victim.result(timeout: .seconds(10))) { error in
                guard case .workerDied(_, _, let status, _)? = poolError(error) else { return XCTFail("\(error)") }
                XCTAssertEqual(status, "was killed by SIGKILL")
            }
            XCTAssertEqual(try others.map { try $0.result(timeout: .seconds(10)) }, (0..<10).map { $0 * $0 })
            XCTAssertEqual(try executor.submit(PoolFunctions.square, 11).result(), 121)
        }
    }

    /// Late registration and unencodable arguments fail at submit, in the caller.
    func testSubmitTimeErrors() throws {
        try ProcessPoolExecutor.with(maxWorkers: 1) { executor in
            let late = try RemoteFunction("executortest.late.\(cshim_now_ns())") { (x: Int) in x }
            XCTAssertThrowsError(try executor.submit(late, 1)) { error in
                XCTAssertTrue("\(error)".contains("registered after this pool started its workers"))
            }
            XCTAssertThrowsError(try executor.submit(PoolFunctions.unencodableArgument, Unencodable()))
        }
    }

    /// Futures in async code: `try await future.value`.
    func testAsyncFutureValue() async throws {
        let executor = try ProcessPoolExecutor(maxWorkers: 2)
        let future = try executor.submit(PoolFunctions.square, 12)
        let value = try await future.value
        XCTAssertEqual(value, 144)
        executor.shutdown()
    }

    /// `ExecutorTest.test_map_submits_without_iteration` spirit: many submissions, none lost.
    func testManySubmissions() throws {
        try ProcessPoolExecutor.with(maxWorkers: 3) { executor in
            let futures = try (0..<1000).map { try executor.submit(PoolFunctions.square, $0) }
            var total = 0
            for future in ProcessPoolExecutor.asCompleted(futures, timeout: .seconds(30)) { total += try future.result() }
            XCTAssertEqual(total, (0..<1000).reduce(0) { $0 + $1 * $1 })
        }
    }
}
