import CShim
import Foundation
import Multiprocessing
import Synchronization
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// Mirrors CPython's `_TestPool` (test/_test_multiprocessing.py) with real worker processes.
final class PoolTests: ProcessTestCase {
    override func setUp() {
        super.setUp()
        PoolFunctions.register()
    }

    private func withPool<T>(_ processes: Int = 4, _ body: (Pool) throws -> T) throws -> T {
        try Pool.with(processes: processes, body)
    }

    /// CPython `test_apply`: apply(sqr, (5,)) == 25.
    func testApply() throws {
        try withPool { pool in
            XCTAssertEqual(try pool.apply(PoolFunctions.square, 5), 25)
            XCTAssertEqual(try pool.apply(PoolFunctions.add, Pair(3, 4)), 7)
        }
    }

    /// CPython `test_map`: map(sqr, range(10)) in order, and with chunksize 1 and 10 (map order).
    func testMapOrder() throws {
        try withPool { pool in
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<10), (0..<10).map { $0 * $0 })
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<100, chunksize: 1), (0..<100).map { $0 * $0 })
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<1000, chunksize: 7), (0..<1000).map { $0 * $0 })
        }
    }

    /// CPython `test_map_chunksize` / `test_empty_iterable`: an empty input gives an empty list; a chunksize below
    /// 1 is an error.
    func testEmptyInputAndBadChunksize() throws {
        try withPool(2) { pool in
            XCTAssertEqual(try pool.map(PoolFunctions.square, [Int]()), [])
            XCTAssertEqual(try pool.imap(PoolFunctions.square, [Int]()).collect(), [])
            XCTAssertThrowsError(try pool.map(PoolFunctions.square, [1], chunksize: 0)) { error in
                XCTAssertTrue("\(error)".contains("Chunksize must be 1+"), "\(error)")
            }
        }
    }

    /// CPython's default chunksize rule: divmod(len, 4 * processes), plus one for a remainder.
    func testDefaultChunksizeRule() {
        XCTAssertEqual(Pool.defaultChunksize(items: 0, processes: 4), 0)
        XCTAssertEqual(Pool.defaultChunksize(items: 10, processes: 4), 1)
        XCTAssertEqual(Pool.defaultChunksize(items: 16, processes: 4), 1)
        XCTAssertEqual(Pool.defaultChunksize(items: 17, processes: 4), 2)
        XCTAssertEqual(Pool.defaultChunksize(items: 1_000_000, processes: 4), 62_500)
    }

    /// CPython `test_starmap`: starmap(mul, zip(...)).
    func testStarmap() throws {
        try withPool { pool in
            let pairs = (0..<20).map { ($0, $0 * 10) }
            XCTAssertEqual(try pool.starmap(PoolFunctions.add, pairs), pairs.map { $0.0 + $0.1 })
            XCTAssertEqual(try pool.starmap(PoolFunctions.add, pairs, chunksize: 3), pairs.map { $0.0 + $0.1 })
        }
    }

    /// CPython `test_starmap_async`.
    func testStarmapAsync() throws {
        try withPool { pool in
            let result = try pool.starmapAsync(PoolFunctions.add, [(1, 2), (3, 4)])
            XCTAssertEqual(try result.get(timeout: .seconds(10)), [3, 7])
        }
    }

    /// CPython `test_map_async`.
    func testMapAsync() throws {
        try withPool { pool in
            let result = try pool.mapAsync(PoolFunctions.square, 0..<10)
            XCTAssertEqual(try result.get(timeout: .seconds(10)), (0..<10).map { $0 * $0 })
            XCTAssertTrue(result.ready)
            XCTAssertTrue(try result.successful())
        }
    }

    /// CPython `test_map_async_callbacks`: the callback gets the list; the error callback is not called.
    func testMapAsyncCallbacks() throws {
        let got = Box<[Int]?>(nil)
        let errors = Counter()
        try withPool { pool in
            let result = try pool.mapAsync(PoolFunctions.square, 0..<5, callback: { got.value = $0 },
                                           errorCallback: { _ in errors.add() })
            result.wait()
        }
        XCTAssertEqual(got.value, [0, 1, 4, 9, 16])
        XCTAssertEqual(errors.value, 0)
    }

    /// CPython `test_map_unplicklable`: an argument that cannot be sent fails at submit time, in the caller.
    func testUnencodableArgumentFailsAtSubmit() throws {
        try withPool(2) { pool in
            XCTAssertThrowsError(try pool.map(PoolFunctions.unencodableArgument, [Unencodable()])) { error in
                guard case .unencodableArgument(let name, let index, let reason)? = poolError(error) else {
                    return XCTFail("expected unencodableArgument, got \(error)")
                }
                XCTAssertEqual(name, "pooltest.unencodable")
                XCTAssertEqual(index, 0)
                XCTAssertTrue(reason.contains("refuses to be encoded"))
            }
            // The pool still works.
            XCTAssertEqual(try pool.apply(PoolFunctions.square, 3), 9)
        }
    }

    /// CPython `test_async`: apply_async(...).get() returns the value.
    func testApplyAsyncGet() throws {
        try withPool { pool in
            let result = try pool.applyAsync(PoolFunctions.sleepMilliseconds, 20)
            XCTAssertEqual(try result.get(timeout: .seconds(10)), 20)
            XCTAssertTrue(result.ready)
        }
    }

    /// CPython `test_async_timeout`: get(timeout) raises TimeoutError for a slow task.
    func testGetTimeoutRaises() throws {
        try withPool(2) { pool in
            let result = try pool.applyAsync(PoolFunctions.sleepMilliseconds, 500)
            XCTAssertThrowsError(try result.get(timeout: .milliseconds(20))) { error in
                XCTAssertEqual(poolError(error), .timedOut)
            }
            XCTAssertFalse(result.ready)
            XCTAssertThrowsError(try result.successful()) { error in XCTAssertEqual(poolError(error), .notReady) }
            XCTAssertFalse(result.wait(timeout: .milliseconds(1)))
            XCTAssertEqual(try result.get(timeout: .seconds(10)), 500)
        }
    }

    /// CPython `test_imap`: results in order, for chunksize 1 and larger.
    func testImapOrdered() throws {
        try withPool { pool in
            XCTAssertEqual(try pool.imap(PoolFunctions.square, 0..<10).collect(), (0..<10).map { $0 * $0 })
            XCTAssertEqual(try pool.imap(PoolFunctions.square, 0..<1000, chunksize: 100).collect(),
                           (0..<1000).map { $0 * $0 })
            let it = try pool.imap(PoolFunctions.square, 0..<3)
            XCTAssertEqual(try it.next(), 0)
            XCTAssertEqual(try it.next(), 1)
            XCTAssertEqual(try it.next(), 4)
            XCTAssertNil(try it.next())
        }
    }

    /// CPython `test_imap_unordered`: every result arrives once, in any order.
    func testImapUnorderedCompleteness() throws {
        try withPool { pool in
            let results = try pool.imapUnordered(PoolFunctions.square, 0..<1000).collect()
            XCTAssertEqual(results.count, 1000)
            XCTAssertEqual(results.sorted(), (0..<1000).map { $0 * $0 })
            let chunked = try pool.imapUnordered(PoolFunctions.square, 0..<1000, chunksize: 53).collect()
            XCTAssertEqual(chunked.sorted(), (0..<1000).map { $0 * $0 })
        }
    }

    /// CPython `test_imap_unordered` with slow early items: a later result can come first.
    func testImapUnorderedYieldsFastResultsFirst() throws {
        try withPool(2) { pool in
            let results = try pool.imapUnordered(PoolFunctions.sleepMilliseconds, [300, 1]).collect()
            XCTAssertEqual(results, [1, 300])
        }
    }

    /// CPython `test_imap_handle_iterable_exception` spirit: imap over a lazy 10^7-element input streams: after
    /// reading 20,000 results, only a bounded window of the input was read (bounded memory).
    func testImapStreamsLazyInputInBoundedMemory() throws {
        let input = CountingSequence(count: 10_000_000)
        try withPool { pool in
            let results = try pool.imap(PoolFunctions.square, input, chunksize: 500)
            for expected in 0..<20_000 {
                guard let value = try results.next(timeout: .seconds(10)) else { return XCTFail("ended early") }
                if value != expected * expected { return XCTFail("item \(expected): \(value)") }
            }
            // The window: 64 chunks of 500 ahead of the reader, at most.
            XCTAssertLessThanOrEqual(input.pulled, 20_000 + 500 * 64 + 500, "imap read too far ahead")
        }
    }

    /// CPython `test_imap` `next(timeout)`: a timeout raises TimeoutError, the result comes later.
    func testImapNextTimeout() throws {
        try withPool(2) { pool in
            let results = try pool.imap(PoolFunctions.sleepMilliseconds, [300])
            XCTAssertThrowsError(try results.next(timeout: .milliseconds(10))) { error in
                XCTAssertEqual(poolError(error), .timedOut)
            }
            XCTAssertEqual(try results.next(timeout: .seconds(10)), 300)
            XCTAssertNil(try results.next())
        }
    }

    /// CPython `test_make_pool`: processes must be at least 1.
    func testMakePoolRejectsBadSizes() {
        XCTAssertThrowsError(try Pool(processes: 0)) { error in
            XCTAssertTrue("\(error)".contains("Number of processes must be at least 1"))
        }
        XCTAssertThrowsError(try Pool(processes: -1))
        XCTAssertThrowsError(try Pool(processes: 2, maxTasksPerChild: 0))
    }

    /// CPython `test_make_pool`: the default size is the CPU count, and every worker is a real process.
    func testDefaultSizeAndWorkerPIDs() throws {
        let pool = try Pool()
        XCTAssertEqual(pool.processes, Process.cpuCount)
        let pids = pool.workerPIDs
        XCTAssertEqual(pids.count, Process.cpuCount)
        XCTAssertFalse(pids.contains(getpid()))
        pool.close()
        try pool.join()
    }

    /// CPython `test_terminate`: terminate stops a pool that is busy with long tasks, promptly; their results
    /// fail with `.terminated`.
    func testTerminate() throws {
        let pool = try Pool(processes: 2)
        let result = try pool.mapAsync(PoolFunctions.sleepMilliseconds, Array(repeating: 10_000, count: 10), chunksize: 1)
        let start = cshim_now_ns()
        pool.terminate()
        XCTAssertLessThan(cshim_now_ns() - start, 5_000_000_000)
        XCTAssertThrowsError(try result.get(timeout: .seconds(5))) { error in
            XCTAssertEqual(poolError(error), .terminated)
        }
        try pool.join()
    }

    /// CPython `test_context`: `with Pool()` works; ours drains the pool at the end of the block.
    func testScopedPoolDrainsOnExit() throws {
        let late = Box<AsyncResult<Int>?>(nil)
        let value = try Pool.with(processes: 2) { pool -> Int in
            late.value = try pool.applyAsync(PoolFunctions.sleepMilliseconds, 100)
            return try pool.apply(PoolFunctions.square, 6)
        }
        XCTAssertEqual(value, 36)
        // The pool was closed and joined, not terminated: the pending task finished.
        XCTAssertEqual(try late.value!.get(timeout: .zero), 100)
    }

    /// CPython `test_context` when the block raises: the pool is terminated and the error propagates.
    func testScopedPoolTerminatesOnError() throws {
        XCTAssertThrowsError(try Pool.with(processes: 2) { pool -> Int in
            _ = try pool.applyAsync(PoolFunctions.sleepMilliseconds, 10_000)
            throw PoolTestError(text: "body failed")
        }) { error in XCTAssertEqual("\(error)", "body failed") }
    }

    /// CPython `test_traceback` / `test_wrapped_exception`: an error in the function comes back with its type
    /// name, message and worker, at get and at map.
    func testErrorPropagatesWithMessage() throws {
        try withPool(2) { pool in
            XCTAssertThrowsError(try pool.apply(PoolFunctions.failOnFive, 5)) { error in
                guard let remote = error as? RemoteError else { return XCTFail("expected RemoteError, got \(error)") }
                XCTAssertEqual(remote.typeName, "PoolTestError")
                XCTAssertEqual(remote.message, "five is not allowed")
                XCTAssertTrue(remote.worker.hasPrefix("ForkPoolWorker-"), remote.worker)
                XCTAssertTrue("\(remote)".contains("five is not allowed"))
            }
            XCTAssertThrowsError(try pool.map(PoolFunctions.failOnFive, 0..<10)) { error in
                XCTAssertEqual((error as? RemoteError)?.message, "five is not allowed")
            }
            // CPython `test_map_no_failfast` spirit: the pool survives and keeps working.
            XCTAssertEqual(try pool.map(PoolFunctions.failOnFive, 0..<5), [0, 1, 2, 3, 4])
        }
    }

    /// CPython `test_imap` with a failing item: next() raises for that item, and the following items come.
    func testImapErrorThenContinues() throws {
        try withPool(2) { pool in
            let it = try pool.imap(PoolFunctions.failOnFive, 3..<8)
            XCTAssertEqual(try it.next(), 3)
            XCTAssertEqual(try it.next(), 4)
            XCTAssertThrowsError(try it.next()) { error in
                XCTAssertEqual((error as? RemoteError)?.message, "five is not allowed")
            }
            XCTAssertEqual(try it.next(), 6)
            XCTAssertEqual(try it.next(), 7)
            XCTAssertNil(try it.next())
        }
    }

    /// CPython `test_async_error_callback` (_TestPoolWorkerErrors): the error callback receives the error.
    func testErrorCallback() throws {
        let received = Box<String?>(nil)
        let callbacks = Counter()
        try withPool(2) { pool in
            let result = try pool.applyAsync(PoolFunctions.failOnFive, 5, callback: { _ in callbacks.add() },
                                             errorCallback: { received.value = "\($0)" })
            result.wait(timeout: .seconds(10))
            XCTAssertFalse(try result.successful())
        }
        XCTAssertEqual(callbacks.value, 0)
        XCTAssertTrue(received.value?.contains("five is not allowed") ?? false, "\(String(describing: received.value))")
    }

    /// CPython `test_apply_async` callback: the callback gets the value.
    func testApplyAsyncCallback() throws {
        let got = Box<Int?>(nil)
        try withPool(2) { pool in
            _ = try pool.applyAsync(PoolFunctions.square, 12, callback: { got.value = $0 }).wait()
        }
        XCTAssertEqual(got.value, 144)
    }

    /// Callbacks run on the pool's handler thread, each once, even while the caller waiting for another result
    /// reads and handles the result ring itself (the polling fast path of `get`).
    func testCallbacksRunOnTheHandlerThreadWhileCallersPoll() throws {
        let caller = pthread_self()
        let onCaller = Counter()
        let values = Box<[Int]>([])
        try withPool(2) { pool in
            for i in 0..<200 {
                _ = try pool.applyAsync(PoolFunctions.square, i, callback: { value in
                    if pthread_equal(pthread_self(), caller) != 0 { onCaller.add() }
                    values.value.append(value)
                })
                XCTAssertEqual(try pool.applyAsync(PoolFunctions.square, i + 1000).get(), (i + 1000) * (i + 1000))
            }
        }
        XCTAssertEqual(onCaller.value, 0, "a callback ran on the caller's thread")
        XCTAssertEqual(values.value.sorted(), (0..<200).map { $0 * $0 })
    }

    /// A large map of plain numbers (its result array is made while the workers run) gives the same complete
    /// results to its callback and to every `get`.
    func testLargeNumericMapResultsToCallbackAndEveryGet() throws {
        let expected = (0..<200_000).map { $0 * $0 }
        let fromCallback = Box<[Int]>([])
        try withPool(2) { pool in
            let result = try pool.mapAsync(PoolFunctions.square, 0..<200_000, callback: { fromCallback.value = $0 })
            XCTAssertEqual(try result.get(), expected)
            XCTAssertEqual(try result.get(), expected)
            XCTAssertEqual(try pool.map(PoolFunctions.square, Array(0..<200_000)), expected)
        }
        XCTAssertEqual(fromCallback.value, expected)
    }

    /// A large map of plain numbers, whose pieces `get` copies into the result array as they arrive: an item that
    /// fails raises its error though later pieces were copied, and a `get` that times out partway leaves the next
    /// `get` every result.
    func testLargeNumericMapFailureAndTimedOutGet() throws {
        try withPool(2) { pool in
            XCTAssertThrowsError(try pool.map(PoolFunctions.failOnFive, 0..<300_000)) { error in
                XCTAssertTrue("\(error)".contains("five is not allowed"), "\(error)")
            }
            let expected = (0..<300_000).map { $0 * $0 }
            let result = try pool.mapAsync(PoolFunctions.square, 0..<300_000)
            do {
                let early = try result.get(timeout: .zero)
                XCTAssertEqual(early, expected)
            } catch {
                XCTAssertEqual(poolError(error), .timedOut)
            }
            XCTAssertEqual(try result.get(), expected)
            // Small chunks travel through the rings, not the arena: many pieces, copied as they come too.
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<300_000, chunksize: 1_000), expected)
        }
    }

    /// CPython `test_enter` / "Pool not running": a closed pool refuses work.
    func testClosedPoolRefusesWork() throws {
        let pool = try Pool(processes: 2)
        pool.close()
        XCTAssertThrowsError(try pool.apply(PoolFunctions.square, 1)) { error in
            XCTAssertEqual(poolError(error), .notRunning)
            XCTAssertTrue("\(error)".contains("Pool not running"))
        }
        XCTAssertThrowsError(try pool.map(PoolFunctions.square, [1])) { error in XCTAssertEqual(poolError(error), .notRunning) }
        try pool.join()
    }

    /// CPython `test_join` semantics: join before close/terminate is an error; close then join waits for work.
    func testJoinNeedsCloseAndWaitsForWork() throws {
        let pool = try Pool(processes: 2)
        let result = try pool.mapAsync(PoolFunctions.sleepMilliseconds, [50, 50, 50], chunksize: 1)
        XCTAssertThrowsError(try pool.join()) { error in XCTAssertTrue("\(error)".contains("close()")) }
        pool.close()
        try pool.join(timeout: .seconds(20))
        XCTAssertTrue(result.ready)
        XCTAssertEqual(try result.get(), [50, 50, 50])
    }

    /// The lead's rule: a function registered after the pool started its workers is refused at submit time.
    func testFunctionRegisteredAfterPoolIsRefused() throws {
        let pool = try Pool(processes: 2)
        let late = try RemoteFunction("pooltest.late.\(getpid()).\(cshim_now_ns())") { (x: Int) in x * x * x }
        XCTAssertThrowsError(try pool.apply(late, 2)) { error in
            guard case .functionUnknownToWorkers(let name)? = poolError(error) else { return XCTFail("\(error)") }
            XCTAssertEqual(name, late.name)
            XCTAssertTrue("\(error)".contains("registered after this pool started its workers"))
        }
        XCTAssertThrowsError(try pool.imap(late, [1]))
        pool.close()
        try pool.join()
        // A pool created afterwards knows it.
        XCTAssertEqual(try Pool.with(processes: 1) { try $0.apply(late, 3) }, 27)
    }

    /// CPython `test_pool_initializer`: the initializer runs in every worker before its tasks.
    func testInitializerRunsInWorkers() throws {
        let values = try Pool.with(processes: 2, initializer: { setenv("POOLTEST_INIT", "yes", 1) }) { pool in
            try pool.map(PoolFunctions.initialized, 0..<8, chunksize: 1)
        }
        XCTAssertEqual(values, Array(repeating: "yes", count: 8))
    }

    /// An initializer that throws breaks the pool with a clear error (CPython restarts such workers for ever).
    func testInitializerFailureIsReported() throws {
        let pool = try Pool(processes: 2, initializer: { throw PoolTestError(text: "no database") })
        XCTAssertThrowsError(try pool.apply(PoolFunctions.square, 2)) { error in
            XCTAssertTrue("\(error)".contains("no database"), "\(error)")
        }
        pool.terminate()
        try pool.join()
    }

    /// CPython `test_pool_worker_lifetime` (_TestPoolWorkerLifetime): with maxtasksperchild, workers are replaced
    /// (their pids change) and every result is right.
    func testMaxTasksPerChildReplacesWorkers() throws {
        let pool = try Pool(processes: 3, maxTasksPerChild: 10)
        let first = Set(pool.workerPIDs)
        let pids = try pool.map(PoolFunctions.pid, 0..<100, chunksize: 1)
        XCTAssertGreaterThanOrEqual(Set(pids).count, 10, "100 tasks at 10 per child need at least 10 workers")
        XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<50, chunksize: 1), (0..<50).map { $0 * $0 })
        XCTAssertNotEqual(Set(pool.workerPIDs), first)
        pool.close()
        try pool.join()
    }

    /// CPython `test_pool_worker_lifetime_early_close`: closing right after submitting still delivers every result.
    func testWorkerLifetimeEarlyClose() throws {
        let pool = try Pool(processes: 1, maxTasksPerChild: 1)
        let results = try (0..<6).map { try pool.applyAsync(PoolFunctions.sleepMilliseconds, $0) }
        pool.close()
        try pool.join()
        XCTAssertEqual(try results.map { try $0.get(timeout: .zero) }, Array(0..<6))
    }

    /// Workers run under their own names, as CPython's ForkPoolWorker-N.
    func testWorkerNames() throws {
        let names = try withPool(2) { try $0.map(PoolFunctions.workerName, 0..<4, chunksize: 1) }
        XCTAssertTrue(names.allSatisfy { $0.hasPrefix("ForkPoolWorker-") }, "\(names)")
    }

    /// Workers ignore SIGINT: Ctrl-C reaches only the parent (CPython's workers print tracebacks).
    func testWorkersIgnoreSIGINT() throws {
        XCTAssertEqual(try withPool(2) { try $0.map(PoolFunctions.sigintIgnored, 0..<2, chunksize: 1) }, [true, true])
    }

    /// A worker killed mid-task: that item's error names the worker, its pid and the signal; every other item
    /// completes; the worker is replaced. (CPython hangs: gh-66587.)
    func testWorkerKilledMidTaskIsReported() throws {
        try withPool(2) { pool in
            let before = Set(pool.workerPIDs)
            let it = try pool.imap(PoolFunctions.killSelfOn, (0..<20).map { Pair($0, 7) })
            for index in 0..<20 {
                if index == 7 {
                    XCTAssertThrowsError(try it.next(timeout: .seconds(10))) { error in
                        guard case .workerDied(let worker, let pid, let status, let item)? = poolError(error) else {
                            return XCTFail("expected workerDied, got \(error)")
                        }
                        XCTAssertTrue(worker.hasPrefix("ForkPoolWorker-"))
                        XCTAssertTrue(before.contains(pid))
                        XCTAssertEqual(status, "was killed by SIGKILL")
                        XCTAssertEqual(item, 7)
                        XCTAssertTrue("\(error)".contains("(pid \(pid)) was killed by SIGKILL while running item 7"))
                    }
                } else {
                    XCTAssertEqual(try it.next(timeout: .seconds(10)), index)
                }
            }
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<10), (0..<10).map { $0 * $0 })
            // The replacement starts asynchronously: give it a bounded time.
            let deadline = cshim_now_ns() + 5_000_000_000
            while pool.workerPIDs.count < 2 && cshim_now_ns() < deadline { _ = try pool.apply(PoolFunctions.square, 1) }
            XCTAssertEqual(pool.workerPIDs.count, 2)
        }
    }

    /// A worker that exits mid-task (exit code 3): the error says so; map raises it.
    func testWorkerExitMidTaskIsReported() throws {
        try withPool(2) { pool in
            XCTAssertThrowsError(try pool.apply(PoolFunctions.exitWith, 3)) { error in
                guard case .workerDied(_, _, let status, _)? = poolError(error) else { return XCTFail("\(error)") }
                XCTAssertEqual(status, "exited with code 3")
            }
            XCTAssertEqual(try pool.apply(PoolFunctions.square, 4), 16)
        }
    }

    /// With chunks, the item being run gets the crash error, the items before it in its chunk a "result lost"
    /// error, and the items after it run in another worker.
    func testCrashInsideAChunk() throws {
        try withPool(2) { pool in
            let it = try pool.imap(PoolFunctions.killSelfOn, (0..<10).map { Pair($0, 4) }, chunksize: 10)
            var outcomes: [String] = []
            for _ in 0..<10 {
                do {
                    outcomes.append("\(try it.next(timeout: .seconds(10))!)")
                } catch let error as PoolError {
                    switch error {
                    case .resultLost: outcomes.append("lost")
                    case .workerDied: outcomes.append("died")
                    default: outcomes.append("other")
                    }
                }
            }
            XCTAssertEqual(outcomes, ["lost", "lost", "lost", "lost", "died", "5", "6", "7", "8", "9"])
        }
    }

    /// `retries:` runs an item whose worker died again (the caller accepts that it may run twice).
    func testRetriesRerunAKilledItem() throws {
        let marker = "/tmp/pooltest-retry-\(getpid())-\(cshim_now_ns())"
        let once = try RemoteFunction("pooltest.killOnce.\(marker)") { (x: Int) -> Int in
            if x == 3, access(marker, F_OK) != 0 {
                _ = creat(marker, 0o600)
                kill(getpid(), SIGKILL)
            }
            return x
        }
        defer { unlink(marker) }
        let values = try Pool.with(processes: 2, retries: 1) { try $0.map(once, 0..<8, chunksize: 1) }
        XCTAssertEqual(values, Array(0..<8))
    }

    // MARK: Chunks of plain numbers (through the pool's shared arena)

    /// Large chunks of plain numbers travel through shared memory: ranges, arrays, Doubles, results of another
    /// type, several maps in a row (the arena is reused) and several at once.
    func testLargeNumericMapsThroughSharedMemory() throws {
        try withPool(2) { pool in
            for _ in 0..<3 {
                XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<200_000), (0..<200_000).map { $0 * $0 })
            }
            XCTAssertEqual(try pool.map(PoolFunctions.square, 5..<100_005, chunksize: 3000),
                           (5..<100_005).map { $0 * $0 })
            let array = (0..<50_000).map { $0 * 3 - 7 }
            XCTAssertEqual(try pool.map(PoolFunctions.square, array), array.map { $0 * $0 })
            let halves = (0..<50_000).map { Double($0) / 2 }
            XCTAssertEqual(try pool.map(PoolFunctions.half, halves), halves.map { $0 / 2 })
            XCTAssertEqual(Set(try pool.map(PoolFunctions.pid, 0..<50_000)).isSubset(of: Set(pool.workerPIDs)), true)
            XCTAssertEqual(try pool.map(PoolFunctions.isEven, 0..<60_000), (0..<60_000).map { $0 % 2 == 0 })
            let running = try (0..<4).map { _ in try pool.mapAsync(PoolFunctions.square, 0..<100_000) }
            for result in running { XCTAssertEqual(try result.get(timeout: .seconds(30)), (0..<100_000).map { $0 * $0 }) }
        }
    }

    /// An item failing inside a shared-memory chunk: map raises its error, and the pool goes on working.
    func testErrorInsideASharedMemoryChunk() throws {
        try withPool(2) { pool in
            XCTAssertThrowsError(try pool.map(PoolFunctions.failOnFive, 0..<100_000)) { error in
                XCTAssertTrue("\(error)".contains("five is not allowed"), "\(error)")
            }
            XCTAssertEqual(try pool.map(PoolFunctions.failOnFive, 6..<100_006), Array(6..<100_006))
        }
    }

    /// A worker killed in the middle of a shared-memory chunk: map reports the crash (the killed item, or an item
    /// of its chunk whose result was lost), the pool recovers; with retries the chunk runs again.
    func testWorkerKilledInsideASharedMemoryChunk() throws {
        let marker = "/tmp/pooltest-shared-\(getpid())-\(cshim_now_ns())"
        let once = try RemoteFunction("pooltest.killOnceShared.\(marker)") { (x: Int) -> Int in
            if x == 35_000, access(marker, F_OK) != 0 {
                _ = creat(marker, 0o600)
                kill(getpid(), SIGKILL)
            }
            return x * 2
        }
        defer { unlink(marker) }
        try withPool(2) { pool in
            XCTAssertThrowsError(try pool.map(once, 0..<100_000, chunksize: 10_000)) { error in
                switch poolError(error) {
                case .resultLost(_, _, _, let item)?: XCTAssertEqual(item, 30_000)
                case .workerDied(_, _, _, let item)?: XCTAssertEqual(item, 35_000)
                default: XCTFail("\(error)")
                }
            }
            XCTAssertEqual(try pool.map(once, 0..<100_000, chunksize: 10_000), (0..<100_000).map { $0 * 2 })
        }
        unlink(marker)
        let values = try Pool.with(processes: 2, retries: 1) { try $0.map(once, 0..<100_000, chunksize: 10_000) }
        XCTAssertEqual(values, (0..<100_000).map { $0 * 2 })
    }

    /// The bytes path the shell uses (`RemoteFunction<[UInt8], [UInt8]>`): large and empty byte strings, chunked.
    func testBytesFunctionWithChunks() throws {
        let inputs: [[UInt8]] = [[], [1, 2, 3], Array(repeating: 7, count: 300_000)] + (0..<50).map { [UInt8($0)] }
        let outputs = try withPool(2) { try $0.map(PoolFunctions.bytes, inputs, chunksize: 4) }
        XCTAssertEqual(outputs, inputs.map { $0.reversed() })
    }

    /// The progress callback reports items done and the total, ending at total/total.
    func testProgressCallback() throws {
        let last = Box<(Int, Int)>((0, 0))
        let calls = Counter()
        let values = try withPool(2) { pool in
            try pool.map(PoolFunctions.square, 0..<100, chunksize: 10) { done, total in
                calls.add()
                last.value = (done, total)
            }
        }
        XCTAssertEqual(values.count, 100)
        XCTAssertEqual(calls.value, 10)
        XCTAssertEqual(last.value.0, 100)
        XCTAssertEqual(last.value.1, 100)
    }

    /// Async forms: `try await pool.map`, `apply`, and imap results as an AsyncSequence.
    func testAsyncForms() async throws {
        let pool = try Pool(processes: 2)
        let squares = try await pool.map(PoolFunctions.square, 0..<10)
        XCTAssertEqual(squares, (0..<10).map { $0 * $0 })
        let one = try await pool.apply(PoolFunctions.square, 9)
        XCTAssertEqual(one, 81)
        var streamed: [Int] = []
        for try await value in try pool.imap(PoolFunctions.square, 0..<20, chunksize: 3) { streamed.append(value) }
        XCTAssertEqual(streamed, (0..<20).map { $0 * $0 })
        let result = try pool.applyAsync(PoolFunctions.sleepMilliseconds, 30)
        let value = try await result.value
        XCTAssertEqual(value, 30)
        pool.close()
        try pool.join()
    }

    /// A pool dropped while running is terminated (CPython's `__del__`), leaving no process behind.
    func testDroppedPoolIsTerminated() throws {
        var pool: Pool? = try Pool(processes: 2)
        let sleeping = try pool!.applyAsync(PoolFunctions.sleepMilliseconds, 10_000)
        // the workers report their start asynchronously: wait for both (bounded), then drop the pool
        let deadline = ContinuousClock.now + .seconds(20)
        while pool!.workerPIDs.count < 2 && ContinuousClock.now < deadline { sched_yield() }
        let workers = pool!.workerPIDs
        XCTAssertEqual(workers.count, 2, "the pool's workers started")
        pool = nil
        // the task still running ends with its pool, long before its 10 s, and so do the workers
        XCTAssertThrowsError(try sleeping.get(timeout: .seconds(5))) { error in
            XCTAssertEqual(poolError(error), .terminated, "\(error)")
        }
        for pid in workers { XCTAssertEqual(kill(pid, 0), -1, "worker \(pid) outlived its dropped pool") }
    }

    /// CPython `test_imap` after `close()`: an imap started before close keeps streaming its input.
    func testImapContinuesAfterClose() throws {
        let pool = try Pool(processes: 2)
        let results = try pool.imap(PoolFunctions.square, 0..<200, chunksize: 1)
        pool.close()
        XCTAssertEqual(try results.collect(), (0..<200).map { $0 * $0 })
        XCTAssertThrowsError(try pool.imap(PoolFunctions.square, [1])) { error in
            XCTAssertEqual(poolError(error), .notRunning)
        }
        try pool.join()
    }

    /// A forked child cannot use its parent's pool (its threads and workers are the parent's): a clear error.
    func testPoolInForkedChildIsRefused() throws {
        try withPool(1) { pool in
            let pid = forkChild {
                do {
                    _ = try pool.applyAsync(PoolFunctions.square, 2)
                    return 1
                } catch let error as PoolError {
                    return "\(error)".contains("forked child cannot use its parent's pool") ? 0 : 2
                }
            }
            XCTAssertEqual(waitExitCode(pid), 0)
        }
    }

    /// A pool the kernel refuses (here: no descriptor left for its shared memory) throws the `SystemError` itself,
    /// which names the call and its errno.
    func testRefusedPoolKeepsTheSystemError() throws {
        let pid = forkChild {
            var limit = rlimit()
            let files = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            guard getrlimit(files, &limit) == 0 else { return 4 }
            limit.rlim_cur = 0
            guard setrlimit(files, &limit) == 0 else { return 5 }
            do {
                _ = try Pool(processes: 7)
                return 1
            } catch let error as PoolError {
                guard case .system(let cause) = error else { return 2 }
                return cause.errno == EMFILE && "\(error)".contains("memfd_create") ? 0 : 3
            }
        }
        XCTAssertEqual(waitExitCode(pid), 0)
    }

    /// Many small apply round trips (CPython `test_async` in a loop): none lost.
    func testManyApplyAsync() throws {
        try withPool(3) { pool in
            let results = try (0..<500).map { try pool.applyAsync(PoolFunctions.square, $0) }
            XCTAssertEqual(try results.map { try $0.get(timeout: .seconds(20)) }, (0..<500).map { $0 * $0 })
        }
    }

    /// Zygote reuse: a pool that closed and joined leaves its zygote idle (no active child then), and the next
    /// pool of its size forks its workers from it, with that pool's own maxTasksPerChild.
    func testIdleZygoteServesTheNextPool() throws {
        func zygotePID() -> pid_t? { Process.activeChildren().first { $0.name == "PoolZygote" }?.pid }
        let first = try withPool(2) { pool -> pid_t? in
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<10), (0..<10).map { $0 * $0 })
            return zygotePID()
        }
        XCTAssertNotNil(first)
        XCTAssertTrue(Process.activeChildren().isEmpty)
        try withPool(2) { pool in
            XCTAssertEqual(zygotePID(), first)
            XCTAssertEqual(try pool.map(PoolFunctions.square, 0..<10), (0..<10).map { $0 * $0 })
        }
        let pool = try Pool(processes: 2, maxTasksPerChild: 1)
        XCTAssertEqual(zygotePID(), first)
        XCTAssertEqual(Set(try pool.map(PoolFunctions.pid, 0..<6, chunksize: 1)).count, 6)
        pool.close()
        try pool.join()
    }

    /// A function registered after a pool ended works in the next pool of the same size: the idle zygote does not
    /// know it, so that pool forks a fresh one.
    func testFunctionRegisteredBetweenPoolsOfOneSizeWorks() throws {
        XCTAssertEqual(try withPool(2) { try $0.apply(PoolFunctions.square, 3) }, 9)
        let later = try RemoteFunction("pooltest.later.\(getpid()).\(cshim_now_ns())") { (x: Int) in x + 1 }
        XCTAssertEqual(try withPool(2) { try $0.map(later, 0..<5) }, [1, 2, 3, 4, 5])
    }

    /// Pools made and ended in a loop (sizes alternating, every third one terminated) leave no worker behind,
    /// and at most the one idle zygote, which `releaseIdleZygote` ends.
    func testPoolsInALoopLeaveNoProcessesBehind() throws {
        let forkServer: Set<pid_t> = ForkServer.pid.map { [$0] } ?? []
        var workers: Set<pid_t> = []
        for round in 0..<24 {
            let pool = try Pool(processes: round % 2 + 1)
            workers.formUnion(pool.workerPIDs)
            XCTAssertEqual(try pool.apply(PoolFunctions.square, round), round * round)
            if round % 3 == 2 { pool.terminate() } else { pool.close() }
            try pool.join()
            XCTAssertTrue(Process.activeChildren().isEmpty, "round \(round)")
            XCTAssertLessThanOrEqual(Self.livingChildren().subtracting(forkServer).count, 1, "round \(round)")
        }
        for pid in workers { XCTAssertEqual(kill(pid, 0), -1, "worker \(pid) is still alive") }
        Pool.releaseIdleZygote()
        XCTAssertEqual(Self.livingChildren().subtracting(forkServer), [])
    }

    /// The zygote asks for short scheduler time slices (so that it and each new worker get a busy CPU at once);
    /// the workers go back to the default slice, this process's.
    func testZygoteHasAShortSliceAndWorkersTheDefault() throws {
        guard let defaultSlice = schedulerSlice(of: "self") else { throw XCTSkip("no se.slice in /proc here") }
        try withPool(2) { pool in
            let zygote = try XCTUnwrap(Process.activeChildren().first { $0.name == "PoolZygote" }?.pid)
            // Where the kernel grants slices (6.12+): the zygote differs from the default.
            if let slice = schedulerSlice(of: String(zygote)), slice != defaultSlice {
                XCTAssertEqual(slice, 100_000)
            }
            XCTAssertEqual(Set(try pool.map(PoolFunctions.slice, 0..<8, chunksize: 1)), [defaultSlice])
        }
    }

    /// A pool that ends leaves at most 16 MiB of warm arena pages to the idle zygote: a large map's pages go back
    /// to the system (this process maps them while it copies the results out).
    func testIdleSiteGivesALargeMapsArenaPagesBack() throws {
        func shmemKiB() -> Int {
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("RssShmem:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        let before = shmemKiB()
        let results = try withPool(2) { try $0.map(PoolFunctions.square, 0..<4_000_000) }
        XCTAssertEqual(results.last, 3_999_999 * 3_999_999)
        XCTAssertLessThan(shmemKiB() - before, 20 << 10, "KiB of shared memory still mapped")
    }
}
