import CShim

import Glibc

/// A ring buffer of variable-length messages in shared memory, between processes.
///
/// Messages are byte strings of any length, including zero; longer than a quarter of the ring, they travel in
/// fragments and arrive whole. A message becomes visible only once it is complete: a writer killed part-way
/// never shows a reader a torn or partial message, and in the multi-producer mode it never wedges the ring for
/// the other writers. Reads and writes block with optional timeouts (spinning briefly, then sleeping on a
/// futex), and closing one side gives the other an end-of-stream.
///
/// ```swift
/// let ring = try RingBuffer(capacity: 1 << 20)          // anonymous: shared with children forked afterwards
/// // in the writer process:
/// try ring.write(Array("hello".utf8))
/// try ring.write(value: 42)                             // any BitwiseCopyable value
/// ring.closeWriting()
/// // in the reader process:
/// let bytes = try ring.read(timeout: .seconds(1))       // [UInt8]("hello")
/// let n = try ring.read(as: Int.self)                   // 42
/// _ = try? ring.read()                                   // throws RingBuffer.Error.endOfStream
/// ```
///
/// Named rings are created by one process (`RingBuffer(creatingName:)`, which owns and unlinks the name) and
/// attached to by others (`RingBuffer(attachingName:)`).
///
/// A `RingBuffer` object is this process's handle. With `.multiProducerMultiConsumer`, threads of a process
/// may share a handle (each side is serialised by its lock); with `.singleProducerSingleConsumer` the handle
/// keeps positions of its own, so use it from one thread at a time. With `.singleProducerSingleConsumer`, one handle writes and one handle reads for the ring's
/// whole life (a forked child may take over its parent's handle if the parent stops using that side); for
/// several writers or readers, or roles that move between processes, use `.multiProducerMultiConsumer`.
///
/// The corresponding C functions are `cshim_ring_*`.
public final class RingBuffer {
    /// Who may use the ring at once.
    public enum Mode: Sendable {
        /// One writer process, one reader process: lock-free.
        case singleProducerSingleConsumer
        /// Any number of writers and readers; each side is serialised by a robust process-shared mutex.
        case multiProducerMultiConsumer
    }

    /// An end of the ring.
    public enum Side: String, Sendable {
        case writer, reader

        @usableFromInline var cside: Int32 { self == .writer ? Int32(CSHIM_RING_WRITER) : Int32(CSHIM_RING_READER) }
    }

    /// Why a read or write did not happen.
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The timeout passed first (or, for a zero timeout, the ring was empty or full).
        case timedOut
        /// Reading: the write side was closed and every message has been read.
        case endOfStream
        /// Writing: the read side, or this ring's write side, was closed.
        case closed
        /// `read(as:)` found a message whose size is not the size of the requested type.
        case sizeMismatch(expected: Int, actual: Int)
        /// The process at the other end died (found so while waiting on it; SPSC rings): a dead writer's
        /// messages were all delivered first, and its death counts as `closeWriting()`; a dead reader's as
        /// `closeReading()`.
        case peerDied(Side, pid: Int32)
        /// Another live process already writes (or reads) this single-producer single-consumer ring: a second
        /// one would lose messages. Use `.multiProducerMultiConsumer`, or have that process release its side.
        case sideTaken(Side, pid: Int32)
        /// The kernel refused something (setting up, mapping, locking).
        case system(SystemError)

        public var description: String {
            switch self {
            case .timedOut: return "ring buffer: timed out"
            case .endOfStream: return "ring buffer: end of stream (the writer closed it and everything was read)"
            case .closed: return "ring buffer: closed (no reader will take this message)"
            case let .sizeMismatch(expected, actual):
                return "ring buffer: read(as:) expected a \(expected)-byte message but the next one has \(actual) bytes"
            case let .peerDied(side, pid):
                return side == .writer
                    ? "ring buffer: the writer (pid \(pid)) died; every message it finished was delivered"
                    : "ring buffer: the reader (pid \(pid)) died; nobody will take this message"
            case let .sideTaken(side, pid):
                return "ring buffer: process \(pid) is already this single-producer single-consumer ring's \(side) " +
                    "and is alive; a second \(side) would lose messages. Create the ring with " +
                    "mode: .multiProducerMultiConsumer for several \(side)s, or call " +
                    "\(side == .writer ? "releaseWriting()" : "releaseReading()") in process \(pid) first"
            case let .system(error): return "ring buffer: \(error)"
            }
        }
    }

    let memory: SharedMemory
    /// Where the ring starts in `memory` (0 unless placed with `placedIn:offset:`).
    let offset: Int
    @usableFromInline let ring: OpaquePointer

    /// Data capacity in bytes (a power of two).
    public let capacity: Int
    /// The mode it was created with.
    public let mode: Mode
    /// The name of a named ring (without `/`), nil for an anonymous one.
    public var name: String? { memory.name }
    /// Messages up to this length travel as one record; longer ones as fragments.
    public var maxUnfragmentedLength: Int { Int(cshim_ring_max_fragment(ring)) }

    /// The shared memory a ring of `capacity` bytes needs, or nil when `capacity` is not a power of two from
    /// 4 KiB to 4 GiB.
    public static func requiredMemory(capacity: Int) -> Int? {
        let n = cshim_ring_shared_size(UInt64(clamping: capacity))
        return n == 0 ? nil : n
    }

    /// Creates an anonymous ring, shared with every child this process forks afterwards.
    /// - Parameter capacity: data bytes, a power of two from 4 KiB to 4 GiB (default 1 MiB).
    public convenience init(capacity: Int = 1 << 20, mode: Mode = .singleProducerSingleConsumer) throws(Error) {
        let size = try RingBuffer.checkedSize(capacity)
        let memory: SharedMemory
        do { memory = try SharedMemory(anonymousSize: size, debugName: "mpsh-ring") } catch { throw .system(error) }
        try self.init(formatting: memory, capacity: capacity, mode: mode)
    }

    /// Creates a named ring that other processes attach to with `RingBuffer(attachingName:)`. This process owns
    /// the name: it is unlinked when this object goes away (or by `unlink()`).
    ///
    /// A name left behind by a creator that died (SIGKILLed before it could unlink) is recognised, removed and
    /// created afresh; a name whose creator lives, or that is not a ring, is an error that says so.
    public convenience init(creatingName name: String, capacity: Int = 1 << 20,
                            mode: Mode = .singleProducerSingleConsumer) throws(Error) {
        let size = try RingBuffer.checkedSize(capacity)
        let memory: SharedMemory
        do {
            memory = try SharedMemory(name: name, create: true, size: size)
        } catch where error.errno == EEXIST {
            switch RingBuffer.nameState(name) {
            case .stale, .absent:
                break
            case .live:
                throw .system(SystemError(operation: "RingBuffer(creatingName: \(name))", errno: EEXIST,
                                          hint: "a ring of that name exists and its creator is alive: attach to it with " +
                                            "RingBuffer(attachingName:) or RingBuffer(openingOrCreatingName:), or choose " +
                                            "another name"))
            case .notARing:
                throw .system(SystemError(operation: "RingBuffer(creatingName: \(name))", errno: EEXIST,
                                          hint: "a shared memory block of that name exists and holds no ring of this " +
                                            "layout (another program's, or a ring being formatted right now): choose " +
                                            "another name, or remove it with RingBuffer.remove(name:) if it is yours"))
            }
            // Its creator died without unlinking it: nobody can be using it as a live ring's owner; replace it.
            _ = cshim_shm_named_unlink("/" + name)
            do { memory = try SharedMemory(name: name, create: true, size: size) } catch { throw .system(error) }
        } catch {
            throw .system(error)
        }
        try self.init(formatting: memory, capacity: capacity, mode: mode)
    }

    /// Attaches to the named ring if it exists and its creator lives, and otherwise creates it (replacing a name
    /// left by a creator that died). `isCreator` tells which happened; the creator owns the name (see
    /// `init(creatingName:)`). An existing ring keeps its own capacity and mode.
    public convenience init(openingOrCreatingName name: String, capacity: Int = 1 << 20,
                            mode: Mode = .singleProducerSingleConsumer) throws(Error) {
        for attempt in 0..<50 {  // another process may create, format or remove the name between our attempts
            if attempt > 0 { usleep(UInt32(min(attempt, 10)) * 1000) }
            if case .live = RingBuffer.nameState(name) {
                do { try self.init(attachingName: name); return } catch {
                    if case .system(let e) = error, e.errno == ENOENT { continue }
                    throw error
                }
            }
            do { try self.init(creatingName: name, capacity: capacity, mode: mode); return } catch {
                // EEXIST: created meanwhile, or being formatted (not a ring yet): look again.
                if case .system(let e) = error, e.errno == EEXIST, attempt < 49 { continue }
                throw error
            }
        }
        throw .system(SystemError(operation: "RingBuffer(openingOrCreatingName: \(name))", errno: EAGAIN,
                                  hint: "the name kept appearing and disappearing; try again"))
    }

    /// Removes a named ring's name, whoever created it (for a name left by a process that died, or a
    /// deliberate tear-down): processes attached keep their ring, new ones cannot attach. Returns whether a
    /// name was removed. The corresponding C function is `shm_unlink`.
    @discardableResult
    public static func remove(name: String) throws(Error) -> Bool {
        if cshim_shm_named_unlink("/" + name) == 0 { return true }
        let code = errno
        if code == ENOENT { return false }
        throw .system(SystemError(operation: "RingBuffer.remove(name: \(name))", errno: code))
    }

    enum NameState { case absent, live, stale, notARing }

    /// Whether `name` exists, and whether the ring there has a live creator.
    static func nameState(_ name: String) -> NameState {
        let memory: SharedMemory
        do { memory = try SharedMemory(name: name) } catch { return error.errno == ENOENT ? .absent : .notARing }
        guard let ring = cshim_ring_attach(memory.buffer.baseAddress!, memory.size) else {
            // Not formatted (yet): a creator may be formatting it right now, or died before it could.
            return .notARing
        }
        defer { cshim_ring_detach(ring) }
        return cshim_ring_endpoint_alive(ring, Int32(CSHIM_RING_CREATOR)) != 0 ? .live : .stale
    }

    /// A ring placed at `offset` in `memory` (a `SharedMemory` that holds other things too), kept alive by this
    /// object. `initialize: true` formats it (once, before anyone uses it; `capacity` and `mode` apply only
    /// then); `false` attaches to the ring formatted there. `offset` must be a multiple of 64, and the ring
    /// needs `requiredMemory(capacity:)` bytes from it. Other processes get it by inheriting `memory` (fork) or
    /// by receiving this ring or `memory` as a child's argument.
    public convenience init(placedIn memory: SharedMemory, offset: Int, initialize: Bool, capacity: Int = 1 << 20,
                            mode: Mode = .singleProducerSingleConsumer) throws(Error) {
        guard offset >= 0, offset % 64 == 0, offset < memory.size else {
            throw .system(SystemError(operation: "RingBuffer(placedIn:offset: \(offset))", errno: EINVAL,
                                      hint: "the offset must be a multiple of 64 inside the block (\(memory.size) bytes)"))
        }
        if initialize {
            let size = try RingBuffer.checkedSize(capacity)
            guard size <= memory.size - offset else {
                throw .system(SystemError(operation: "RingBuffer(placedIn:offset: \(offset), capacity: \(capacity))",
                                          errno: EINVAL,
                                          hint: "a ring of \(capacity) bytes needs \(size) bytes of shared memory; " +
                                            "the block has \(memory.size - offset) from that offset"))
            }
            try self.init(formatting: memory, offset: offset, capacity: capacity, mode: mode)
        } else {
            try self.init(attaching: memory, offset: offset)
        }
    }

    /// Attaches to a named ring created by another process.
    public convenience init(attachingName name: String) throws(Error) {
        let memory: SharedMemory
        do { memory = try SharedMemory(name: name) } catch { throw .system(error) }
        try self.init(attaching: memory)
    }

    /// Creates an anonymous elastic multi-producer ring (see `cshim_ring_init_elastic_at`): `reach` bytes of
    /// lazily backed data area, of which writers use the first `window` while readers keep up. For `Queue`.
    convenience init(window: Int, reach: Int) throws(Error) {
        let size = try RingBuffer.checkedSize(reach)
        let memory: SharedMemory
        do { memory = try SharedMemory(anonymousSize: size, debugName: "mpsh-ring") } catch { throw .system(error) }
        let code = cshim_ring_init_elastic_at(memory.buffer.baseAddress!, memory.size, UInt64(reach), UInt64(window),
                                              Int32(CSHIM_RING_MPMC))
        if code != 0 {
            throw .system(SystemError(operation: "RingBuffer(window: \(window), reach: \(reach))", errno: code,
                                      hint: "the window must be a power of two from 4096 bytes to a quarter of the reach"))
        }
        try self.init(attaching: memory)
    }

    /// Bytes of the data area backed by memory now (a diagnostic, for tests).
    var residentBytes: Int { cshim_ring_resident_bytes(ring) }

    private convenience init(formatting memory: SharedMemory, offset: Int = 0, capacity: Int, mode: Mode) throws(Error) {
        let cmode = mode == .singleProducerSingleConsumer ? Int32(CSHIM_RING_SPSC) : Int32(CSHIM_RING_MPMC)
        let code = cshim_ring_init_at(memory.buffer.baseAddress! + offset, memory.size - offset, UInt64(capacity), cmode)
        if code != 0 { throw .system(SystemError(operation: "ring buffer format", errno: code)) }
        try self.init(attaching: memory, offset: offset)
    }

    init(attaching memory: SharedMemory, offset: Int = 0) throws(Error) {
        guard offset >= 0, offset < memory.size,
              let ring = cshim_ring_attach(memory.buffer.baseAddress! + offset, memory.size - offset) else {
            let code = offset >= 0 && offset < memory.size ? errno : EINVAL
            throw .system(SystemError(operation: "ring buffer attach\(memory.name.map { "(\($0))" } ?? "") at offset \(offset)",
                                      errno: code,
                                      hint: "the shared memory does not hold a ring buffer of layout version " +
                                        "\(CSHIM_RING_LAYOUT_VERSION) there (a ring made by another version of the library, " +
                                        "or not a ring)"))
        }
        self.memory = memory
        self.offset = offset
        self.ring = ring
        self.capacity = Int(cshim_ring_capacity(ring))
        self.mode = cshim_ring_mode(ring) == CSHIM_RING_SPSC ? .singleProducerSingleConsumer : .multiProducerMultiConsumer
    }

    deinit { cshim_ring_detach(ring) }

    private static func checkedSize(_ capacity: Int) throws(Error) -> Int {
        guard let size = requiredMemory(capacity: capacity) else {
            throw .system(SystemError(operation: "RingBuffer(capacity: \(capacity))", errno: EINVAL,
                                      hint: "the capacity must be a power of two from 4096 bytes to 4 GiB"))
        }
        return size
    }

    /// Maps CShim's answers to `Error`.
    @usableFromInline enum Direction: String { case read, write }

    @inlinable @inline(__always)
    func check(_ code: Int32, _ direction: Direction) throws(Error) {
        if code != 0 { throw failure(code, direction) }
    }

    @usableFromInline func failure(_ code: Int32, _ direction: Direction) -> Error {
        switch code {
        case EAGAIN, ETIMEDOUT: return .timedOut
        case EPIPE: return direction == .read ? .endOfStream : .closed
        case ECONNRESET:
            let side: Side = direction == .read ? .writer : .reader
            return .peerDied(side, pid: cshim_ring_endpoint_pid(ring, side.cside))
        case EBUSY:
            let side: Side = direction == .read ? .reader : .writer
            return .sideTaken(side, pid: cshim_ring_endpoint_pid(ring, side.cside))
        default: return .system(SystemError(operation: "ring buffer \(direction.rawValue)", errno: code))
        }
    }

    // MARK: Writing

    /// Writes one message, waiting at most `timeout` for room (`nil`: forever; `.zero`: only try).
    /// A message longer than the ring is streamed through it in fragments while the reader takes them.
    @inlinable
    public func write(_ bytes: UnsafeRawBufferPointer, timeout: Duration? = nil) throws(Error) {
        try check(cshim_ring_write_inline(ring, bytes.baseAddress, bytes.count, cshimTimeout(timeout)), .write)
    }

    /// Writes one message made of several parts (a header and a payload, say) without joining them first.
    public func write(parts: [UnsafeRawBufferPointer], timeout: Duration? = nil) throws(Error) {
        var iov = parts.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        let code = iov.withUnsafeMutableBufferPointer {
            cshim_ring_writev(ring, $0.baseAddress, Int32($0.count), cshimTimeout(timeout))
        }
        try check(code, .write)
    }

    /// Writes one message of several parts, and while it waits for room asks `keepWaiting` every `interval`:
    /// false gives up (`.closed`; a half-sent long message is cancelled). For a writer that must notice a
    /// vanished reader without putting a deadline on a long message (a deadline cancels the message).
    public func write(parts: [UnsafeRawBufferPointer], timeout: Duration? = nil, checkingEvery interval: Duration,
                      keepWaiting: () -> Bool) throws(Error) {
        var iov = parts.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
        let code = withoutActuallyEscaping(keepWaiting) { check in
            var check = check
            return withUnsafeMutablePointer(to: &check) { context in
                iov.withUnsafeMutableBufferPointer { vector in
                    cshim_ring_writev_checked(ring, vector.baseAddress, Int32(vector.count), cshimTimeout(timeout),
                                              interval.cshimNanoseconds, { context in
                        context!.assumingMemoryBound(to: (() -> Bool).self).pointee() ? 0 : 1
                    }, context)
                }
            }
        }
        try check(code, .write)
    }

    /// Writes one message made of a short header and a payload, without allocating (the queues' fast path).
    @inlinable
    public func write(kind: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, timeout: Duration? = nil) throws(Error) {
        let code = withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { vector in
            vector[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: kind.baseAddress), iov_len: kind.count)
            vector[1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress), iov_len: payload.count)
            return cshim_ring_writev(ring, vector.baseAddress, 2, cshimTimeout(timeout))
        }
        try check(code, .write)
    }

    /// Writes the bytes of `bytes` as one message.
    public func write(_ bytes: [UInt8], timeout: Duration? = nil) throws(Error) {
        let code = bytes.withUnsafeBytes { cshim_ring_write(ring, $0.baseAddress, $0.count, cshimTimeout(timeout)) }
        try check(code, .write)
    }

    /// Writes the UTF-8 bytes of `string` as one message.
    public func write(_ string: String, timeout: Duration? = nil) throws(Error) {
        var string = string
        let code = string.withUTF8 { cshim_ring_write(ring, $0.baseAddress, $0.count, cshimTimeout(timeout)) }
        try check(code, .write)
    }

    /// Writes the in-memory representation of `value` as one message, from `value`'s own storage: for a large
    /// value (kilobytes) in a variable, `write(value: &record)` copies it once, into the ring, where the borrowing
    /// `write(value: record)` may first be given a copy by the compiler (a `var`'s or `pointee`'s borrow is a
    /// copy: measured at half the raw write's speed for 4 KiB). `value` is not modified.
    @inlinable
    public func write<Value: BitwiseCopyable>(value: inout Value, timeout: Duration? = nil) throws(Error) {
        let code = withUnsafeBytes(of: &value) {
            cshim_ring_write_inline(ring, $0.baseAddress, $0.count, cshimTimeout(timeout))
        }
        try check(code, .write)
    }

    /// Writes the in-memory representation of `value` as one message.
    @inlinable
    public func write<Value: BitwiseCopyable>(value: borrowing Value, timeout: Duration? = nil) throws(Error) {
        // Borrowed, not copied into a local first: a large value (kilobytes) is copied once, into the ring.
        let code = withUnsafeBytes(of: value) {
            cshim_ring_write_inline(ring, $0.baseAddress, $0.count, cshimTimeout(timeout))
        }
        try check(code, .write)
    }

    // MARK: Reading

    /// Reads the next message into `buffer`, waiting at most `timeout`. Returns its length. When the message is
    /// longer than `buffer`, nothing is consumed and `.sizeMismatch(expected: buffer.count, actual: length)`
    /// is thrown.
    @inlinable
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration? = nil) throws(Error) -> Int {
        var length = 0
        let code = cshim_ring_read_inline(ring, buffer.baseAddress, buffer.count, &length, cshimTimeout(timeout), 0)
        if code == EMSGSIZE { throw .sizeMismatch(expected: buffer.count, actual: length) }
        try check(code, .read)
        return length
    }

    /// Reads the next message, waiting at most `timeout` (`nil`: forever; `.zero`: only try).
    /// Keeps no state in the handle: with `.multiProducerMultiConsumer`, threads may read through one handle.
    public func read(timeout: Duration? = nil) throws(Error) -> [UInt8] {
        // Most messages are small: read into the stack, then copy out exactly. A longer one is measured by the
        // attempt (EMSGSIZE, nothing consumed) and read straight into an array of its size.
        var length = 0
        var code: Int32 = 0
        var result: [UInt8]?
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { buffer in
            code = cshim_ring_read(ring, buffer.baseAddress, buffer.count, &length, cshimTimeout(timeout))
            if code == 0 { result = Array(UnsafeRawBufferPointer(rebasing: buffer[..<length])) }
        }
        if let result { return result }
        while code == EMSGSIZE {
            // The message we measured is there now, so do not wait longer than asked; with several readers
            // another may take it first, and the next attempt measures the next one.
            let size = length
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { out, count in
                code = cshim_ring_read(ring, out.baseAddress, size, &length, cshimTimeout(timeout))
                count = code == 0 ? length : 0
            }
            if code == 0 { return bytes }
        }
        try check(code, .read)
        return []  // not reached: check throws for every non-zero code
    }

    /// Reads the next message as the UTF-8 text of a `String`.
    public func readString(timeout: Duration? = nil) throws(Error) -> String {
        String(decoding: try read(timeout: timeout), as: UTF8.self)
    }

    /// Reads the next message as a value written by `write(value:)`. A message of another size is left in
    /// place and reported as `.sizeMismatch`. (Inlinable, so that it is specialised where it is called.)
    @inlinable
    public func read<Value: BitwiseCopyable>(as type: Value.Type, timeout: Duration? = nil) throws(Error) -> Value {
        let size = MemoryLayout<Value>.size
        var length = 0
        let (code, value) = withUnsafeTemporaryAllocation(of: Value.self, capacity: 1) { slot in
            let code = cshim_ring_read_inline(ring, slot.baseAddress, size, &length, cshimTimeout(timeout), 1)
            return (code, code == 0 ? UnsafeRawPointer(slot.baseAddress!).loadUnaligned(as: Value.self) : nil)
        }
        if code == EMSGSIZE { throw .sizeMismatch(expected: size, actual: length) }
        try check(code, .read)
        return value!
    }

    /// Reads the next message, written by `write(value:)`, into `value` (the caller's storage: no allocation,
    /// no copy beyond the ring's). A message of another size is left in place and reported as `.sizeMismatch`;
    /// `value` is then unchanged.
    @inlinable
    public func read<Value: BitwiseCopyable>(into value: inout Value, timeout: Duration? = nil) throws(Error) {
        let size = MemoryLayout<Value>.size
        var length = 0
        let code = withUnsafeMutableBytes(of: &value) { bytes in
            cshim_ring_read_inline(ring, bytes.baseAddress, size, &length, cshimTimeout(timeout), 1)
        }
        if code == EMSGSIZE { throw .sizeMismatch(expected: size, actual: length) }
        try check(code, .read)
    }

    /// Waits at most `timeout` until a message can be read, and returns its length without consuming it.
    public func waitReadable(timeout: Duration? = nil) throws(Error) -> Int {
        var length = 0
        try check(cshim_ring_wait_readable(ring, &length, cshimTimeout(timeout)), .read)
        return length
    }

    // MARK: State

    /// Ends the stream for every process: readers get `.endOfStream` once they have read what was written.
    public func closeWriting() { cshim_ring_close(ring, Int32(CSHIM_RING_CLOSE_WRITE)) }
    /// Stops readers for every process: writers get `.closed` at once.
    public func closeReading() { cshim_ring_close(ring, Int32(CSHIM_RING_CLOSE_READ)) }
    /// Whether `closeWriting()` was called by any process.
    public var isWriteClosed: Bool { cshim_ring_closed(ring) & Int32(CSHIM_RING_CLOSE_WRITE) != 0 }
    /// Whether `closeReading()` was called by any process.
    public var isReadClosed: Bool { cshim_ring_closed(ring) & Int32(CSHIM_RING_CLOSE_READ) != 0 }
    /// Bytes queued right now, record headers included (a snapshot).
    public var bytesQueued: Int { Int(cshim_ring_bytes_used(ring)) }
    /// Messages cancelled part-way because their writer timed out or died between fragments.
    public var abortedMessages: Int { Int(cshim_ring_aborted_messages(ring)) }

    /// How long this handle spins before sleeping when it must wait (default 50 µs). Spinning makes hand-offs
    /// fast when the peer runs on another CPU; with more busy processes than CPUs, spin less or not at all.
    public func setSpin(_ duration: Duration) { cshim_ring_set_spin(ring, duration.cshimNanoseconds) }

    /// `setSpin(_:)`, where `yielding: true` also gives the CPU away (sched_yield) every few dozen turns of the
    /// spin: for a machine with more busy processes than CPUs, where the peer may be queued behind this one.
    public func setSpin(_ duration: Duration, yielding: Bool) {
        if yielding { cshim_ring_set_spin_yielding(ring, duration.cshimNanoseconds) } else { setSpin(duration) }
    }

    /// Removes a named ring's name (owner only): processes attached keep working, new ones cannot attach.
    public func unlink() throws(Error) {
        do { try memory.unlink() } catch { throw .system(error) }
    }
}

// MARK: - Sharing with a child started by forkserver or spawn

extension RingBuffer: Codable {
    private enum CodingKeys: String, CodingKey { case memory, offset }

    /// Encodes the ring as its shared memory (see Reduction.swift). Only valid inside a child's argument.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(memory, forKey: .memory)
        if offset != 0 { try container.encode(offset, forKey: .offset) }
    }

    /// Attaches to a ring received by a child started by forkserver or spawn.
    public convenience init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(attaching: try container.decode(SharedMemory.self, forKey: .memory),
                      offset: try container.decodeIfPresent(Int.self, forKey: .offset) ?? 0)
    }
}
