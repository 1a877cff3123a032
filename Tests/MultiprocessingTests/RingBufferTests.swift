import CShim
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class RingBufferTests: ProcessTestCase {
    /// Messages of every size, from empty to 48× the ring (streamed in fragments), arrive whole and in order
    /// in another process.
    func testMessagesOfEverySizeArriveWholeAndInOrder() throws {
        let ring = try RingBuffer(capacity: 64 * 1024)
        let sizes = [0, 1, 7, 8, 63, 64, 65, 4096, ring.maxUnfragmentedLength, ring.maxUnfragmentedLength + 1,
                     100_000, 3 * 1024 * 1024]
        func message(_ index: Int, _ size: Int) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) } }
        let writer = forkChild {
            for (index, size) in sizes.enumerated() { try ring.write(message(index, size), timeout: .seconds(10)) }
            ring.closeWriting()
            return 0
        }
        for (index, size) in sizes.enumerated() {
            let got = try ring.read(timeout: .seconds(10))
            XCTAssertEqual(got.count, size, "message \(index)")
            XCTAssertTrue(got == message(index, size), "message \(index) intact")
        }
        XCTAssertThrowsError(try ring.read(timeout: .seconds(5))) { XCTAssertEqual($0 as? RingBuffer.Error, .endOfStream) }
        XCTAssertEqual(waitExitCode(writer), 0)
    }

    func testBitwiseCopyableValuesStringsAndParts() throws {
        struct Point: BitwiseCopyable, Equatable { var x: Double; var y: Int32 }
        let ring = try RingBuffer(capacity: 4096)
        try ring.write(value: 42)
        try ring.write(value: Point(x: 1.5, y: -3))
        try ring.write("héllo, ring")
        let header: [UInt8] = [1, 2], payload: [UInt8] = [3, 4, 5]
        try header.withUnsafeBytes { h in try payload.withUnsafeBytes { p in try ring.write(parts: [h, p]) } }
        XCTAssertEqual(try ring.read(as: Int.self), 42)
        XCTAssertEqual(try ring.read(as: Point.self), Point(x: 1.5, y: -3))
        XCTAssertEqual(try ring.readString(), "héllo, ring")
        XCTAssertEqual(try ring.read(), [1, 2, 3, 4, 5], "parts arrive as one message")
    }

    func testReadAsWrongSizeIsAClearErrorAndConsumesNothing() throws {
        let ring = try RingBuffer(capacity: 4096)
        try ring.write(value: Int32(7))
        XCTAssertThrowsError(try ring.read(as: Int64.self, timeout: .zero)) { error in
            XCTAssertEqual(error as? RingBuffer.Error, .sizeMismatch(expected: 8, actual: 4))
            XCTAssertTrue("\(error)".contains("expected a 8-byte message but the next one has 4 bytes"), "\(error)")
        }
        XCTAssertEqual(try ring.read(as: Int32.self, timeout: .zero), 7, "still there")
    }

    /// Timeouts return on time (within 50 ms), for reads on an empty ring and writes on a full one; a zero
    /// timeout only tries.
    func testTimeoutsReturnOnTime() throws {
        let ring = try RingBuffer(capacity: 4096)
        XCTAssertThrowsError(try ring.read(timeout: .zero)) { XCTAssertEqual($0 as? RingBuffer.Error, .timedOut) }
        var start = nowNanoseconds()
        XCTAssertThrowsError(try ring.read(timeout: .milliseconds(120))) { XCTAssertEqual($0 as? RingBuffer.Error, .timedOut) }
        var waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 120_000_000 && waited < 170_000_000, "read waited \(Double(waited) / 1e6) ms")

        let block = [UInt8](repeating: 9, count: 1000)
        var written = 0
        while (try? ring.write(block, timeout: .zero)) != nil { written += 1 }
        XCTAssertEqual(written, 4, "a 4 KiB ring holds four 1000-byte messages")
        start = nowNanoseconds()
        XCTAssertThrowsError(try ring.write(block, timeout: .milliseconds(120))) { XCTAssertEqual($0 as? RingBuffer.Error, .timedOut) }
        waited = nowNanoseconds() - start
        XCTAssertTrue(waited >= 120_000_000 && waited < 170_000_000, "write waited \(Double(waited) / 1e6) ms")
    }

    /// The reader closing: a writer blocked in another process is released with `.closed`.
    func testCloseReadingReleasesABlockedWriter() throws {
        let ring = try RingBuffer(capacity: 4096)
        let writer = forkChild {
            let block = [UInt8](repeating: 1, count: 1000)
            do {
                while true { try ring.write(block, timeout: .seconds(10)) }
            } catch RingBuffer.Error.closed {
                return 0
            }
        }
        while ring.bytesQueued < 3000 {}  // the writer has filled the ring and is blocked
        ring.closeReading()
        XCTAssertEqual(waitExitCode(writer), 0, "the writer saw .closed")
        XCTAssertThrowsError(try ring.write([1])) { XCTAssertEqual($0 as? RingBuffer.Error, .closed) }
    }

    /// Named rings: created by one process, attached by name in another (a request ring and a reply ring);
    /// the owner's names disappear from /dev/shm when the owner lets go (the tearDown checks it).
    func testNamedRingAttachedByNameInAnotherProcess() throws {
        let requests = try RingBuffer(creatingName: "mpsh-test-req-\(getpid())", capacity: 8192, mode: .multiProducerMultiConsumer)
        let replies = try RingBuffer(creatingName: "mpsh-test-rep-\(getpid())", capacity: 4096)
        XCTAssertEqual(requests.name, "mpsh-test-req-\(getpid())")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/dev/shm/mpsh-test-req-\(getpid())"))
        let parent = getpid()
        let child = forkChild {
            let inbox = try RingBuffer(attachingName: "mpsh-test-req-\(parent)")
            let outbox = try RingBuffer(attachingName: "mpsh-test-rep-\(parent)")
            guard inbox.mode == .multiProducerMultiConsumer, inbox.capacity == 8192,
                  outbox.mode == .singleProducerSingleConsumer else { return 2 }
            try outbox.write("echo: " + inbox.readString(timeout: .seconds(10)))
            return 0
        }
        try requests.write("ping")
        XCTAssertEqual(try replies.readString(timeout: .seconds(10)), "echo: ping")
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertThrowsError(try RingBuffer(attachingName: "mpsh-test-no-such-ring")) { error in
            XCTAssertTrue("\(error)".contains("no shared memory block has that name"), "\(error)")
        }
    }

    func testBadCapacityIsAClearError() {
        XCTAssertThrowsError(try RingBuffer(capacity: 5000)) { error in
            XCTAssertTrue("\(error)".contains("power of two from 4096 bytes to 4 GiB"), "\(error)")
        }
        XCTAssertNil(RingBuffer.requiredMemory(capacity: 1024))
        XCTAssertEqual(RingBuffer.requiredMemory(capacity: 4096), 8192)
    }

    /// Two producers and two consumers in four processes: every message exactly once, intact, each consumer
    /// seeing each producer's messages in order. (The C tests run the same with 1,000,000 records.)
    func testTwoProducersTwoConsumersEveryMessageExactlyOnce() throws {
        let perProducer = 50_000
        let ring = try RingBuffer(capacity: 32 * 1024, mode: .multiProducerMultiConsumer)
        let seen = try SharedMemory(anonymousSize: 2 * perProducer)  // one counter byte per message
        let faults = try SharedMemory(anonymousSize: 64)  // per consumer: bad messages, order violations
        func payload(_ producer: Int, _ seq: Int) -> [UInt8] {
            let size = (seq &* 2_654_435_761 &+ producer) % 129  // 0 to 2 cache lines
            return [UInt8(producer)] + withUnsafeBytes(of: Int32(seq)) { Array($0) }
                + (0..<size).map { UInt8(truncatingIfNeeded: seq &+ $0 &* 7) }
        }
        var pids: [pid_t] = []
        for producer in 0..<2 {
            pids.append(forkChild {
                ring.setSpin(.microseconds(2))  // four processes on two CPUs
                for seq in 0..<perProducer { try ring.write(payload(producer, seq), timeout: .seconds(30)) }
                return 0
            })
        }
        var consumers: [pid_t] = []
        for consumer in 0..<2 {
            consumers.append(forkChild {
                ring.setSpin(.microseconds(2))
                var last = [-1, -1]
                let counters = seen.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                let bad = (faults.buffer.baseAddress! + 16 * consumer).assumingMemoryBound(to: Int64.self)
                while true {
                    let message: [UInt8]
                    do { message = try ring.read(timeout: .seconds(30)) } catch RingBuffer.Error.endOfStream { return 0 }
                    guard message.count >= 5, message[0] < 2 else { bad[0] += 1; continue }
                    let producer = Int(message[0])
                    let seq = Int(message[1..<5].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
                    guard message == payload(producer, seq) else { bad[0] += 1; continue }
                    if seq <= last[producer] { bad[1] += 1 }
                    last[producer] = seq
                    counters[producer * perProducer + seq] &+= 1  // each index is written by whoever got it
                }
            })
        }
        for pid in pids { XCTAssertEqual(waitExitCode(pid), 0, "producer") }
        ring.closeWriting()
        for pid in consumers { XCTAssertEqual(waitExitCode(pid), 0, "consumer") }
        let counters = UnsafeRawBufferPointer(seen.buffer)
        XCTAssertEqual(counters.filter { $0 != 1 }.count, 0, "every message exactly once")
        let f = faults.buffer.baseAddress!.assumingMemoryBound(to: Int64.self)
        XCTAssertEqual(f[0] + f[2], 0, "torn or corrupt messages")
        XCTAssertEqual(f[1] + f[3], 0, "messages out of per-producer order")
    }

    /// A writer SIGKILLed while streaming a fragmented message: the other writer's messages keep flowing, and
    /// the reader never sees the half-sent message.
    func testWriterKilledMidMessageNeitherTearsNorWedges() throws {
        let ring = try RingBuffer(capacity: 16 * 1024, mode: .multiProducerMultiConsumer)
        let big = [UInt8](repeating: 0xAB, count: 200_000)  // 50 fragments: the victim is almost always mid-message
        let victim = forkChild { while true { try ring.write(big, timeout: .seconds(30)) } }
        let survivor = forkChild {
            var seq: Int64 = 0
            do { while true { try ring.write(value: seq, timeout: .seconds(30)); seq += 1 } } catch RingBuffer.Error.closed { return 0 }
        }
        var bigSeen = 0, next: Int64 = 0, killed = false
        // Until the victim has been killed, however many small messages come first (on a loaded machine the
        // survivor may send 2000 before the victim's first big one is whole).
        while next < 2000 || !killed {
            let message = try ring.read(timeout: .seconds(10))
            if message.count == 8 {
                XCTAssertEqual(message.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }, next, "survivor's order")
                next += 1
            } else {
                XCTAssertTrue(message == big, "a whole big message, never a partial one (\(message.count) bytes)")
                bigSeen += 1
            }
            if !killed && bigSeen == 1 {
                kill(victim, SIGKILL)
                XCTAssertEqual(waitExitCode(victim), -SIGKILL)
                killed = true
            }
        }
        ring.closeReading()
        XCTAssertEqual(waitExitCode(survivor), 0)
        XCTAssertTrue(killed)
    }
}

// MARK: - Under every start method

extension RingBufferTests {
    /// A child writes a ring the parent reads to its end. (The transport under Queue and Pipe.)
    func testRingWrittenByChildUnderEveryStartMethod() {
        forEachStartMethod { method in
            let ring = try RingBuffer(capacity: 4096)
            let process = try startChild(method, ChildFunctions.ringWrite, RingWork(ring: ring, count: 2000))
            for i in 0..<2000 { XCTAssertEqual(try ring.read(as: Int.self, timeout: .seconds(60)), i, "under \(method)") }
            XCTAssertThrowsError(try ring.read(timeout: .seconds(60))) { XCTAssertEqual($0 as? RingBuffer.Error, .endOfStream) }
            XCTAssertTrue(try process.join(timeout: .seconds(60)))
        }
    }
}
