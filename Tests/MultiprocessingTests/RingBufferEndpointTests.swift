import CShim
import Dispatch
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The ring as a library of its own: endpoint discipline, peer death, zero copy, batches, named-ring recovery,
/// placement, descriptors, async reads and threads sharing an MPMC handle. Every multi-process case uses real
/// processes; the C tests (Tests/CShimCTests/ring_test.c) run the 1,000-trial crash cases.
final class RingBufferEndpointTests: ProcessTestCase {
    override func setUp() {
        // The async test makes Dispatch open its main-queue eventfd on first use: open it before the descriptor
        // check records the baseline (as ExecutorTests does), so that it is not taken for a leak of ours.
        DispatchQueue.main.async {}
        RunLoop.current.run(until: Date())
        super.setUp()
    }

    /// A second process writing a single-producer ring while the first writer lives is refused with an error
    /// that names the writer and what to do, and loses nothing; after `releaseWriting()` another may write.
    func testSecondSPSCWriterIsRefused() throws {
        let ring = try RingBuffer(capacity: 4096)
        try ring.write(value: 1)
        let child = forkChild {
            do { try ring.write(value: 2); return 1 } catch RingBuffer.Error.sideTaken(.writer, let pid) {
                return pid == getppid() ? 0 : 2
            }
        }
        XCTAssertEqual(waitExitCode(child), 0, "the second writer was refused, naming the first")
        XCTAssertEqual(ring.process(.writer), getpid())
        let message = "\(RingBuffer.Error.sideTaken(.writer, pid: 42))"
        XCTAssertTrue(message.contains("process 42 is already") && message.contains(".multiProducerMultiConsumer"), message)
        ring.releaseWriting()
        let next = forkChild { try ring.write(value: 3); return 0 }
        XCTAssertEqual(waitExitCode(next), 0)
        XCTAssertEqual(try ring.read(as: Int.self, timeout: .zero), 1)
        XCTAssertEqual(try ring.read(as: Int.self, timeout: .zero), 3, "nothing of the refused writer, nothing lost")
        XCTAssertThrowsError(try ring.read(timeout: .zero)) { XCTAssertEqual($0 as? RingBuffer.Error, .timedOut) }
    }

    /// A writer SIGKILLed: the reader drains what it published, then is told `.peerDied(.writer)` (its read has
    /// a 30 s deadline; no test here waits on a clock); the death counts as `closeWriting()`.
    func testKilledWriterIsToldToTheReader() throws {
        let ring = try RingBuffer(capacity: 1 << 16)
        try ring.claimReading()
        let writer = forkChild {
            for i in 0..<100 { try ring.write(value: i) }
            while true { pause() }
        }
        for i in 0..<100 { XCTAssertEqual(try ring.read(as: Int.self, timeout: .seconds(30)), i) }
        kill(writer, SIGKILL)
        XCTAssertThrowsError(try ring.read(timeout: .seconds(30))) { error in
            XCTAssertEqual(error as? RingBuffer.Error, .peerDied(.writer, pid: writer))
            XCTAssertTrue("\(error)".contains("the writer (pid \(writer)) died"), "\(error)")
        }
        XCTAssertTrue(ring.isWriteClosed, "implied closeWriting")
        XCTAssertFalse(ring.isAlive(.writer))
        XCTAssertEqual(waitExitCode(writer), -SIGKILL)
    }

    /// A reader SIGKILLed: a writer blocked on the full ring is told `.peerDied(.reader)`.
    func testKilledReaderIsToldToTheWriter() throws {
        let ring = try RingBuffer(capacity: 4096)
        let ready = try SharedMemory(anonymousSize: 64)
        let reader = forkChild {
            try ring.claimReading()
            ready.buffer.storeBytes(of: 1, as: Int32.self)
            while true { pause() }
        }
        while ready.buffer.load(as: Int32.self) == 0 { cshim_ring_pause() }
        let block = [UInt8](repeating: 7, count: 1000)
        kill(reader, SIGKILL)
        XCTAssertThrowsError(try { while true { try ring.write(block, timeout: .seconds(30)) } }()) { error in
            XCTAssertEqual(error as? RingBuffer.Error, .peerDied(.reader, pid: reader))
        }
        XCTAssertEqual(waitExitCode(reader), -SIGKILL)
    }

    /// Zero copy: a reservation filled in place and committed in part; a record read in place and left when the
    /// body throws; drain; batches of bytes and of values; a fragmented message through withNextRecord.
    func testZeroCopyAndBatches() throws {
        struct Stop: Error {}
        let ring = try RingBuffer(capacity: 1 << 16)
        try ring.withWriteReservation(maxBytes: 100) { room in
            for i in 0..<10 { room[i] = UInt8(i) }
            return 10
        }
        XCTAssertThrowsError(try ring.withWriteReservation(maxBytes: 8) { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertThrowsError(try ring.withWriteReservation(maxBytes: 1 << 20) { _ in 0 }) { error in
            XCTAssertTrue("\(error)".contains("a reservation holds 0 to"), "\(error)")
        }
        XCTAssertThrowsError(try ring.withNextRecord(timeout: .zero) { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try ring.withNextRecord(timeout: .zero) { Array($0) }, Array(0..<10), "left in place, then read")

        let parts: [[UInt8]] = (0..<50).map { [UInt8](repeating: UInt8($0), count: $0) }
        let joined = parts.flatMap { $0 }
        try joined.withUnsafeBytes { all in
            var start = 0
            var messages: [UnsafeRawBufferPointer] = []
            for part in parts {
                messages.append(UnsafeRawBufferPointer(rebasing: all[start..<start + part.count]))
                start += part.count
            }
            try ring.write(batch: messages)
        }
        try ring.write(values: [10, 20, 30])
        var seen: [[UInt8]] = []
        XCTAssertEqual(try ring.drain(max: 50) { seen.append(Array($0)) }, 50)
        XCTAssertEqual(seen, parts)
        var values: [Int] = []
        XCTAssertEqual(try ring.drain { values.append($0.loadUnaligned(as: Int.self)) }, 3)
        XCTAssertEqual(values, [10, 20, 30])
        XCTAssertEqual(try ring.drain(timeout: .zero) { _ in }, 0, "empty: nothing")

        let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        ring.releaseWriting()  // this process wrote so far: let the child be the writer
        let writer = forkChild { try ring.write(big); return 0 }
        XCTAssertEqual(try ring.withNextRecord(timeout: .seconds(30)) { Array($0) }, big, "fragmented: whole")
        XCTAssertEqual(waitExitCode(writer), 0)
    }

    /// Typed reads into the caller's storage; a message of another size leaves the storage and the message.
    func testTypedReadIntoCallerStorage() throws {
        let ring = try RingBuffer(capacity: 4096)
        try ring.write(value: Int64(-5))
        try ring.write(value: UInt8(9))
        var slot: Int64 = 0
        try ring.read(into: &slot)
        XCTAssertEqual(slot, -5)
        XCTAssertThrowsError(try ring.read(into: &slot, timeout: .zero)) {
            XCTAssertEqual($0 as? RingBuffer.Error, .sizeMismatch(expected: 8, actual: 1))
        }
        XCTAssertEqual(slot, -5)
        XCTAssertEqual(try ring.read(as: UInt8.self, timeout: .zero), 9)
    }

    /// A named ring whose creator was SIGKILLed (its /dev/shm name left behind) is recognised: creating it again
    /// replaces it, opening-or-creating creates it; a name whose creator lives is attached to, or refused to a
    /// second creator; remove(name:) removes a name whoever made it.
    func testNamedRingRecoveryAfterCreatorKilled() throws {
        let name = "mpsh-test-stale-\(getpid())"
        let made = try SharedMemory(anonymousSize: 64)
        let creator = forkChild {
            let ring = try RingBuffer(creatingName: name, capacity: 4096)
            try ring.write("left behind")
            made.buffer.storeBytes(of: 1, as: Int32.self)
            while true { pause() }
        }
        while made.buffer.load(as: Int32.self) == 0 { cshim_ring_pause() }
        kill(creator, SIGKILL)
        XCTAssertEqual(waitExitCode(creator), -SIGKILL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/dev/shm/" + name), "the dead creator's name is left")

        let ring = try RingBuffer(creatingName: name, capacity: 8192, mode: .multiProducerMultiConsumer)
        XCTAssertEqual(ring.capacity, 8192, "a fresh ring, not the stale one")
        XCTAssertEqual(ring.creatorProcess, getpid())
        XCTAssertThrowsError(try ring.read(timeout: .zero)) { XCTAssertEqual($0 as? RingBuffer.Error, .timedOut) }
        XCTAssertThrowsError(try RingBuffer(creatingName: name)) { error in
            XCTAssertTrue("\(error)".contains("its creator is alive"), "\(error)")
        }
        let opened = try RingBuffer(openingOrCreatingName: name, capacity: 4096)
        XCTAssertEqual(opened.capacity, 8192, "attached to the live one")
        try opened.write("hello")
        XCTAssertEqual(try ring.readString(timeout: .zero), "hello")

        let other = "mpsh-test-open-\(getpid())"
        let created = try RingBuffer(openingOrCreatingName: other, capacity: 4096)
        XCTAssertEqual(created.creatorProcess, getpid())
        XCTAssertTrue(try RingBuffer.remove(name: other))
        XCTAssertFalse(try RingBuffer.remove(name: other), "already gone")
    }

    /// Two rings placed in one SharedMemory at different offsets, used by a forked child through the block.
    func testPlacedInSharedMemory() throws {
        let size = RingBuffer.requiredMemory(capacity: 4096)!
        let block = try SharedMemory(anonymousSize: 2 * size)
        let a = try RingBuffer(placedIn: block, offset: 0, initialize: true, capacity: 4096)
        let b = try RingBuffer(placedIn: block, offset: size, initialize: true, capacity: 4096)
        let child = forkChild {
            let inbox = try RingBuffer(placedIn: block, offset: 0, initialize: false)
            let outbox = try RingBuffer(placedIn: block, offset: size, initialize: false)
            try outbox.write(value: try inbox.read(as: Int.self, timeout: .seconds(30)) * 2)
            return 0
        }
        try a.write(value: 21)
        XCTAssertEqual(try b.read(as: Int.self, timeout: .seconds(30)), 42)
        XCTAssertEqual(waitExitCode(child), 0)
        XCTAssertThrowsError(try RingBuffer(placedIn: block, offset: 10, initialize: true)) { error in
            XCTAssertTrue("\(error)".contains("multiple of 64"), "\(error)")
        }
        XCTAssertThrowsError(try RingBuffer(placedIn: block, offset: size, initialize: true, capacity: 8192)) { error in
            XCTAssertTrue("\(error)".contains("needs \(RingBuffer.requiredMemory(capacity: 8192)!) bytes"), "\(error)")
        }
    }

    /// The readiness descriptor, waited on with poll(2) only: a forked writer sends 40 bursts of 1 to 5 values and
    /// after each waits until the reader has them all, so every burst finds the reader asleep in poll with an
    /// empty ring (a lone value also sits unpublished in the writer's deferred batch: the descriptor still fires).
    func testReadinessDescriptorPolledAcrossProcesses() throws {
        let ring = try RingBuffer(capacity: 1 << 16)
        let fd = try ring.readinessDescriptor  // before the fork: the writer's handle signals the same eventfd
        try ring.claimReading()
        var ack: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ack), 0)
        let bursts = 40
        let writer = forkChild {
            close(ack[1])
            var byte: UInt8 = 0
            for burst in 0..<bursts {
                for k in 0...(burst % 5) { try ring.write(value: burst * 10 + k) }
                guard read(ack[0], &byte, 1) == 1 else { return 2 }
            }
            ring.closeWriting()
            return 0
        }
        close(ack[0])
        var expected: [Int] = []
        for burst in 0..<bursts { for k in 0...(burst % 5) { expected.append(burst * 10 + k) } }
        var received: [Int] = []
        var acknowledged = 0
        var ended = false
        while !ended {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 30_000) == 1 else {
                XCTFail("the descriptor did not become readable (\(received.count) values in)")
                break
            }
            while true {
                do { received.append(try ring.read(as: Int.self, timeout: .zero)) } catch {
                    // .timedOut: this try re-armed the descriptor.
                    if error != .timedOut {
                        XCTAssertEqual(error, .endOfStream)
                        ended = true
                    }
                    break
                }
            }
            let wholeBurst = (0...min(acknowledged, bursts - 1)).reduce(0) { $0 + $1 % 5 + 1 }
            if !ended && acknowledged < bursts && received.count == wholeBurst {
                acknowledged += 1
                var one: UInt8 = 1
                XCTAssertEqual(write(ack[1], &one, 1), 1)
            }
        }
        close(ack[1])
        XCTAssertEqual(received, expected)
        XCTAssertEqual(acknowledged, bursts)
        XCTAssertEqual(waitExitCode(writer), 0)
    }

    /// Polls `fd` until it is readable (at most 30 s), then reads values with `timeout: .zero` until the ring is
    /// empty (that try re-arms the descriptor) or the stream ends. nil if the descriptor never became readable.
    static func pollAndDrain(_ ring: RingBuffer, _ fd: Int32, into received: inout [Int]) throws -> Bool? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 30_000) == 1 else { return nil }
        while true {
            do { received.append(try ring.read(as: Int.self, timeout: .zero)) } catch {
                if error == .timedOut { return false }
                if error == .endOfStream { return true }
                throw error
            }
        }
    }

    /// The readiness descriptor of processes that share no descriptor: a reader that created a named ring polls
    /// its descriptor while a writer that attached by name (no eventfd in its handle) sends 20 bursts, each after
    /// the reader emptied the ring; then the other way round, a reader that attached by name in a child polls its
    /// own descriptor while the parent, which never asked for one, writes. Each wake-up is the descriptor's:
    /// the writers take the armed descriptor registered in the ring's header (pidfd_getfd).
    func testReadinessDescriptorOfRingsAttachedByName() throws {
        // the registration needs pidfd_open + pidfd_getfd (Linux 5.6); where they are refused (CI's run under
        // Tests/Tools/WithoutPidfd, an old kernel, a sandbox) a ring attached by name has no readiness
        // descriptor, as documented
        if cshim_pidfds_supported() == 0 { throw XCTSkip("pidfd_open is refused here: readiness by name needs it") }
        let name = "mpsh-test-ready-\(getpid())"
        let ring = try RingBuffer(creatingName: name, capacity: 1 << 16)
        try ring.claimReading()
        let fd = try ring.readinessDescriptor
        var ack: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ack), 0)
        let bursts = 20
        let writer = forkChild {
            close(ack[1])
            let mine = try RingBuffer(attachingName: name)  // its own handle: no readiness descriptor
            var byte: UInt8 = 0
            for burst in 0..<bursts {
                for k in 0...(burst % 3) { try mine.write(value: burst * 10 + k) }
                guard read(ack[0], &byte, 1) == 1 else { return 2 }
            }
            mine.closeWriting()
            return 0
        }
        close(ack[0])
        var expected: [Int] = []
        for burst in 0..<bursts { for k in 0...(burst % 3) { expected.append(burst * 10 + k) } }
        var received: [Int] = []
        var acknowledged = 0
        while true {
            guard let ended = try Self.pollAndDrain(ring, fd, into: &received) else {
                XCTFail("the descriptor did not become readable (\(received.count) values in)")
                break
            }
            if ended { break }
            let whole = (0...min(acknowledged, bursts - 1)).reduce(0) { $0 + $1 % 3 + 1 }
            if acknowledged < bursts && received.count == whole {
                acknowledged += 1
                var one: UInt8 = 1
                XCTAssertEqual(write(ack[1], &one, 1), 1)
            }
        }
        close(ack[1])
        XCTAssertEqual(received, expected)
        XCTAssertEqual(waitExitCode(writer), 0)

        // The other way round: the reader attached by name in a child, the writer (this process) without a
        // descriptor of its own.
        let other = "mpsh-test-ready2-\(getpid())"
        let outbox = try RingBuffer(creatingName: other, capacity: 1 << 16)
        var back: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&back), 0)
        let reader = forkChild {
            close(back[0])
            let inbox = try RingBuffer(attachingName: other)
            try inbox.claimReading()
            let fd = try inbox.readinessDescriptor
            var got: [Int] = []
            var one: UInt8 = 1
            guard write(back[1], &one, 1) == 1 else { return 4 }  // armed: the writer may begin
            while true {
                guard let ended = try Self.pollAndDrain(inbox, fd, into: &got) else { return 3 }
                if ended { break }
                guard write(back[1], &one, 1) == 1 else { return 4 }  // empty (and re-armed): the next, please
            }
            return got == Array(0..<bursts) ? 0 : 5
        }
        close(back[1])
        var byte: UInt8 = 0
        for value in 0..<bursts {
            XCTAssertEqual(read(back[0], &byte, 1), 1, "the reader emptied the ring")
            try outbox.write(value: value)
        }
        outbox.closeWriting()
        XCTAssertEqual(waitExitCode(reader), 0, "the child's descriptor fired for every value (3: it did not)")
        close(back[0])
    }

    /// A single-producer writer defers publishing its position (every 64 messages), yet a message it wrote just
    /// before going quiet (here: blocked in waitpid) reaches a reader in another process, and counts as queued;
    /// MPMC rings publish every message; `defersPublication = false` turns it off.
    func testDeferredMessageReachesAReaderWhileTheWriterIsQuiet() throws {
        let ring = try RingBuffer(capacity: 4096)
        try ring.write(value: 7)
        XCTAssertEqual(ring.bytesQueued, 16, "header and payload, published or not")
        let reader = forkChild { try ring.read(as: Int.self, timeout: .seconds(30)) == 7 ? 0 : 1 }
        XCTAssertEqual(waitExitCode(reader), 0, "the reader got the message the quiet writer had not published")
        let mpmc = try RingBuffer(capacity: 4096, mode: .multiProducerMultiConsumer)
        XCTAssertFalse(mpmc.defersPublication)
        ring.defersPublication = false
        XCTAssertFalse(ring.defersPublication)
    }

    /// A ring made after the child was forked (so not inherited) reaches it over a Unix socket (SCM_RIGHTS), with
    /// its readiness descriptor.
    func testDescriptorOverUnixSocket() throws {
        var pair: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
        let child = forkChild {
            close(pair[0])
            defer { close(pair[1]) }
            let ring = try RingBuffer(receivingFrom: pair[1])
            try ring.write("over the socket")
            return 0
        }
        close(pair[1])
        let ring = try RingBuffer(capacity: 4096)
        try ring.send(over: pair[0])
        close(pair[0])
        // The readiness descriptor went along: the receiver's write signals the one polled here.
        var p = pollfd(fd: try ring.readinessDescriptor, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&p, 1, 30_000), 1, "the receiver's write made the readiness descriptor readable")
        XCTAssertEqual(try ring.readString(timeout: .zero), "over the socket")
        XCTAssertEqual(waitExitCode(child), 0)
        let named = try RingBuffer(creatingName: "mpsh-test-fd-\(getpid())", capacity: 4096)
        XCTAssertThrowsError(try named.send(over: 0)) { error in
            XCTAssertTrue("\(error)".contains("only an anonymous ring"), "\(error)")
        }
    }

    /// An async read under Swift concurrency: a cancelled wait ends with CancellationError; then the task
    /// suspends until a writer process (started by the fork server: this test's process has concurrency threads)
    /// sends, reads 1000 values with `await`, and sees the end of the stream.
    func testAsyncReadUnderSwiftConcurrency() async throws {
        let ring = try RingBuffer(capacity: 4096)
        let waiting = Task { try await ring.read(as: Int.self) }
        waiting.cancel()
        let outcome = await waiting.result
        guard case .failure(let error) = outcome, error is CancellationError else {
            return XCTFail("a cancelled wait should end with CancellationError, got \(outcome)")
        }
        let process = try startChild(.forkserver, ChildFunctions.ringWrite, RingWork(ring: ring, count: 1000))
        for i in 0..<1000 {
            let value = try await ring.read(as: Int.self, timeout: .seconds(60))
            XCTAssertEqual(value, i)
        }
        do {
            _ = try await ring.read(timeout: .seconds(60))
            XCTFail("expected the end of the stream")
        } catch RingBuffer.Error.endOfStream {}
        XCTAssertTrue(try process.join(timeout: .seconds(60)))
    }

    /// Threads share one MPMC handle (it is Sendable): four writer and four reader threads, every message once.
    /// CI runs this under ThreadSanitizer too (`swift test --sanitize=thread --filter RingBufferEndpointTests`).
    func testSendableMPMCHandleSharedByThreads() throws {
        let ring = try RingBuffer(capacity: 1 << 14, mode: .multiProducerMultiConsumer)
        ring.setSpin(.microseconds(2))
        let perWriter = 2000
        let counts = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * perWriter)
        counts.initialize(repeating: 0, count: 4 * perWriter)
        defer { counts.deallocate() }
        let sink = UncheckedPointer(counts)
        var threads: [JoinedThread] = []
        for w in 0..<4 {
            threads.append(JoinedThread {
                for i in 0..<perWriter { try! ring.write(value: w * perWriter + i, timeout: .seconds(30)) }
            })
        }
        let tally = Tally()
        var readers: [JoinedThread] = []
        for _ in 0..<4 {
            readers.append(JoinedThread {
                while let n = try? ring.read(as: Int.self, timeout: .seconds(60)) {  // until the end of the stream
                    tally.record(n, into: sink)
                }
            })
        }
        for thread in threads { XCTAssertTrue(thread.join(timeout: .seconds(120))) }
        ring.closeWriting()
        for thread in readers { XCTAssertTrue(thread.join(timeout: .seconds(120))) }
        XCTAssertEqual((0..<4 * perWriter).filter { counts[$0] != 1 }.count, 0, "every message exactly once")
    }

    /// `RemoteFunction` created again by the same code is the same registration; another body under that
    /// name is still refused.
    func testRemoteFunctionRegistrationIsIdempotent() throws {
        var made: [RemoteFunction<Int, Int>] = []
        for _ in 0..<3 { made.append(try RemoteFunction("ring-test.twice") { $0 + 1 }) }
        XCTAssertEqual(Set(made.map(\.generation)).count, 1)
        XCTAssertEqual(try made[2](1), 2)
        XCTAssertThrowsError(try RemoteFunction("ring-test.twice") { (x: Int) in x - 1 }) { error in
            XCTAssertEqual(error as? RemoteFunctionError, .duplicateName("ring-test.twice"))
        }
    }

    /// `send(42)` of an Int takes the bitwise path: a receiver that accepts only raw bytes gets it, and the
    /// Codable receivers still do.
    func testConnectionSendOfBitwiseValueIsRaw() throws {
        let (a, b) = try Pipe()
        try a.send(42)
        XCTAssertEqual(try receiveRaw(b, Int.self), 42)
        try a.send(7.5)
        XCTAssertEqual(try b.recv(as: Double.self), 7.5)
        try a.send(Optional(3))
        XCTAssertEqual(try b.recv(as: Int?.self), 3)
    }

    private func receiveRaw<T: BitwiseCopyable>(_ connection: Connection, _ type: T.Type) throws -> T {
        try connection.recv(as: type)  // the BitwiseCopyable-only overload: raw messages only
    }
}

/// A pointer handed to test threads that each write distinct indices under the tally's lock.
private struct UncheckedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }
}

private final class Tally: Sendable {
    private let lock = NSLock()
    func record(_ n: Int, into sink: UncheckedPointer) {
        lock.lock()
        sink.base[n] &+= 1
        lock.unlock()
    }
}
