import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// `Connection.wait`, mirroring CPython's `_TestWait` (multiprocessing.connection.wait).
final class WaitTests: ProcessTestCase {
    /// _TestWait.test_wait: four children each send a few messages and end; waiting on all the pipes collects
    /// every message and then every end-of-file.
    func testWaitCollectsMessagesFromSeveralChildren() throws {
        var readers: [Connection] = []
        var children: [Process] = []
        for i in 0..<4 {
            let (r, w) = try Pipe(duplex: false)
            let child = Process { for j in 0..<10 { try w.send(value: i * 100 + j) } }
            try child.start()
            w.close()
            readers.append(r)
            children.append(child)
        }
        var got: [Int] = []
        var open = readers
        while !open.isEmpty {
            for r in try Connection.wait(open, timeout: .seconds(10)).connections {
                if let value = try receiveOrEnd(r) { got.append(value) } else { open.removeAll { $0 === r } }
            }
        }
        XCTAssertEqual(got.sorted(), (0..<4).flatMap { i in (0..<10).map { i * 100 + $0 } })
        for c in children { try c.join() }
    }

    /// The next Int, or nil at end-of-file. (A `catch ConnectionError.endOfFile` inside the loop above crashes
    /// the Swift 6.3.1 compiler's ownership verifier.)
    private func receiveOrEnd(_ connection: Connection) throws -> Int? {
        do { return try connection.recv(as: Int.self) } catch .endOfFile { return nil }
    }

    /// _TestWait.test_wait_timeout: nothing ready → empty lists after the timeout; ready at once when a message
    /// is there.
    func testWaitTimeout() throws {
        let (a, b) = try Pipe()
        let start = nowNanoseconds()
        let none = try Connection.wait([b], timeout: .milliseconds(150))
        let waited = nowNanoseconds() - start
        XCTAssertTrue(none.connections.isEmpty && none.sentinels.isEmpty)
        XCTAssertTrue(waited >= 150_000_000 && waited < 200_000_000, "\(Double(waited) / 1e6) ms")
        try a.send(value: 1)
        XCTAssertEqual(try Connection.wait([b], timeout: .zero).connections.count, 1)
    }

    /// _TestWait.test_wait_integer: process sentinels become ready as processes end, mixed with pipes.
    func testWaitOnSentinelsAndPipes() throws {
        let gate = try Queue<Int>()
        let (r, w) = try Pipe(duplex: false)
        let quick = Process {}
        let slow = Process { _ = try gate.get(timeout: .seconds(10)); try w.send(value: 7) }
        try quick.start()
        try slow.start()
        let first = try Connection.wait([r], sentinels: [try quick.sentinel, try slow.sentinel], timeout: .seconds(10))
        XCTAssertEqual(first.sentinels, [try quick.sentinel], "the quick process ended first")
        XCTAssertTrue(first.connections.isEmpty)
        try gate.put(1)
        let next = try Connection.wait([r], timeout: .seconds(10))
        XCTAssertEqual(next.connections.count, 1)
        XCTAssertEqual(try r.recv(as: Int.self), 7)
        let ended = try Connection.wait([], sentinels: [try slow.sentinel], timeout: .seconds(10))
        XCTAssertEqual(ended.sentinels, [try slow.sentinel])
        try quick.join()
        try slow.join()
    }

    /// A message wakes a waiter at once (it sleeps on the rings themselves, not in slices).
    func testAMessageWakesTheWaiterPromptly() throws {
        let (r, w) = try Pipe(duplex: false)
        let child = Process { try w.send(value: nowNanoseconds()) }
        try child.start()
        let ready = try Connection.wait([r], timeout: .seconds(10))
        let latency = nowNanoseconds() - (try r.recv(as: Int64.self))
        XCTAssertEqual(ready.connections.count, 1)
        XCTAssertLessThan(latency, 5_000_000_000, "woken by the message")
        try child.join()
    }
}

// MARK: - Under every start method

extension WaitTests {
    /// wait() returns the connection that has a message, then the sentinel of the child that ended.
    /// (CPython: `_TestWait.test_wait`, `test_wait_sentinel`.)
    func testWaitOnPipesAndSentinelUnderEveryStartMethod() {
        forEachStartMethod { method in
            let (first, firstChild) = try Pipe()
            let (second, secondChild) = try Pipe()
            let release = try Event()
            let process = try startChild(method, ChildFunctions.writeSecondPipe,
                                         TwoPipes(first: firstChild, second: secondChild, release: release))
            let ready = try Connection.wait([first, second], sentinels: [try process.sentinel], timeout: .seconds(60))
            XCTAssertTrue(ready.connections.count == 1 && ready.connections[0] === second, "under \(method)")
            XCTAssertEqual(ready.sentinels, [], "under \(method)")
            XCTAssertEqual(try second.recv(as: String.self), "second")
            release.set()
            let ended = try Connection.wait([], sentinels: [try process.sentinel], timeout: .seconds(60))
            XCTAssertEqual(ended.sentinels, [try process.sentinel], "under \(method)")
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
        }
    }
}
