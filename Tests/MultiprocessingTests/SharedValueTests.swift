import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// SharedValue and SharedArray with real processes, mirroring CPython's `_TestValue` and `_TestArray`.
final class SharedValueTests: ProcessTestCase {
    /// _TestValue.test_value: a child's writes are seen by the parent, for several plain types.
    func testValuesWrittenByAChildAreSeen() throws {
        let i = try SharedValue(Int32(25)), d = try SharedValue(1.25), c = try SharedValue(UInt8(ascii: "x"))
        let child = Process {
            i.value = -i.value
            d.value *= 2
            c.value = UInt8(ascii: "c")
        }
        try child.start()
        try child.join()
        XCTAssertEqual(i.value, -25)
        XCTAssertEqual(d.value, 2.5)
        XCTAssertEqual(c.value, UInt8(ascii: "c"))
    }

    /// _TestValue.test_getobj_getlock / the counter exercise: 4 processes x 5,000 locked increments.
    func testLockedIncrementsFromFourProcessesAreExact() throws {
        let counter = try SharedValue(0)
        let workers = (0..<4).map { _ in Process { for _ in 0..<5000 { counter.withLock { $0 += 1 } } } }
        for w in workers { try w.start() }
        for w in workers { try w.join() }
        XCTAssertEqual(counter.value, 20_000)
    }

    /// A process killed while holding a value's lock: the lock is recovered by the next user, not lost.
    func testLockHeldByAKilledProcessIsRecovered() throws {
        let v = try SharedValue(7)
        let ready = try RingBuffer(capacity: 4096)
        let holder = Process {
            _ = try v.lock.lock()
            try ready.write([1])
            while true { pause() }
        }
        try holder.start()
        _ = try ready.read(timeout: .seconds(10))
        try holder.kill()
        try holder.join()
        XCTAssertEqual(try v.lock.lock(timeout: .seconds(1)), .previousOwnerDied)
        try v.lock.unlock()
        v.withLock { $0 += 1 }
        XCTAssertEqual(v.value, 8)
    }

    /// _TestArray.test_array: a child fills the array; indexing, values, and count.
    func testArrayFilledByAChild() throws {
        let a = try SharedArray(repeating: 0.0, count: 10)
        XCTAssertEqual(a.count, 10)
        let child = Process { for k in 0..<a.count { a[k] = Double(k) * 0.5 } }
        try child.start()
        try child.join()
        XCTAssertEqual(a.values, (0..<10).map { Double($0) * 0.5 })
        let b = try SharedArray<Int32>([1, 2, 3])
        b.withLock { buffer in (buffer[0], buffer[2]) = (buffer[2], buffer[0]) }
        XCTAssertEqual(b.values, [3, 2, 1])
        XCTAssertEqual(try SharedArray<Int>([]).count, 0)
    }

    /// _TestArray.test_array_from_size with contention: several processes each own a slice of a shared array.
    func testArrayWrittenByManyProcesses() throws {
        let a = try SharedArray(repeating: Int64(0), count: 400)
        let workers = (0..<4).map { w in Process { for k in stride(from: w, to: 400, by: 4) { a[k] = Int64(k * k) } } }
        for p in workers { try p.start() }
        for p in workers { try p.join() }
        XCTAssertEqual(a.values, (0..<400).map { Int64($0 * $0) })
    }
}

// MARK: - Under every start method

extension SharedValueTests {
    /// Two children increment one value under its lock: no update is lost. (CPython: `_TestValue.test_value`
    /// with `get_lock()`.)
    func testValueIncrementedByChildrenUnderEveryStartMethod() {
        forEachStartMethod { method in
            let argument = CounterWork(counter: try SharedValue(0), times: 1000)
            let children = try (0..<2).map { _ in try startChild(method, ChildFunctions.increment, argument) }
            for child in children { XCTAssertTrue(try child.join(timeout: .seconds(60))) }
            XCTAssertEqual(argument.counter.value, 2000, "under \(method)")
        }
    }

    /// A child fills an array the parent reads. (CPython: `_TestArray.test_array`.)
    func testArrayFilledByChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let array = try SharedArray(repeating: -1, count: 10)
            XCTAssertEqual(try runChild(method, ChildFunctions.squares, ArrayWork(array: array)), 0, "under \(method)")
            XCTAssertEqual(array.values, (0..<10).map { $0 * $0 }, "under \(method)")
        }
    }
}
