import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// `Pipe` and `Connection` with real processes, mirroring CPython's `_TestConnection`.
final class ConnectionTests: ProcessTestCase {
    struct Order: Codable, Equatable {
        enum Kind: String, Codable { case buy, sell }
        var id: Int
        var symbol: String
        var kind: Kind
        var price: Double?
        var tags: [String]
        var legs: [String: [Int]]
    }

    /// _TestConnection.test_connection: values of every kind go to a child and come back equal.
    func testValuesRoundTripThroughAChild() throws {
        let (mine, theirs) = try Pipe()
        let order = Order(id: 7, symbol: "ACME", kind: .sell, price: nil, tags: ["a", "b"], legs: ["x": [1, 2], "y": []])
        let child = Process {
            try theirs.send(try theirs.recv(as: [Int].self))
            try theirs.send(try theirs.recv(as: Order.self))
            try theirs.send(try theirs.recv(as: String.self))
            try theirs.send(value: try theirs.recv(as: Int.self) + 1)
            try theirs.sendBytes(try theirs.recvBytes())
            try theirs.send(try theirs.recv(as: [String: Double].self))
        }
        try child.start()
        theirs.close()
        try mine.send([1, 2, 3])
        XCTAssertEqual(try mine.recv(as: [Int].self), [1, 2, 3])
        try mine.send(order)
        XCTAssertEqual(try mine.recv(as: Order.self), order)
        try mine.send("héllo")
        XCTAssertEqual(try mine.recv(as: String.self), "héllo")
        try mine.send(value: 41)
        XCTAssertEqual(try mine.recv(as: Int.self), 42)
        try mine.sendBytes(Array("abcdefg".utf8), offset: 2, size: 3)
        XCTAssertEqual(try mine.recvBytes(), Array("cde".utf8))
        try mine.send(["pi": 3.14])
        XCTAssertEqual(try mine.recv(as: [String: Double].self), ["pi": 3.14])
        try child.join()
        XCTAssertEqual(child.exitCode, 0)
    }

    /// _TestConnection.test_connection (recv_bytes_into with an offset, BufferTooShort).
    func testRecvBytesIntoAnOffsetAndBufferTooShort() throws {
        let (a, b) = try Pipe()
        try a.sendBytes([1, 2, 3, 4])
        try a.sendBytes([UInt8](repeating: 9, count: 10))
        var buffer = [UInt8](repeating: 0, count: 8)
        let n = try buffer.withUnsafeMutableBytes { try b.recvBytes(into: $0, offset: 3) }
        XCTAssertEqual(n, 4)
        XCTAssertEqual(buffer, [0, 0, 0, 1, 2, 3, 4, 0])
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try b.recvBytes(into: $0) }) { error in
            XCTAssertEqual(error as? ConnectionError, .bufferTooShort([UInt8](repeating: 9, count: 10)), "the message comes with the error")
        }
        XCTAssertThrowsError(try a.sendBytes([1, 2], offset: 1, size: 5)) { XCTAssertTrue("\($0)".contains("do not fit")) }
    }

    /// _TestConnection.test_connection: poll() with no data is false at once, poll(timeout) false after the
    /// timeout, true at once when a message is there.
    func testPollTimeouts() throws {
        let (a, b) = try Pipe()
        var start = nowNanoseconds()
        XCTAssertFalse(try b.poll())
        XCTAssertLessThan(nowNanoseconds() - start, 50_000_000)
        start = nowNanoseconds()
        XCTAssertFalse(try b.poll(timeout: .milliseconds(150)))
        let waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 150_000_000 && waited < 200_000_000, "\(Double(waited) / 1e6) ms")
        try a.send(value: 1)
        start = nowNanoseconds()
        XCTAssertTrue(try b.poll(timeout: .milliseconds(150)))
        XCTAssertLessThan(nowNanoseconds() - start, 50_000_000)
        XCTAssertEqual(try b.recv(as: Int.self), 1)
    }

    /// _TestConnection.test_duplex_false: the ends of a one-way pipe refuse the other direction.
    func testOneWayPipe() throws {
        let (reader, writer) = try Pipe(duplex: false)
        try writer.send(value: 1)
        XCTAssertEqual(try reader.recv(as: Int.self), 1)
        XCTAssertTrue(reader.readable)
        XCTAssertFalse(reader.writable)
        XCTAssertFalse(writer.readable)
        XCTAssertTrue(writer.writable)
        XCTAssertThrowsError(try reader.send(value: 2)) { XCTAssertEqual($0 as? ConnectionError, .notWritable) }
        XCTAssertThrowsError(try writer.recv(as: Int.self)) { XCTAssertEqual($0 as? ConnectionError, .notReadable) }
        XCTAssertThrowsError(try writer.poll()) { XCTAssertEqual($0 as? ConnectionError, .notReadable) }
    }

    /// _TestConnection.test_spawn_close and EOFError: the child sends and exits; with the parent's copy of the
    /// child's end closed, the parent reads the message and then end-of-file.
    func testEndOfFileAfterTheChildEnds() throws {
        let (mine, theirs) = try Pipe()
        let child = Process { try theirs.sendBytes(Array("last words".utf8)) }
        try child.start()
        theirs.close()
        XCTAssertEqual(try mine.recvBytes(), Array("last words".utf8))
        XCTAssertThrowsError(try mine.recv(as: Int.self)) { XCTAssertEqual($0 as? ConnectionError, .endOfFile) }
        XCTAssertThrowsError(try mine.recvBytes()) { XCTAssertEqual($0 as? ConnectionError, .endOfFile) }
        XCTAssertTrue(try mine.poll(), "end-of-file counts as readable, as in CPython")
        try child.join()
    }

    /// A child SIGKILLed while the parent waits: the parent gets end-of-file, not a hang.
    func testEndOfFileWhenThePeerIsKilled() throws {
        let (mine, theirs) = try Pipe()
        let child = Process { while true { pause() } }
        try child.start()
        theirs.close()
        try child.kill()
        let start = nowNanoseconds()
        XCTAssertThrowsError(try mine.recv(as: Int.self)) { XCTAssertEqual($0 as? ConnectionError, .endOfFile) }
        XCTAssertLessThan(nowNanoseconds() - start, 1_000_000_000)
        try child.join()
    }

    /// Sending into a pipe whose other end is closed everywhere: BrokenPipeError once the ring is full.
    func testBrokenPipeWhenNobodyReads() throws {
        let (mine, theirs) = try Pipe(capacity: 16 * 1024)
        theirs.close()
        let block = [UInt8](repeating: 1, count: 3000)
        XCTAssertThrowsError(try { while true { try mine.sendBytes(block) } }()) {
            XCTAssertEqual($0 as? ConnectionError, .brokenPipe)
        }
    }

    /// Messages larger than the ring: 100 MB from a child, intact.
    func testHundredMegabyteMessage() throws {
        let (mine, theirs) = try Pipe()
        let size = 100 * 1024 * 1024
        let child = Process {
            var big = [UInt8](repeating: 0, count: size)
            for i in stride(from: 0, to: size, by: 4096) { big[i] = UInt8(truncatingIfNeeded: i / 4096) }
            try theirs.sendBytes(big)
        }
        try child.start()
        theirs.close()
        let got = try mine.recvBytes()
        XCTAssertEqual(got.count, size)
        var intact = true
        for i in stride(from: 0, to: size, by: 4096) where got[i] != UInt8(truncatingIfNeeded: i / 4096) { intact = false }
        XCTAssertTrue(intact)
        try child.join()
    }

    /// Receiving another type than was sent says what arrived; maxLength drops a long message (CPython).
    func testWrongTypesAndLengthsAreClearErrors() throws {
        let (a, b) = try Pipe()
        try a.send("text")
        XCTAssertThrowsError(try b.recv(as: Int.self)) { error in
            XCTAssertEqual("\(error)", "expected Int (8 bytes) but received a string")
        }
        try a.send([1, 2])
        XCTAssertThrowsError(try b.recv(as: Order.self)) { XCTAssertTrue("\($0)".hasPrefix("expected Order but received a value that does not decode")) }
        try a.sendBytes([UInt8](repeating: 0, count: 100))
        XCTAssertThrowsError(try b.recvBytes(maxLength: 10)) { XCTAssertEqual($0 as? ConnectionError, .messageTooLong(100)) }
        b.close()
        XCTAssertThrowsError(try b.recvBytes()) { XCTAssertEqual($0 as? ConnectionError, .closed) }
        XCTAssertTrue(b.closed)
    }

    /// Many small messages keep their order through a child.
    func testOrderOfManyMessages() throws {
        let (mine, theirs) = try Pipe(duplex: false)
        let child = Process { for i in 0..<100_000 { try theirs.send(value: i) } }
        try child.start()
        theirs.close()
        for i in 0..<100_000 { XCTAssertEqual(try mine.recv(as: Int.self), i) }
        try child.join()
    }
}

/// The binary message codec: round trips, and bad input is an error, never a crash.
final class MessageCodecTests: XCTestCase {
    struct Nested: Codable, Equatable {
        var a: Int8
        var b: UInt64
        var c: Float
        var d: [[Int?]]
        var e: [String: Nested]?
        var f: Bool
    }

    func testRoundTrips() throws {
        let value = Nested(a: -5, b: .max, c: 1.5, d: [[1, nil], []], e: ["k": Nested(a: 1, b: 2, c: 3, d: [], e: nil, f: false)], f: true)
        let bytes = try BinaryEncoder().encode(value)
        XCTAssertEqual(try BinaryDecoder().decode(Nested.self, from: bytes), value)
        XCTAssertEqual(try BinaryDecoder().decode([UInt8].self, from: try BinaryEncoder().encode([UInt8]([1, 2, 3]))), [1, 2, 3])
        XCTAssertEqual(try BinaryDecoder().decode(Int.self, from: try BinaryEncoder().encode(Int.min)), Int.min)
        XCTAssertThrowsError(try BinaryDecoder().decode(Int8.self, from: try BinaryEncoder().encode(300))) {
            XCTAssertTrue("\($0)".contains("does not fit in Int8"), "\($0)")
        }
    }

    /// Every truncation and 20,000 random corruptions of a valid encoding decode to a value or an error.
    func testTruncatedAndCorruptedInputIsAnError() throws {
        let value = Nested(a: 1, b: 2, c: 3, d: [[4, nil]], e: ["x": Nested(a: 5, b: 6, c: 7, d: [], e: nil, f: true)], f: false)
        let bytes = try BinaryEncoder().encode(value)
        for cut in 0..<bytes.count {
            XCTAssertThrowsError(try BinaryDecoder().decode(Nested.self, from: Array(bytes[0..<cut])), "cut at \(cut)")
        }
        var generator = SplitMix(seed: 42)
        var errors = 0
        for _ in 0..<20_000 {
            var corrupt = bytes
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                corrupt[Int(generator.next() % UInt64(corrupt.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            if (try? BinaryDecoder().decode(Nested.self, from: corrupt)) == nil { errors += 1 }
        }
        XCTAssertGreaterThan(errors, 10_000, "most corruptions are detected")
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}

// MARK: - Under every start method

extension ConnectionTests {
    /// A pipe end given to a child: messages both ways, a message longer than the ring, and end-of-file once
    /// the child has exited and the parent closed its copy of that end. (CPython: `_TestConnection.test_connection`,
    /// `test_duplex_false`-style EOF.)
    func testPipeEndInChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let (parentEnd, childEnd) = try Pipe()
            let process = try startChild(method, ChildFunctions.pipeEcho, PipeEcho(end: childEnd, count: 3))
            childEnd.close()
            for n in [1, 20, 300] {
                try parentEnd.send(value: n)
                XCTAssertEqual(try parentEnd.recv(as: Int.self), n * 2, "under \(method)")
            }
            XCTAssertEqual(try parentEnd.recvBytes().count, 1 << 20, "under \(method)")
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
            XCTAssertEqual(process.exitCode, 0, "under \(method)")
            XCTAssertThrowsError(try parentEnd.recv(as: Int.self), "under \(method)") { error in
                XCTAssertEqual(error as? ConnectionError, .endOfFile, "under \(method)")
            }
        }
    }
}
