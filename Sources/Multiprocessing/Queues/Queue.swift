import CShim
import Synchronization

import Glibc

/// A first-in, first-out queue shared by processes: any process may put and get.
///
/// ```swift
/// let q = try Queue<Int>(maxsize: 100)
/// let producer = Process { for i in 0..<10 { try q.put(i) } }
/// try producer.start()
/// for _ in 0..<10 { print(try q.get()) }
/// try producer.join()
/// ```
///
/// CPython's semantics: `put` blocks (or times out with `.full`) while a bounded queue is full, `get` blocks
/// (or times out with `.empty`) while it is empty, and each process's items come out in the order it put them.
///
/// Better than CPython: there is no feeder thread. An item is in the queue the moment `put` returns (CPython's
/// `put` hands it to a background thread, so `empty()` may still be true just after), `qsize` is exact (a
/// snapshot of the items put and not yet taken, whichever process put them), and a process that put items
/// nobody read never blocks at exit waiting for them to be flushed (they are already in shared memory).
/// Items are `Codable` values in a shared-memory ring; plain-data types travel as their bytes.
///
/// Like CPython's, `put` on a queue without `maxsize` does not wait for readers: a producer may put 100,000
/// items before any consumer starts. The ring is elastic (`cshim_ring_init_elastic_at`): while readers keep up,
/// items go round a hot window of `capacity` bytes; while they lag, the ring grows into a lazily backed area of
/// 4 GiB of address space (memory is used only for what is outstanding, and given back as readers pass it).
/// At the end of the window `put` waits for readers that are making progress (a stream to a slower reader
/// stays in the hot window), but once they made none for 10 ms it goes on without them, and does not wait
/// again until they have caught up. Only with 4 GiB outstanding (CPython would be holding that in the
/// producer's memory) does `put` wait for readers indefinitely. Items are in shared memory, not in the producer: a producer that exits or is killed loses none it
/// put, and exits at once.
///
/// Thread-safe as well as process-safe, as CPython's: threads may share a queue object (each side of its ring
/// is serialised by a robust lock, and its counters are atomic).
///
/// Mirrors `multiprocessing.Queue`.
public class Queue<Element: Codable>: @unchecked Sendable {
    @usableFromInline let ring: RingBuffer
    private let memory: SharedMemory
    @usableFromInline let state: OpaquePointer
    @usableFromInline let closedHere = Atomic<Bool>(false)

    /// - Parameters:
    ///   - maxsize: the most items the queue holds; 0 or less is unbounded. Mirrors `Queue(maxsize)`.
    ///   - capacity: the ring's hot window, the bytes items go round while readers keep up (a power of two from
    ///     4 KiB to 1 GiB, or 4 GiB for a plain, non-elastic ring of that size). Items wait in shared memory
    ///     beyond it, up to 4 GiB in all, while readers lag.
    public convenience init(maxsize: Int = 0, capacity: Int = 1 << 20) throws(QueueError) {
        try self.init(maxsize: maxsize, capacity: capacity, joinable: false)
    }

    init(maxsize: Int, capacity: Int, joinable: Bool) throws(QueueError) {
        do { ring = try Queue.makeRing(window: capacity) } catch { throw .ring(error) }
        do {
            memory = try SharedMemory(anonymousSize: max(4096, cshim_queue_size()), debugName: "mpsh-queue")
        } catch { throw .system(error) }
        cshim_queue_init_at(memory.buffer.baseAddress!, Int64(maxsize), joinable ? 1 : 0)
        state = OpaquePointer(memory.buffer.baseAddress!)
    }

    /// Rebuilds a queue sent to a child started by forkserver or spawn: the same ring and counters, newly
    /// mapped (see Reduction.swift). Only valid while a child's argument is decoded.
    public required init(from decoder: Decoder) throws {
        let handle = try QueueHandle(from: decoder)
        ring = handle.ring
        memory = handle.state
        state = OpaquePointer(memory.buffer.baseAddress!)
    }

    var sharedParts: QueueHandle { QueueHandle(ring: ring, state: memory) }

    /// The data area of a queue's elastic ring: how much may be outstanding before `put` waits for readers.
    /// Smaller reaches are tried when the address space is limited (`ulimit -v`): the mapping costs address
    /// space, not memory.
    static var reaches: [Int] { [1 << 32, 1 << 30, 1 << 28] }

    private static func makeRing(window: Int) throws(RingBuffer.Error) -> RingBuffer {
        var failure: RingBuffer.Error?
        for reach in reaches where window <= reach / 4 {
            do { return try RingBuffer(window: window, reach: reach) } catch {
                guard case let .system(cause) = error, cause.errno == ENOMEM else { throw error }
                failure = error
            }
        }
        // A window too large for any reach (or no address space for one): a plain ring of that size.
        do { return try RingBuffer(capacity: window, mode: .multiProducerMultiConsumer) } catch { throw failure ?? error }
    }

    /// The bound given at creation (0: unbounded).
    public var maxsize: Int { Int(cshim_queue_maxsize(state)) }

    /// The number of items in the queue now (exact, but others may change it at once). Mirrors `qsize()`.
    public var qsize: Int { Int(cshim_queue_count(state)) }
    /// Whether no item is waiting: every item whose `put` returned (in any process) has been taken by a `get`.
    /// Exact, but a snapshot. Mirrors `empty()`.
    public var isEmpty: Bool { qsize == 0 }
    /// Mirrors `full()`.
    public var isFull: Bool { maxsize > 0 && qsize >= maxsize }

    /// Puts an item, waiting while a bounded queue is full: for ever, at most `timeout`, or not at all
    /// (`block: false`). Throws `.full` when no place freed up. Mirrors `Queue.put(obj, block, timeout)`.
    /// (Inlinable, so that it is specialised for the element type where it is called.)
    @inlinable
    public final func put(_ item: Element, block: Bool = true, timeout: Duration? = nil) throws(QueueError) {
        if closedHere.load(ordering: .relaxed) { throw .closed }
        let wait: Int64 = block ? cshimTimeout(timeout) : 0
        switch cshim_queue_reserve(state, wait) {
        case 0: break
        case ETIMEDOUT, EAGAIN: throw .full
        case let code: throw .system(SystemError(operation: "Queue.put", errno: code))
        }
        do {
            try Message.write(item, to: ring)
        } catch {
            cshim_queue_unreserve(state)
            throw error
        }
        cshim_queue_published(state)
    }

    /// `put(item, block: false)`. Mirrors `put_nowait`.
    public func putNowait(_ item: Element) throws(QueueError) { try put(item, block: false) }

    /// Takes the next item, waiting while the queue is empty: for ever, at most `timeout`, or not at all
    /// (`block: false`). Throws `.empty` when nothing came. Mirrors `Queue.get(block, timeout)`.
    @inlinable
    public final func get(block: Bool = true, timeout: Duration? = nil) throws(QueueError) -> Element {
        if closedHere.load(ordering: .relaxed) { throw .closed }
        let item: Element = try Message.read(Element.self, from: ring, timeout: block ? timeout : .zero)
        cshim_queue_taken(state)
        return item
    }

    /// `get(block: false)`. Mirrors `get_nowait`.
    public func getNowait() throws(QueueError) -> Element { try get(block: false) }

    /// This process will put and get no more (CPython: the queue's methods then raise ValueError). Other
    /// processes are unaffected. Mirrors `Queue.close()`.
    public func close() { closedHere.store(true, ordering: .relaxed) }

    /// Nothing to wait for: there is no feeder thread. Kept so CPython code reads the same.
    /// Mirrors `Queue.join_thread()`.
    public func joinThread() {}
    /// Nothing to cancel: there is no feeder thread. Mirrors `Queue.cancel_join_thread()`.
    public func cancelJoinThread() {}
}

/// A queue with `taskDone` and `join`: a consumer marks each item done, and `join` waits until every item put
/// has been. Mirrors `multiprocessing.JoinableQueue`.
public final class JoinableQueue<Element: Codable>: Queue<Element>, @unchecked Sendable {
    /// - Parameters: as `Queue.init`. Mirrors `JoinableQueue(maxsize)`.
    public convenience init(maxsize: Int = 0, capacity: Int = 1 << 20) throws(QueueError) {
        try self.init(maxsize: maxsize, capacity: capacity, joinable: true)
    }

    /// Marks one item taken with `get` as processed. Calling it more often than items were put is an error.
    /// Mirrors `JoinableQueue.task_done()`.
    public func taskDone() throws(QueueError) {
        if cshim_queue_task_done(state) != 0 { throw .taskDoneTooManyTimes }
    }

    /// Waits until every item put so far has been marked done (for ever, or at most `timeout`: then false).
    /// Mirrors `JoinableQueue.join()`.
    @discardableResult
    public func join(timeout: Duration? = nil) -> Bool {
        cshim_queue_join(state, cshimTimeout(timeout)) == 0
    }

    /// Items put and not yet marked done.
    public var unfinishedTasks: Int { Int(cshim_queue_unfinished(state)) }
}

/// An unbounded queue with only `put`, `get`, `empty` and `close`. Mirrors `multiprocessing.SimpleQueue`.
public final class SimpleQueue<Element: Codable>: @unchecked Sendable {
    private let queue: Queue<Element>

    public init(capacity: Int = 1 << 20) throws(QueueError) { queue = try Queue(capacity: capacity) }

    /// A simple queue over a received queue (see Reduction.swift).
    init(sharing queue: Queue<Element>) { self.queue = queue }

    var sharedQueue: Queue<Element> { queue }

    /// Mirrors `SimpleQueue.put(obj)`.
    public func put(_ item: Element) throws(QueueError) { try queue.put(item) }
    /// Mirrors `SimpleQueue.get()`.
    public func get() throws(QueueError) -> Element { try queue.get() }
    /// Mirrors `SimpleQueue.empty()`.
    public var isEmpty: Bool { queue.isEmpty }
    /// Mirrors `SimpleQueue.close()`.
    public func close() { queue.close() }
}

/// Why a queue operation did not happen. Mirrors `queue.Empty`, `queue.Full` and CPython's ValueErrors.
public enum QueueError: Error, Equatable, CustomStringConvertible {
    /// Nothing arrived in time (CPython: queue.Empty).
    case empty
    /// No place freed up in time (CPython: queue.Full).
    case full
    /// This process closed the queue (CPython: ValueError "Queue ... is closed").
    case closed
    /// task_done() called more times than items were put (CPython: ValueError).
    case taskDoneTooManyTimes
    case wrongType(String)
    case encoding(String)
    case ring(RingBuffer.Error)
    case system(SystemError)

    public var description: String {
        switch self {
        case .empty: return "the queue is empty (queue.Empty)"
        case .full: return "the queue is full (queue.Full)"
        case .closed: return "Queue is closed: this process called close() on it"
        case .taskDoneTooManyTimes: return "task_done() called too many times"
        case let .wrongType(what): return what
        case let .encoding(what): return what
        case let .ring(error): return error.description
        case let .system(error): return error.description
        }
    }
}

/// Writing and reading one item of a typed queue, in the Connection wire format. The plain-data paths are
/// inlinable (specialised for the element type in the caller: unspecialised generic code looked up type
/// metadata on every item); encoding anything else goes through the codec.
@usableFromInline
enum Message {
    @inlinable
    static func write<Element: Encodable>(_ item: Element, to ring: RingBuffer) throws(QueueError) {
        if Element.self == [UInt8].self { return try writeBytes(unsafeBitCast(item, to: [UInt8].self), to: ring) }
        guard _isPOD(Element.self) else { return try writeEncoded(item, to: ring) }
        // Plain data: its bytes, after the kind byte, with no encoding step and no allocation.
        var item = item
        var kind = MessageKind.raw.rawValue
        var failure: RingBuffer.Error?
        withUnsafeBytes(of: &kind) { kindBytes in
            withUnsafeBytes(of: &item) { payload in
                do throws(RingBuffer.Error) { try ring.write(kind: kindBytes, payload: payload) } catch { failure = error }
            }
        }
        if let failure { throw .ring(failure) }
    }

    /// Bytes (a queue of already-encoded items, as mpsh's): the kind byte and the bytes, with no encoding step
    /// and no allocation. Read back by `readBytes`, or by `decode` as `Connection.sendBytes`'s messages are.
    @usableFromInline
    static func writeBytes(_ item: [UInt8], to ring: RingBuffer) throws(QueueError) {
        var kind = MessageKind.bytes.rawValue
        var failure: RingBuffer.Error?
        withUnsafeBytes(of: &kind) { kindBytes in
            item.withUnsafeBytes { payload in
                do throws(RingBuffer.Error) { try ring.write(kind: kindBytes, payload: payload) } catch { failure = error }
            }
        }
        if let failure { throw .ring(failure) }
    }

    /// Reads a bytes item (see `writeBytes`): a message of up to 4 KiB is read into the stack and copied out
    /// once; a longer one, or one of another kind, goes through `readDecoded`.
    @usableFromInline
    static func readBytes(from ring: RingBuffer, timeout: Duration?) throws(QueueError) -> [UInt8] {
        var failure: RingBuffer.Error?
        var other: [UInt8]?
        let bytes: [UInt8]? = withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { buffer -> [UInt8]? in
            do throws(RingBuffer.Error) {
                let n = try ring.read(into: buffer, timeout: timeout)
                if n > 0, buffer[0] == MessageKind.bytes.rawValue { return Array(UnsafeRawBufferPointer(rebasing: buffer[1..<n])) }
                other = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            } catch {
                failure = error
            }
            return nil
        }
        if let bytes { return bytes }
        if let other { return try decode([UInt8].self, from: other) }
        switch failure {
        case .timedOut?: throw .empty
        case .sizeMismatch?, nil: return try readDecoded([UInt8].self, from: ring, timeout: timeout)
        case let failure?: throw .ring(failure)
        }
    }

    @usableFromInline
    static func writeEncoded<Element: Encodable>(_ item: Element, to ring: RingBuffer) throws(QueueError) {
        let sink = ByteSink()
        sink.bytes.append(MessageKind.codable.rawValue)
        do { try BinaryEncoding.encode(item, into: sink, codingPath: []) } catch {
            throw .encoding("\(Element.self) could not be encoded: \(error)")
        }
        var failure: RingBuffer.Error?
        sink.bytes.withUnsafeBytes { bytes in
            do throws(RingBuffer.Error) { try ring.write(bytes) } catch { failure = error }
        }
        if let failure { throw .ring(failure) }
    }

    @inlinable
    static func read<Element: Decodable>(_ type: Element.Type, from ring: RingBuffer, timeout: Duration?) throws(QueueError) -> Element {
        if Element.self == [UInt8].self { return unsafeBitCast(try readBytes(from: ring, timeout: timeout), to: Element.self) }
        if _isPOD(Element.self) {
            // Plain data: read straight into a small stack buffer. A message of another size stays in the ring
            // (sizeMismatch) for the general path; one of this size but another kind is decoded from what we read.
            let size = 1 + MemoryLayout<Element>.size
            var failure: RingBuffer.Error?
            var other: [UInt8]?
            let value: Element? = withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) { buffer -> Element? in
                do throws(RingBuffer.Error) {
                    let n = try ring.read(into: buffer, timeout: timeout)
                    if n == size, buffer[0] == MessageKind.raw.rawValue {
                        return buffer.loadUnaligned(fromByteOffset: 1, as: Element.self)
                    }
                    other = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                } catch {
                    failure = error
                }
                return nil
            }
            if let value { return value }
            if let other { return try decode(type, from: other) }
            switch failure {
            case .timedOut?: throw .empty
            case .sizeMismatch?: break
            case let failure?: throw .ring(failure)
            case nil: break
            }
        }
        return try readDecoded(type, from: ring, timeout: timeout)
    }

    @usableFromInline
    static func readDecoded<Element: Decodable>(_ type: Element.Type, from ring: RingBuffer, timeout: Duration?) throws(QueueError) -> Element {
        let message: [UInt8]
        do { message = try ring.read(timeout: timeout) } catch .timedOut { throw .empty } catch { throw .ring(error) }
        return try decode(type, from: message)
    }

    @usableFromInline
    static func decode<Element: Decodable>(_ type: Element.Type, from message: [UInt8]) throws(QueueError) -> Element {
        do { return try Connection.decode(type, from: message) } catch { throw .wrongType(error.description) }
    }
}
