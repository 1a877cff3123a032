// The wire format of messages between processes (Connection, Queue).
//
// A message is one ring-buffer record: a 1-byte kind, then the payload.
//
//   kind 1  raw       the in-memory bytes of a BitwiseCopyable value (the receiver names the type; sizes are checked)
//   kind 2  bytes     the bytes of a [UInt8] (also Connection.sendBytes)
//   kind 3  string    UTF-8
//   kind 4  codable   a value encoded by BinaryEncoder below
//
// BinaryEncoder writes self-delimiting values, little-endian, each with a 1-byte tag:
//
//   0x00 nil | 0x01 bool b | 0x02 int64 (8) | 0x03 uint64 (8) | 0x04 double (8) | 0x05 float (4)
//   0x06 string: varint length, UTF-8 | 0x07 array: varint count, values | 0x08 keyed: varint count,
//   (varint key length, key UTF-8, value)* | 0x09 bytes: varint length, raw
//
// Chosen by measuring against the alternatives we had: a raw record for Int costs one 9-byte copy; Foundation's
// JSON (about 2 µs an Int) would have cost more than the whole ring hand-off, and needs Foundation.

/// The value tags of `BinaryEncoder`'s format (see above), for everything that writes or reads it (the decoder
/// here, the Manager's shared heap).
@usableFromInline
package enum WireTag {
    // computed, and inlinable: a constant in the @inlinable fast paths that read tags (SharedHeap), not a load
    @inlinable package static var none: UInt8 { 0x00 }
    @inlinable package static var bool: UInt8 { 0x01 }
    @inlinable package static var int64: UInt8 { 0x02 }
    @inlinable package static var uint64: UInt8 { 0x03 }
    @inlinable package static var double: UInt8 { 0x04 }
    @inlinable package static var float: UInt8 { 0x05 }
    @inlinable package static var string: UInt8 { 0x06 }
    @inlinable package static var array: UInt8 { 0x07 }
    @inlinable package static var keyed: UInt8 { 0x08 }
    @inlinable package static var bytes: UInt8 { 0x09 }
}

/// How a message was put on the wire. See the format above.
@usableFromInline
enum MessageKind: UInt8 {
    case raw = 1, bytes = 2, string = 3, codable = 4
}

/// A message could not be decoded as the type asked for: says what arrived and what was expected.
public struct MessageDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - Encoder

/// Encodes any `Encodable` value in the compact binary format above.
public struct BinaryEncoder {
    public init() {}

    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let sink = ByteSink()
        try BinaryEncoding.encode(value, into: sink, codingPath: [])
        return sink.bytes
    }
}

/// The encoder's output, shared by reference among the nodes of a value being encoded: a box around the
/// package's one byte writer, `WireWriter`.
final class ByteSink {
    var writer = WireWriter(reserving: 64)
    var bytes: [UInt8] {
        get { writer.bytes }
        _modify { yield &writer.bytes }
    }

    func tag(_ t: UInt8) { writer.u8(t) }
    func varint(_ value: Int) { writer.varint(value) }
    func fixed<T: FixedWidthInteger>(_ value: T) { writer.fixed(value) }
    func string(_ s: String) { writer.utf8(s) }
}

enum BinaryEncoding {
    /// Encodes `value` at the end of `sink`: leaves directly, composite values through a tree of nodes.
    static func encode<Value: Encodable>(_ value: Value, into sink: ByteSink, codingPath: [any CodingKey]) throws {
        if encodeLeaf(value, into: sink) { return }
        let node = Node()
        try value.encode(to: Encoding(node: node, codingPath: codingPath))
        node.write(to: sink)
    }

    /// The common leaves, written without going through Encodable. Decided by the exact static type, not by
    /// a dynamic cast: an empty `[Int?]` casts to `[UInt8]` (array casts check elements, and there are none),
    /// and an `Int?` holding a value casts to `Int`.
    static func encodeLeaf<Value>(_ value: Value, into sink: ByteSink) -> Bool {
        if Value.self == Int.self {
            sink.tag(WireTag.int64); sink.fixed(Int64(value as! Int))
        } else if Value.self == String.self {
            sink.tag(WireTag.string); sink.string(value as! String)
        } else if Value.self == Double.self {
            sink.tag(WireTag.double); sink.fixed((value as! Double).bitPattern)
        } else if Value.self == Bool.self {
            sink.tag(WireTag.bool); sink.bytes.append((value as! Bool) ? 1 : 0)
        } else if Value.self == [UInt8].self {
            let bytes = value as! [UInt8]
            sink.tag(WireTag.bytes); sink.varint(bytes.count); sink.bytes.append(contentsOf: bytes)
        } else {
            return false
        }
        return true
    }

    /// What an Encodable value encoded: a leaf's bytes, or a keyed or unkeyed container of nodes. Containers may
    /// be filled in any order (a nested container kept open while its parent goes on): the bytes are written
    /// from the finished tree.
    final class Node {
        enum Content {
            case empty
            case leaf(ByteSink)
            case keyed([(String, Node)])
            case unkeyed([Node])
        }
        var content: Content = .empty

        func leafSink() -> ByteSink {
            let sink = ByteSink()
            content = .leaf(sink)
            return sink
        }
        func appendKeyed(_ key: String) -> Node {
            let child = Node()
            if case var .keyed(fields) = content {
                fields.append((key, child))
                content = .keyed(fields)
            } else {
                content = .keyed([(key, child)])
            }
            return child
        }
        func appendUnkeyed() -> Node {
            let child = Node()
            if case var .unkeyed(items) = content {
                items.append(child)
                content = .unkeyed(items)
            } else {
                content = .unkeyed([child])
            }
            return child
        }
        func makeKeyed() { if case .keyed = content {} else { content = .keyed([]) } }
        func makeUnkeyed() { if case .unkeyed = content {} else { content = .unkeyed([]) } }

        func write(to sink: ByteSink) {
            switch content {
            case .empty: sink.tag(WireTag.none)
            case let .leaf(bytes): sink.bytes.append(contentsOf: bytes.bytes)
            case let .keyed(fields):
                sink.tag(WireTag.keyed)
                sink.varint(fields.count)
                for (key, node) in fields {
                    sink.string(key)
                    node.write(to: sink)
                }
            case let .unkeyed(items):
                sink.tag(WireTag.array)
                sink.varint(items.count)
                for node in items { node.write(to: sink) }
            }
        }
    }

    struct Encoding: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.makeKeyed()
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.makeUnkeyed()
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }
        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleContainer(node: node, codingPath: codingPath)
        }
    }

    /// Encodes `value` as the content of `node`.
    static func encode<T: Encodable>(_ value: T, as node: Node, codingPath: [any CodingKey]) throws {
        let sink = ByteSink()
        if encodeLeaf(value, into: sink) {
            node.content = .leaf(sink)
        } else {
            try value.encode(to: Encoding(node: node, codingPath: codingPath))
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.appendKeyed(key.stringValue).leafSink().tag(WireTag.none) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try BinaryEncoding.encode(value, as: node.appendKeyed(key.stringValue), codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = node.appendKeyed(key.stringValue)
            child.makeKeyed()
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = node.appendKeyed(key.stringValue)
            child.makeUnkeyed()
            return UnkeyedContainer(node: child, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            Encoding(node: node.appendKeyed(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case let .unkeyed(items) = node.content { return items.count }
            return 0
        }

        mutating func encodeNil() throws { node.appendUnkeyed().leafSink().tag(WireTag.none) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try BinaryEncoding.encode(value, as: node.appendUnkeyed(), codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = node.appendUnkeyed()
            child.makeKeyed()
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: child, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = node.appendUnkeyed()
            child.makeUnkeyed()
            return UnkeyedContainer(node: child, codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder { Encoding(node: node.appendUnkeyed(), codingPath: codingPath) }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        private func sink() -> ByteSink { node.leafSink() }
        mutating func encodeNil() throws { sink().tag(WireTag.none) }
        mutating func encode(_ value: Bool) throws { let s = sink(); s.tag(WireTag.bool); s.bytes.append(value ? 1 : 0) }
        mutating func encode(_ value: String) throws { let s = sink(); s.tag(WireTag.string); s.string(value) }
        mutating func encode(_ value: Double) throws { let s = sink(); s.tag(WireTag.double); s.fixed(value.bitPattern) }
        mutating func encode(_ value: Float) throws { let s = sink(); s.tag(WireTag.float); s.fixed(value.bitPattern) }
        mutating func encode(_ value: Int) throws { signed(Int64(value)) }
        mutating func encode(_ value: Int8) throws { signed(Int64(value)) }
        mutating func encode(_ value: Int16) throws { signed(Int64(value)) }
        mutating func encode(_ value: Int32) throws { signed(Int64(value)) }
        mutating func encode(_ value: Int64) throws { signed(value) }
        mutating func encode(_ value: UInt) throws { unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { unsigned(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { unsigned(value) }
        private func signed(_ v: Int64) { let s = sink(); s.tag(WireTag.int64); s.fixed(v) }
        private func unsigned(_ v: UInt64) { let s = sink(); s.tag(WireTag.uint64); s.fixed(v) }
        mutating func encode<T: Encodable>(_ value: T) throws { try BinaryEncoding.encode(value, as: node, codingPath: codingPath) }
    }
}

// MARK: - Decoder

/// Decodes values written by `BinaryEncoder`. Truncated or corrupted input is a `MessageDecodingError` (or a
/// `DecodingError` saying which field), never a crash.
public struct BinaryDecoder {
    public init() {}

    public func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try bytes.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            let value = try BinaryDecoding.decode(type, from: &reader, codingPath: [])
            guard reader.offset == raw.count else {
                throw MessageDecodingError("\(raw.count - reader.offset) bytes left over after decoding \(Value.self)")
            }
            return value
        }
    }
}

/// The codec's reads, on the package's one byte reader (WireBytes.swift): varint lengths, and a
/// `MessageDecodingError` that says what is wrong where the record readers take a nil.
extension WireReader {
    mutating func readByte() throws(MessageDecodingError) -> UInt8 {
        guard let value = u8() else { throw MessageDecodingError("the message ends early (truncated)") }
        return value
    }
    mutating func readFixed<T: FixedWidthInteger>(_ type: T.Type) throws(MessageDecodingError) -> T {
        guard let value = fixed(type) else { throw MessageDecodingError("the message ends early (truncated)") }
        return value
    }
    mutating func readVarint() throws(MessageDecodingError) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            guard shift < 63 else { throw MessageDecodingError("a length is corrupt (too many varint bytes)") }
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        guard result <= UInt64(bytes.count - offset) * 16 + 16 else {  // no count or length can exceed what is left
            throw MessageDecodingError("a length of \(result) is larger than the message")
        }
        return Int(result)
    }
    mutating func readSpan(_ count: Int) throws(MessageDecodingError) -> UnsafeRawBufferPointer {
        guard let span = take(count) else { throw MessageDecodingError("the message ends early (truncated)") }
        return span
    }
    /// A string as a varint length and its UTF-8 (`WireWriter.utf8`).
    mutating func readUTF8() throws(MessageDecodingError) -> String {
        String(decoding: try readSpan(try readVarint()), as: UTF8.self)
    }
    /// Skips one whole value (for keyed lookup).
    mutating func skipValue(depth: Int = 0) throws(MessageDecodingError) {
        guard depth < 512 else { throw MessageDecodingError("values nested more than 512 deep") }
        switch try readByte() {
        case WireTag.none: return
        case WireTag.bool: _ = try readByte()
        case WireTag.int64, WireTag.uint64, WireTag.double: _ = try readSpan(8)
        case WireTag.float: _ = try readSpan(4)
        case WireTag.string, WireTag.bytes: _ = try readSpan(try readVarint())
        case WireTag.array: for _ in 0..<(try readVarint()) { try skipValue(depth: depth + 1) }
        case WireTag.keyed:
            for _ in 0..<(try readVarint()) {
                _ = try readSpan(try readVarint())
                try skipValue(depth: depth + 1)
            }
        case let t: throw MessageDecodingError("unknown value tag 0x\(String(t, radix: 16)) (corrupt message)")
        }
    }
}

enum BinaryDecoding {
    static func decode<Value: Decodable>(_ type: Value.Type, from reader: inout WireReader, codingPath: [any CodingKey]) throws -> Value {
        if type == [UInt8].self {
            guard try reader.readByte() == WireTag.bytes else { throw mismatch(type, codingPath) }
            return Array(try reader.readSpan(try reader.readVarint())) as! Value
        }
        let start = reader.offset
        try reader.skipValue()
        let slice = UnsafeRawBufferPointer(rebasing: reader.bytes[start..<reader.offset])
        return try Value(from: Decoding(slice: slice, codingPath: codingPath))
    }

    static func mismatch(_ type: Any.Type, _ codingPath: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "the message holds another kind of value here"))
    }

    /// A decoder over exactly one encoded value.
    struct Decoding: Decoder {
        let slice: UnsafeRawBufferPointer
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            var reader = WireReader(slice)
            guard try reader.readByte() == WireTag.keyed else { throw mismatch([String: Any].self, codingPath) }
            // Fields in order, looked up by a linear scan: messages have a handful of fields, for which an
            // array is cheaper than building a dictionary for every value decoded.
            var fields: [(key: String, value: UnsafeRawBufferPointer)] = []
            let count = try reader.readVarint()
            fields.reserveCapacity(count)
            for _ in 0..<count {
                let key = try reader.readUTF8()
                let start = reader.offset
                try reader.skipValue()
                fields.append((key, UnsafeRawBufferPointer(rebasing: slice[start..<reader.offset])))
            }
            return KeyedDecodingContainer(KeyedContainer<Key>(fields: fields, codingPath: codingPath))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            var reader = WireReader(slice)
            guard try reader.readByte() == WireTag.array else { throw mismatch([Any].self, codingPath) }
            let count = try reader.readVarint()
            return UnkeyedContainer(reader: reader, total: count, codingPath: codingPath)
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            SingleContainer(slice: slice, codingPath: codingPath)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [(key: String, value: UnsafeRawBufferPointer)]
        let codingPath: [any CodingKey]
        var allKeys: [Key] { fields.compactMap { Key(stringValue: $0.key) } }

        private func lookup(_ key: Key) -> UnsafeRawBufferPointer? {
            let name = key.stringValue
            return fields.first { $0.key == name }?.value
        }
        func contains(_ key: Key) -> Bool { lookup(key) != nil }
        private func field(_ key: Key) throws -> UnsafeRawBufferPointer {
            guard let f = lookup(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no field '\(key.stringValue)' in the message"))
            }
            return f
        }
        func decodeNil(forKey key: Key) throws -> Bool { try field(key).first == WireTag.none }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            var reader = WireReader(try field(key))
            return try BinaryDecoding.decode(type, from: &reader, codingPath: codingPath + [key])
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try Decoding(slice: try field(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try Decoding(slice: try field(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder { try superDecoder(forKey: Key(stringValue: "super")!) }
        func superDecoder(forKey key: Key) throws -> any Decoder { Decoding(slice: try field(key), codingPath: codingPath + [key]) }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        var reader: WireReader
        let total: Int
        let codingPath: [any CodingKey]
        var count: Int? { total }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex >= total }

        init(reader: WireReader, total: Int, codingPath: [any CodingKey]) {
            self.reader = reader
            self.total = total
            self.codingPath = codingPath
        }
        private mutating func checkNotAtEnd(_ type: Any.Type) throws {
            if isAtEnd {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no more elements (\(total) in the message)"))
            }
        }
        mutating func decodeNil() throws -> Bool {
            try checkNotAtEnd(Any?.self)
            if reader.bytes[reader.offset] == WireTag.none { reader.offset += 1; currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try checkNotAtEnd(type)
            defer { currentIndex += 1 }
            return try BinaryDecoding.decode(type, from: &reader, codingPath: codingPath)
        }
        mutating func nextSlice() throws -> UnsafeRawBufferPointer {
            try checkNotAtEnd(Any.self)
            let start = reader.offset
            try reader.skipValue()
            currentIndex += 1
            return UnsafeRawBufferPointer(rebasing: reader.bytes[start..<reader.offset])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try Decoding(slice: try nextSlice(), codingPath: codingPath).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try Decoding(slice: try nextSlice(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder { Decoding(slice: try nextSlice(), codingPath: codingPath) }
    }

    struct SingleContainer: SingleValueDecodingContainer {
        let slice: UnsafeRawBufferPointer
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { slice.first == WireTag.none }
        private func reader(expecting tag: UInt8, _ type: Any.Type) throws -> WireReader {
            var r = WireReader(slice)
            guard try r.readByte() == tag else { throw mismatch(type, codingPath) }
            return r
        }
        private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            var r = WireReader(slice)
            let tag = try r.readByte()
            let value: T?
            switch tag {
            case WireTag.int64: value = T(exactly: try r.readFixed(Int64.self))
            case WireTag.uint64: value = T(exactly: try r.readFixed(UInt64.self))
            default: throw mismatch(type, codingPath)
            }
            guard let value else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "the number does not fit in \(T.self)"))
            }
            return value
        }
        func decode(_ type: Bool.Type) throws -> Bool { var r = try reader(expecting: WireTag.bool, type); return try r.readByte() != 0 }
        func decode(_ type: String.Type) throws -> String { var r = try reader(expecting: WireTag.string, type); return try r.readUTF8() }
        func decode(_ type: Double.Type) throws -> Double {
            var r = WireReader(slice)
            switch try r.readByte() {
            case WireTag.double: return Double(bitPattern: try r.readFixed(UInt64.self))
            case WireTag.float: return Double(Float(bitPattern: try r.readFixed(UInt32.self)))
            case WireTag.int64: return Double(try r.readFixed(Int64.self))
            default: throw mismatch(type, codingPath)
            }
        }
        func decode(_ type: Float.Type) throws -> Float {
            var r = WireReader(slice)
            switch try r.readByte() {
            case WireTag.float: return Float(bitPattern: try r.readFixed(UInt32.self))
            case WireTag.double: return Float(Double(bitPattern: try r.readFixed(UInt64.self)))
            default: throw mismatch(type, codingPath)
            }
        }
        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            var r = WireReader(slice)
            return try BinaryDecoding.decode(type, from: &r, codingPath: codingPath)
        }
    }
}
