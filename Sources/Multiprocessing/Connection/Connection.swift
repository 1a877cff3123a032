import CShim

import Glibc

/// Creates a pipe between processes: two connected `Connection`s. With `duplex` (the default) both ends send
/// and receive; otherwise the first end only receives and the second only sends.
///
/// ```swift
/// let (parentEnd, childEnd) = try Pipe()
/// let child = Process { try childEnd.send("hello"); try childEnd.send(value: 42) }
/// try child.start()
/// childEnd.close()                                  // as in CPython: so that EOF arrives when the child ends
/// print(try parentEnd.recv(as: String.self))        // "hello"
/// print(try parentEnd.recv(as: Int.self))           // 42
/// try child.join()
/// _ = try? parentEnd.recv(as: Int.self)             // ConnectionError.endOfFile
/// ```
///
/// Mirrors `multiprocessing.Pipe(duplex=True)`.
public func Pipe(duplex: Bool = true, capacity: Int = 1 << 20) throws(ConnectionError) -> (Connection, Connection) {
    let toSecond = try makeRing(capacity)
    let toFirst = duplex ? try makeRing(capacity) : nil
    var fds: [Int32] = [0, 0]
    do {
        _ = try syscall("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) }
    } catch { throw .system(error) }
    let first = Connection(inbound: duplex ? toFirst : toSecond, outbound: duplex ? toSecond : nil, liveness: fds[0])
    let second = Connection(inbound: duplex ? toSecond : nil, outbound: duplex ? toFirst : toSecond, liveness: fds[1])
    return (first, second)
}

private func makeRing(_ capacity: Int) throws(ConnectionError) -> RingBuffer {
    do { return try RingBuffer(capacity: capacity, mode: .multiProducerMultiConsumer) } catch { throw .ring(error) }
}

/// Runs `body`, which reports a failure as its result (the standard library's pointer closures do not carry
/// typed throws yet), and throws it.
@inline(__always)
private func rethrowing(_ body: () -> ConnectionError?) throws(ConnectionError) {
    if let error = body() { throw error }
}

/// One end of a `Pipe`: sends and receives whole messages, in order, between processes.
///
/// Messages are Swift values: `Codable` values (a compact binary encoding), `String`, `[UInt8]`, and any
/// `BitwiseCopyable` value sent with `send(value:)` (its bytes, the fastest path). The receiver asks for the
/// type it expects; a message of another type is an error that says what arrived. Messages of any size work:
/// longer ones stream through the shared-memory ring while the receiver takes them.
///
/// End-of-file and broken pipes follow CPython: `recv` throws `.endOfFile` once every copy of the other end is
/// closed — in every process, and also when the processes holding it died — and nothing is left to read (as
/// in CPython, close the end you do not use after starting a child, or the pipe never ends). End-of-file is
/// noticed within about 10 ms.
///
/// A `Connection` is used from one thread at a time. Mirrors `multiprocessing.connection.Connection`.
public final class Connection {
    @usableFromInline let inbound: RingBuffer?
    @usableFromInline let outbound: RingBuffer?
    /// The socket that stands for this end's life (its peer sees a hang-up when every copy is closed); nil once
    /// `close()` was called.
    private var livenessSocket: FileDescriptor?
    /// Its number, or -1 once closed.
    @usableFromInline var liveness: Int32 { livenessSocket?.rawValue ?? -1 }
    /// Whether this end may receive. Mirrors `Connection.readable`.
    public var readable: Bool { inbound != nil }
    /// Whether this end may send. Mirrors `Connection.writable`.
    public var writable: Bool { outbound != nil }
    /// Whether `close()` was called (here, in this process). Mirrors `Connection.closed`.
    public var closed: Bool { liveness < 0 }

    /// How long a blocked receive or send sleeps before it checks that the other end still exists.
    @usableFromInline static let livenessSlice: Duration = .milliseconds(10)

    fileprivate init(inbound: RingBuffer?, outbound: RingBuffer?, liveness: Int32) {
        self.inbound = inbound
        self.outbound = outbound
        self.livenessSocket = FileDescriptor(owning: liveness)
    }

    /// Closes this process's copy of this end. Other processes' copies stay open; when none is left, the other
    /// end reads end-of-file. Mirrors `Connection.close()`.
    public func close() { livenessSocket = nil }

    /// The descriptor that stands for this end's life: for `poll` on hang-ups. Mirrors `Connection.fileno()`.
    public func fileno() throws(ConnectionError) -> Int32 {
        try checkOpen()
        return liveness
    }

    // MARK: Sending

    /// Sends a `Codable` value. Mirrors `Connection.send(obj)`.
    public func send<Value: Encodable>(_ value: Value) throws(ConnectionError) {
        let sink = ByteSink()
        sink.bytes.append(MessageKind.codable.rawValue)
        do { try BinaryEncoding.encode(value, into: sink, codingPath: []) } catch {
            throw .encoding("\(Value.self) could not be encoded: \(error)")
        }
        try rethrowing { sink.bytes.withUnsafeBytes { bytes in
            do throws(ConnectionError) { try post([bytes]) } catch { return error }
            return nil
        } }
    }

    /// Sends a value that is both `Encodable` and `BitwiseCopyable` (Int, Double, a struct of such fields) by
    /// its bytes: the `send(value:)` path, 3–4× faster than encoding it. (An overload, so `send(42)` takes it
    /// without the caller asking.) Every `recv` for its type accepts it: `recv(as: Int.self)` loads the bytes,
    /// and a `Decodable`-only `recv` of a plain-data type does too.
    @inlinable
    public func send<Value: Encodable & BitwiseCopyable>(_ value: Value) throws(ConnectionError) {
        try send(value: value)
    }

    /// Sends a string (UTF-8).
    public func send(_ string: String) throws(ConnectionError) {
        var string = string
        try rethrowing { string.withUTF8 { utf8 in
            do throws(ConnectionError) { try post(kind: .string, UnsafeRawBufferPointer(utf8)) } catch { return error }
            return nil
        } }
    }

    /// Sends the bytes of a `BitwiseCopyable` value, the fastest path; receive it with `recv(as:)` of the same
    /// type. (Inlinable, so that it is specialised for the value's type where it is called.)
    @inlinable
    public func send<Value: BitwiseCopyable>(value: Value) throws(ConnectionError) {
        var value = value
        var kind = MessageKind.raw.rawValue
        var failure: ConnectionError?
        withUnsafeBytes(of: &kind) { kindBytes in
            withUnsafeBytes(of: &value) { payload in
                // Fast path: room in the ring right now, so no allocation and no stall check are needed.
                if let outbound, liveness >= 0, (try? outbound.write(kind: kindBytes, payload: payload, timeout: .zero)) != nil {
                    return
                }
                do throws(ConnectionError) { try postWaiting(kind: kindBytes, payload: payload) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// The slow path of a send: checks, then waits for room while a reader exists.
    @usableFromInline
    func postWaiting(kind: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws(ConnectionError) {
        try post([kind, payload])
    }

    /// Sends `size` bytes from `offset` of `bytes` as one message (`offset` and `size` default to all).
    /// Mirrors `Connection.send_bytes(buf, offset, size)`.
    public func sendBytes(_ bytes: [UInt8], offset: Int = 0, size: Int? = nil) throws(ConnectionError) {
        let size = size ?? bytes.count - offset
        guard offset >= 0, size >= 0, offset + size <= bytes.count else {
            throw .invalidArgument("offset \(offset) and size \(size) do not fit a buffer of \(bytes.count) bytes")
        }
        try rethrowing { bytes.withUnsafeBytes { raw in
            let payload = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)])
            // Fast path, as send(value:)'s: room in the ring right now, so no parts array and no stall check.
            if let outbound, liveness >= 0 {
                var tag = MessageKind.bytes.rawValue
                let sent = withUnsafeBytes(of: &tag) { tagBytes in
                    (try? outbound.write(kind: tagBytes, payload: payload, timeout: .zero)) != nil
                }
                if sent { return nil }
            }
            do throws(ConnectionError) { try post(kind: .bytes, payload) } catch { return error }
            return nil
        } }
    }

    private func post(kind: MessageKind, _ payload: UnsafeRawBufferPointer) throws(ConnectionError) {
        var tag = kind.rawValue
        try rethrowing { withUnsafeBytes(of: &tag) { tagBytes in
            do throws(ConnectionError) { try post([tagBytes, payload]) } catch { return error }
            return nil
        } }
    }

    /// Writes one message. While it waits for room it checks every 10 ms that a reader still exists; a vanished
    /// reader turns into `.brokenPipe` (a long message is never cancelled just because it takes a while).
    private func post(_ parts: [UnsafeRawBufferPointer]) throws(ConnectionError) {
        try checkOpen()
        guard let outbound else { throw .notWritable }
        var gone = false
        do {
            try outbound.write(parts: parts, checkingEvery: Connection.livenessSlice) {
                gone = peerIsGone()
                return !gone
            }
        } catch .closed where gone {
            throw .brokenPipe
        } catch {
            throw .ring(error)
        }
    }

    // MARK: Receiving

    /// Receives the next message as a `T`. Waits for ever (use `poll` first for a timeout). Mirrors
    /// `Connection.recv()`.
    public func recv<Value: Decodable>(as type: Value.Type = Value.self) throws(ConnectionError) -> Value {
        let message = try take(timeout: nil)
        return try Connection.decode(type, from: message)
    }

    /// Receives the next message as a `BitwiseCopyable` value sent with `send(value:)`.
    @inlinable
    public func recv<Value: BitwiseCopyable>(as type: Value.Type = Value.self) throws(ConnectionError) -> Value {
        if let value = try takeRaw(Value.self) { return value }
        return try Connection.loadRaw(Value.self, from: try take(timeout: nil))
    }

    @usableFromInline
    static func loadRaw<Value: BitwiseCopyable>(_ type: Value.Type, from message: [UInt8]) throws(ConnectionError) -> Value {
        guard message.first == MessageKind.raw.rawValue, message.count == 1 + MemoryLayout<Value>.size else {
            throw .wrongType(expected: "\(Value.self) (\(MemoryLayout<Value>.size) bytes)", got: Connection.describe(message))
        }
        return message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 1, as: Value.self) }
    }

    /// Receives the next message as a value that is both `Decodable` and `BitwiseCopyable` (Int, Double, …),
    /// whichever way it was sent.
    @inlinable
    public func recv<Value: Decodable & BitwiseCopyable>(as type: Value.Type = Value.self) throws(ConnectionError) -> Value {
        if let value = try takeRaw(Value.self) { return value }
        return try Connection.loadRawOrDecode(type, from: try take(timeout: nil))
    }

    @usableFromInline
    static func loadRawOrDecode<Value: Decodable & BitwiseCopyable>(_ type: Value.Type, from message: [UInt8]) throws(ConnectionError) -> Value {
        if message.first == MessageKind.raw.rawValue, message.count == 1 + MemoryLayout<Value>.size {
            return message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 1, as: Value.self) }
        }
        return try Connection.decode(type, from: message)
    }

    /// Receives the next message, which must be bytes (sendBytes), as an array; longer than `maxLength` is an
    /// error and the message is dropped, as in CPython. Mirrors `Connection.recv_bytes(maxlength)`.
    public func recvBytes(maxLength: Int? = nil) throws(ConnectionError) -> [UInt8] {
        if let fast = try recvBytesReady(maxLength: maxLength) { return fast }
        let message = try take(timeout: nil)
        guard message.first == MessageKind.bytes.rawValue || message.first == MessageKind.string.rawValue else {
            throw .wrongType(expected: "bytes", got: Connection.describe(message))
        }
        if let maxLength, message.count - 1 > maxLength { throw .messageTooLong(message.count - 1) }
        return message.withUnsafeBytes { Array(UnsafeRawBufferPointer(rebasing: $0[1...])) }  // one memcpy
    }

    /// The fast path of `recvBytes`: a message of up to 4 KiB that has already arrived, read into the stack and
    /// copied out once, with no wait and no clock arithmetic. Nil (nothing consumed) when none is there or it is
    /// longer: `take` then waits, with the liveness checks.
    private func recvBytesReady(maxLength: Int?) throws(ConnectionError) -> [UInt8]? {
        try checkOpen()
        guard let inbound else { throw .notReadable }
        var other: [UInt8]?
        let bytes: [UInt8]? = withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { buffer -> [UInt8]? in
            guard let n = try? inbound.read(into: buffer, timeout: .zero), n > 0 else { return nil }
            if buffer[0] == MessageKind.bytes.rawValue || buffer[0] == MessageKind.string.rawValue {
                return Array(UnsafeRawBufferPointer(rebasing: buffer[1..<n]))
            }
            other = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            return nil
        }
        if let other { throw .wrongType(expected: "bytes", got: Connection.describe(other)) }
        if let bytes, let maxLength, bytes.count > maxLength { throw .messageTooLong(bytes.count) }
        return bytes
    }

    /// Receives the next bytes message into `buffer` at `offset` and returns its length. A message that does
    /// not fit is an error that carries it (CPython: BufferTooShort). Mirrors `Connection.recv_bytes_into`.
    public func recvBytes(into buffer: UnsafeMutableRawBufferPointer, offset: Int = 0) throws(ConnectionError) -> Int {
        guard offset >= 0, offset <= buffer.count else {
            throw .invalidArgument("offset \(offset) is outside a buffer of \(buffer.count) bytes")
        }
        let message = try recvBytes()
        guard message.count <= buffer.count - offset else { throw .bufferTooShort(message) }
        message.withUnsafeBytes { buffer.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return message.count
    }

    /// Whether a message (or end-of-file) can be received within `timeout` (`nil`: wait for ever; default: do
    /// not wait). Mirrors `Connection.poll(timeout)`.
    public func poll(timeout: Duration? = .zero) throws(ConnectionError) -> Bool {
        try checkOpen()
        guard let inbound else { throw .notReadable }
        // A message already there: answer without the clock arithmetic of a timed wait.
        if (try? inbound.waitReadable(timeout: .zero)) != nil { return true }
        let deadline = timeout.map { cshim_now_ns() + $0.cshimNanoseconds }
        while true {
            let slice = deadline.map { Duration.nanoseconds(max(0, min($0 - cshim_now_ns(), 10_000_000))) }
                ?? Connection.livenessSlice
            do {
                _ = try inbound.waitReadable(timeout: slice)
                return true
            } catch .timedOut {
                if peerIsGone() { return true }  // recv will report end-of-file at once
                if let deadline, cshim_now_ns() >= deadline { return false }
            } catch .endOfStream {
                return true
            } catch {
                throw .ring(error)
            }
        }
    }

    /// The fast path of a plain-data receive: the next message, if it is that value's raw bytes, read into a
    /// stack buffer with no allocation. Nil (nothing consumed) when the next message is of another size, or
    /// nothing has arrived yet: `take` then waits, with the liveness checks.
    @inlinable
    func takeRaw<Value>(_ type: Value.Type) throws(ConnectionError) -> Value? {
        try checkOpen()
        guard let inbound else { throw .notReadable }
        let size = 1 + MemoryLayout<Value>.size
        var other: [UInt8]?
        let value: Value? = withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) { buffer -> Value? in
            // A short spin-and-sleep wait for the common case; liveness is checked by `take` if it runs out.
            guard let n = try? inbound.read(into: buffer, timeout: Connection.livenessSlice) else { return nil }
            if n == size, buffer[0] == MessageKind.raw.rawValue { return buffer.loadUnaligned(fromByteOffset: 1, as: Value.self) }
            other = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            return nil
        }
        if let other { throw Connection.wrongRaw(Value.self, got: other) }
        return value
    }

    @usableFromInline
    static func wrongRaw<Value>(_ type: Value.Type, got message: [UInt8]) -> ConnectionError {
        .wrongType(expected: "\(Value.self) (\(MemoryLayout<Value>.size) bytes)", got: describe(message))
    }

    /// The next message's bytes (kind byte first), waiting in slices and turning a vanished sender with an
    /// empty ring into `.endOfFile`.
    @usableFromInline
    func take(timeout: Duration?) throws(ConnectionError) -> [UInt8] {
        try checkOpen()
        guard let inbound else { throw .notReadable }
        while true {
            do {
                return try inbound.read(timeout: Connection.livenessSlice)
            } catch .timedOut {
                if peerIsGone() {
                    // Anything sent before the end went away is still delivered.
                    if let last = try? inbound.read(timeout: .zero) { return last }
                    throw .endOfFile
                }
            } catch {
                throw .ring(error)
            }
        }
    }

    /// Whether every copy of the other end is closed: our socket then reads end-of-file.
    private func peerIsGone() -> Bool {
        var p = pollfd(fd: liveness, events: Int16(POLLIN), revents: 0)
        guard (try? syscall("poll") { Glibc.poll(&p, 1, 0) }) == 1 else { return false }
        if p.revents & Int16(POLLHUP | POLLERR) != 0 { return true }
        var byte: UInt8 = 0
        // 0: end of file; EAGAIN (nothing to read, the peer is there) is not an end
        return (try? syscall("recv") { Glibc.recv(liveness, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) }) == 0
    }

    @usableFromInline
    func checkOpen() throws(ConnectionError) {
        if liveness < 0 { throw .closed }
    }

    // MARK: Decoding

    static func decode<Value: Decodable>(_ type: Value.Type, from message: [UInt8]) throws(ConnectionError) -> Value {
        guard let kind = message.first.flatMap(MessageKind.init(rawValue:)) else {
            throw .wrongType(expected: "\(Value.self)", got: describe(message))
        }
        switch kind {
        case .string:
            if let s = String(decoding: message[1...], as: UTF8.self) as? Value { return s }
        case .bytes:
            if let b = Array(message[1...]) as? Value { return b }
        case .raw:
            // A value sent with send(value:): load it if the type is plain data of the same size.
            if _isPOD(Value.self), message.count == 1 + MemoryLayout<Value>.size {
                return message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 1, as: Value.self) }
            }
        case .codable:
            do {
                return try message.withUnsafeBytes { raw in
                    var reader = WireReader(UnsafeRawBufferPointer(rebasing: raw[1...]))
                    let value = try BinaryDecoding.decode(type, from: &reader, codingPath: [])
                    guard reader.offset == raw.count - 1 else { throw MessageDecodingError("bytes left over") }
                    return value
                }
            } catch {
                throw .wrongType(expected: "\(Value.self)", got: "a value that does not decode as one (\(error))")
            }
        }
        throw .wrongType(expected: "\(Value.self)", got: describe(message))
    }

    static func describe(_ message: [UInt8]) -> String {
        switch message.first.flatMap(MessageKind.init(rawValue:)) {
        case .raw: return "a \(message.count - 1)-byte value sent with send(value:)"
        case .bytes: return "\(message.count - 1) bytes"
        case .string: return "a string"
        case .codable: return "a Codable value"
        case nil: return "an unknown message"
        }
    }
}

extension Connection: CustomStringConvertible {
    /// Mirrors CPython's `<multiprocessing.connection.Connection object at 0x…>`, with what the end can do.
    public var description: String {
        "<Connection \(readable && writable ? "duplex" : readable ? "read-only" : "write-only")\(closed ? " closed" : "")>"
    }
}

/// Why a `Connection` operation failed, with CPython's exception in mind.
public enum ConnectionError: Error, Equatable, CustomStringConvertible {
    /// The other end is closed everywhere and nothing is left to read (CPython: EOFError).
    case endOfFile
    /// The other end is closed everywhere, so nobody will read (CPython: BrokenPipeError).
    case brokenPipe
    /// This end was closed (CPython: OSError "handle is closed").
    case closed
    case notReadable
    case notWritable
    /// The message is not of the type asked for.
    case wrongType(expected: String, got: String)
    /// A message longer than `maxLength` (CPython: OSError "bad message length").
    case messageTooLong(Int)
    /// The buffer given to `recvBytes(into:)` is too small; the message is here (CPython: BufferTooShort).
    case bufferTooShort([UInt8])
    case invalidArgument(String)
    case encoding(String)
    case ring(RingBuffer.Error)
    case system(SystemError)

    public var description: String {
        switch self {
        case .endOfFile: return "end of file: the other end of the pipe is closed and nothing is left to read (EOFError)"
        case .brokenPipe: return "broken pipe: the other end of the pipe is closed, nobody will read this (BrokenPipeError)"
        case .closed: return "handle is closed: this end of the pipe was closed in this process"
        case .notReadable: return "connection is write-only"
        case .notWritable: return "connection is read-only"
        case let .wrongType(expected, got): return "expected \(expected) but received \(got)"
        case let .messageTooLong(n): return "bad message length: \(n) bytes is longer than maxLength"
        case let .bufferTooShort(message): return "buffer too short for a message of \(message.count) bytes (BufferTooShort)"
        case let .invalidArgument(what): return what
        case let .encoding(what): return what
        case let .ring(error): return error.description
        case let .system(error): return error.description
        }
    }
}

extension Connection {
    /// Waits until at least one of `connections` can be received from (a message, or end-of-file) or one of
    /// `sentinels` (`Process.sentinel`, or any descriptor) is readable, at most `timeout` (`nil`: for ever).
    /// Returns the ready ones; both lists are empty on timeout.
    ///
    /// Messages wake the waiter at once (it sleeps on every pipe's ring together); a sentinel or a vanished
    /// writer is noticed within about 10 ms.
    ///
    /// Mirrors `multiprocessing.connection.wait(object_list, timeout)`.
    public static func wait(_ connections: [Connection], sentinels: [Int32] = [], timeout: Duration? = nil)
        throws(ConnectionError) -> (connections: [Connection], sentinels: [Int32])
    {
        for connection in connections {
            try connection.checkOpen()
            guard connection.inbound != nil else { throw .notReadable }
        }
        let deadline = timeout.map { cshim_now_ns() + $0.cshimNanoseconds }
        let rings: [OpaquePointer] = connections.map { $0.inbound!.ring }
        var ready = [UInt8](repeating: 0, count: connections.count)
        var fds = sentinels.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            + connections.map { pollfd(fd: $0.liveness, events: Int16(POLLIN), revents: 0) }
        if connections.isEmpty {
            // Only descriptors: poll sleeps on them directly.
            while true {
                let left = deadline.map { max(0, $0 - cshim_now_ns()) }
                let n: Int32
                do {
                    // an interrupted wait goes round again with the time left, not the whole timeout
                    n = try syscall("poll", retryOnInterrupt: false) {
                        Glibc.poll(&fds, nfds_t(fds.count), left.map { Int32(($0 + 999_999) / 1_000_000) } ?? -1)
                    }
                } catch where error.errno == EINTR { continue } catch { throw .system(error) }
                if n > 0 { return ([], fds.filter { $0.revents != 0 }.map(\.fd)) }
                return ([], [])
            }
        }
        while true {
            // Descriptors first: sentinels, and pipes whose writers are all gone.
            var readySentinels: [Int32] = []
            var gone = Set<Int>()
            if !fds.isEmpty, (try? syscall("poll") { Glibc.poll(&fds, nfds_t(fds.count), 0) }) ?? 0 > 0 {
                for (i, fd) in fds.enumerated() where fd.revents != 0 {
                    if i < sentinels.count { readySentinels.append(fd.fd) } else if connections[i - sentinels.count].peerIsGone() {
                        gone.insert(i - sentinels.count)
                    }
                }
            }
            let now = cshim_now_ns()
            let remaining = deadline.map { max(0, $0 - now) }
            let slice = min(remaining ?? Int64.max, readySentinels.isEmpty && gone.isEmpty ? 10_000_000 : 0)
            let count = rings.withUnsafeBufferPointer { ringList in
                ready.withUnsafeMutableBufferPointer { flags in
                    cshim_ring_wait_any(ringList.baseAddress!, Int32(ringList.count), slice, flags.baseAddress!)
                }
            }
            if count < 0 { throw .system(SystemError(operation: "futex_waitv", errno: errno)) }
            let readyConnections = connections.enumerated().filter { ready[$0.offset] != 0 || gone.contains($0.offset) }.map(\.element)
            if !readyConnections.isEmpty || !readySentinels.isEmpty { return (readyConnections, readySentinels) }
            if let deadline, cshim_now_ns() >= deadline { return ([], []) }
        }
    }
}

// MARK: - Sharing with a child started by forkserver or spawn

extension Connection: Codable {
    private enum CodingKeys: String, CodingKey { case inbound, outbound, liveness }

    /// Encodes this end as its rings and its liveness socket (a descriptor sent beside the argument, so that
    /// the child holds this end open exactly as a forked child would). Only valid inside a child's argument.
    public func encode(to encoder: Encoder) throws {
        let transfer = try DescriptorTransfer.required(for: "Connection")
        guard liveness >= 0 else { throw ShareError.notShareable("a closed Connection cannot be sent to a child") }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(inbound, forKey: .inbound)
        try container.encodeIfPresent(outbound, forKey: .outbound)
        try container.encode(transfer.attach(liveness), forKey: .liveness)
    }

    /// Rebuilds a pipe end received by a child started by forkserver or spawn.
    public convenience init(from decoder: Decoder) throws {
        let transfer = try DescriptorTransfer.required(for: "Connection")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let inbound = try container.decodeIfPresent(RingBuffer.self, forKey: .inbound)
        let outbound = try container.decodeIfPresent(RingBuffer.self, forKey: .outbound)
        let liveness = try transfer.adopt(try container.decode(Int.self, forKey: .liveness), for: "Connection")
        self.init(inbound: inbound, outbound: outbound, liveness: liveness)
    }
}
