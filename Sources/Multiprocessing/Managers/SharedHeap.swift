import CShim

import Glibc

/// The shared-memory arena behind a `Manager` and every object it made: a memfd of a fixed reserved size,
/// mapped before the users fork, with dictionaries and lists of encoded values under one robust mutex.
/// See `CShim/include/cshim_shmheap.h` for the layout and why a writer killed mid-operation cannot corrupt it.
///
/// Every handle (`SharedDictionary`, `SharedList`, `SharedNamespace`) keeps this object alive; the mapping goes
/// when the last one in this process does. The memory itself goes when every process has unmapped it, or at
/// once when the manager is shut down.
@usableFromInline
final class SharedHeap: @unchecked Sendable {
    @usableFromInline let heap: OpaquePointer
    let reserve: Int

    init(reserve: Int) throws(ManagerError) {
        guard let heap = cshim_shmheap_create("mpsh-manager", reserve) else {
            throw .system(SystemError(operation: "Manager(capacity: \(reserve)): memfd_create + mmap", errno: errno,
                                      hint: "the address space or memory limits refuse the reservation; ask for a smaller capacity"))
        }
        self.heap = heap
        self.reserve = reserve
    }

    deinit { _ = cshim_shmheap_unmap(heap) }

    /// Runs `body` with the heap locked. A previous holder that died is repaired inside the lock call (the
    /// structures are always consistent; see the header); a shut-down heap throws `.shutDown`.
    @inlinable
    func locked<Result>(_ body: (OpaquePointer) throws(ManagerError) -> Result) throws(ManagerError) -> Result {
        let code = cshim_shmheap_lock(heap, -1)
        if code != 0 && code != EOWNERDEAD { throw lockFailure(code) }
        defer { _ = cshim_shmheap_unlock(heap) }
        return try body(heap)
    }

    @usableFromInline
    func lockFailure(_ code: Int32) -> ManagerError {
        if code == ESHUTDOWN { return .shutDown }
        return .system(SystemError(operation: "locking the Manager's shared heap", errno: code,
                                   hint: code == EDEADLK ? "this thread is already inside a Manager operation" : nil))
    }

    /// The error for a C operation's ENOMEM: the arena is full.
    @usableFromInline
    func full(needing bytes: Int) -> ManagerError {
        .full(capacity: reserve, inUse: cshim_shmheap_used(heap), needed: bytes)
    }

    var isShutDown: Bool { cshim_shmheap_is_shutdown(heap) != 0 }

    func newObject(kind: Int32) throws(ManagerError) -> UInt64 {
        try locked { heap throws(ManagerError) in
            let object = cshim_shmheap_new_object(heap, kind)
            if object == 0 { throw full(needing: 64) }
            return object
        }
    }
}

/// How values are stored: a `[UInt8]` as its bytes (no tag, no walk: the interpreter's encoded values and raw
/// keys go straight in), anything else in the library's binary format (`MessageCodec.swift`).
@usableFromInline
enum ManagedCodec {
    @inlinable
    static func encode<T: Encodable>(_ value: T) throws(ManagerError) -> [UInt8] {
        if T.self == [UInt8].self { return unsafeBitCast(value, to: [UInt8].self) }
        if T.self == Int.self { return encodeInt(unsafeBitCast(value, to: Int.self)) }
        return try encodeWithCodec(value)
    }

    /// An Int in the codec's form (tag `WireTag.int64`, 8 bytes little-endian), in one allocation.
    @usableFromInline
    static func encodeInt(_ value: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 9) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw[0] = WireTag.int64
            raw.storeBytes(of: Int64(value).littleEndian, toByteOffset: 1, as: Int64.self)
            count = 9
        }
    }

    @usableFromInline
    static func encodeWithCodec<T: Encodable>(_ value: T) throws(ManagerError) -> [UInt8] {
        let sink = ByteSink()
        do { try BinaryEncoding.encode(value, into: sink, codingPath: []) } catch {
            throw .encoding("\(T.self) could not be encoded: \(error)")
        }
        return sink.bytes
    }

    /// Decodes a stored value; `bytes` are only valid while the heap is locked, so this runs under the lock
    /// (decoding never calls back into the manager).
    @inlinable
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws(ManagerError) -> T {
        if T.self == [UInt8].self { return unsafeBitCast(Array(bytes), to: T.self) }
        // The common leaves without the Decoder machinery (the codec's `WireTag`s).
        if T.self == Int.self, bytes.count == 9, bytes[0] == WireTag.int64 {
            return unsafeBitCast(Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: Int64.self))), to: T.self)
        }
        if T.self == String.self, bytes.count >= 2, bytes[0] == WireTag.string, bytes[1] < 0x80, bytes.count == 2 + Int(bytes[1]) {
            return unsafeBitCast(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[2...]), as: UTF8.self), to: T.self)
        }
        return try decodeWithCodec(type, from: bytes)
    }

    @usableFromInline
    static func decodeWithCodec<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws(ManagerError) -> T {
        do {
            var reader = WireReader(bytes)
            let value = try BinaryDecoding.decode(type, from: &reader, codingPath: [])
            guard reader.offset == bytes.count else {
                throw MessageDecodingError("\(bytes.count - reader.offset) bytes left over")
            }
            return value
        } catch {
            throw .decoding("the stored value could not be decoded as \(T.self): \(error) (was it stored with another type?)")
        }
    }

    /// How a key is shown in an error, as Python's repr would: strings quoted, bytes as b'...'.
    @usableFromInline
    static func repr<T>(_ value: T) -> String {
        if let s = value as? String { return "'" + s + "'" }
        if let b = value as? [UInt8] {
            return "b'" + b.map { $0 >= 0x20 && $0 < 0x7f && $0 != 0x27 && $0 != 0x5c
                ? String(UnicodeScalar($0)) : "\\x" + (String($0, radix: 16).count == 1 ? "0" : "") + String($0, radix: 16) }
                .joined() + "'"
        }
        return "\(value)"
    }
}

extension Array where Element == UInt8 {
    /// The bytes and their hash, for a C call. An empty array may have no base address: C takes NULL then.
    @inlinable
    func withKey<R>(_ body: (UnsafeRawPointer?, Int, UInt64) throws(ManagerError) -> R) throws(ManagerError) -> R {
        try withBytes { (raw) throws(ManagerError) -> R in
            try body(raw.baseAddress, raw.count, cshim_shmheap_hash(raw.baseAddress, raw.count))
        }
    }

    /// `withUnsafeBytes` keeping the error's type (the standard one rethrows `any Error`).
    @inlinable
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ManagerError) -> R) throws(ManagerError) -> R {
        let result: Result<R, ManagerError> = withUnsafeBytes { raw in
            do throws(ManagerError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

/// Why a Manager operation did not happen. Each says what, where, and what to do; the CPython exception it
/// stands for is named first.
///
/// Mirrors the exceptions CPython's manager proxies raise (KeyError, IndexError, AttributeError, ValueError,
/// and the connection errors of a manager that was shut down).
public enum ManagerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key is not in the dictionary (CPython: KeyError). Holds the key's repr.
    case keyNotFound(String)
    /// The index is out of range (CPython: IndexError); holds the message.
    case indexOutOfRange(String)
    /// The namespace has no such attribute (CPython: AttributeError).
    case attributeNotFound(String)
    /// The value is not in the list (CPython: ValueError from list.remove / list.index).
    case valueNotFound(String)
    /// The manager was shut down: its objects cannot be used any more.
    case shutDown
    /// The manager's shared heap has no room left for the operation, which changed nothing.
    case full(capacity: Int, inUse: Int, needed: Int)
    /// The capacity given to `Manager(capacity:)` is unusable.
    case invalidCapacity(Int)
    case encoding(String)
    case decoding(String)
    case system(SystemError)

    public var description: String {
        switch self {
        case let .keyNotFound(key): return "KeyError: \(key) (not in the shared dictionary)"
        case let .indexOutOfRange(message): return "IndexError: \(message)"
        case let .attributeNotFound(name): return "AttributeError: 'Namespace' object has no attribute '\(name)'"
        case let .valueNotFound(message): return "ValueError: \(message)"
        case .shutDown:
            return "the Manager was shut down: its shared objects can no longer be used (create a new Manager)"
        case let .full(capacity, inUse, needed):
            return "the Manager's shared heap is full (capacity \(capacity) bytes, \(inUse) handed out, \(needed) more "
                + "needed); the operation changed nothing. Create the Manager with a larger capacity, e.g. "
                + "Manager(capacity: \(max(capacity * 4, (inUse + needed) * 2))), or remove entries"
        case let .invalidCapacity(capacity):
            return "Manager(capacity: \(capacity)): the capacity must be between 65536 bytes (64 KiB) and 2^44 (16 TiB)"
        case let .encoding(what): return what
        case let .decoding(what): return what
        case let .system(error): return error.description
        }
    }
}

/// For the non-throwing subscripts: an error there stops the program with the error's message (Swift's rule
/// for a subscript out of range); the throwing methods beside each subscript report it instead.
@inline(never)
func managerTrap(_ error: ManagerError, _ file: StaticString = #file, _ line: UInt = #line) -> Never {
    preconditionFailure("\(error) (use the throwing method to handle this)", file: file, line: line)
}
