// The bytes of messages between processes: one writer and its reader for every format the package sends
// (MessageCodec.swift's values, the pool's records and commands, the MPI executor's messages).

/// Builds a message: little-endian integers, and byte strings prefixed by a 32-bit length (`blob`, the pool's
/// and the MPI executor's messages) or by a varint (`varint`, `utf8`: `BinaryEncoder`'s values). The one byte
/// writer of the package: the codec's `ByteSink` is a shared box around one.
package struct WireWriter {
    package var bytes: [UInt8] = []

    package init(reserving count: Int = 64) { bytes.reserveCapacity(count) }

    package mutating func u8(_ value: UInt8) { bytes.append(value) }
    package mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func i32(_ value: Int32) { u32(UInt32(bitPattern: value)) }
    package mutating func blob(_ value: [UInt8]) {
        u32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }
    package mutating func string(_ value: String) { blob(Array(value.utf8)) }
    /// Any fixed-width integer, little-endian.
    package mutating func fixed<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    /// An unsigned LEB128 varint (7 bits a byte, low first).
    package mutating func varint(_ value: Int) {
        var v = UInt64(value)
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    /// A string as a varint length and its UTF-8.
    package mutating func utf8(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Reads a message built by `WireWriter`: the package's one byte reader, for the pool's records and commands, the
/// MPI executor's messages and `BinaryDecoder`'s values (whose throwing reads, which say what is wrong, are in
/// MessageCodec.swift). It reads bytes it does not own (an array's, a ring record's, the shared heap's), so it
/// lives only as long as they do: `reading(_:_:)` lends it an array's bytes. Every read is bounds-checked: nil
/// when the message is too short.
package struct WireReader {
    package let bytes: UnsafeRawBufferPointer
    package var offset = 0

    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Runs `body` with a reader over `message`'s bytes.
    package static func reading<R>(_ message: [UInt8], _ body: (inout WireReader) throws -> R) rethrows -> R {
        try message.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            return try body(&reader)
        }
    }

    /// The next `count` bytes, in place.
    package mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
    /// Any fixed-width integer, little-endian.
    package mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { return nil }
        defer { offset += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    package mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }
    package mutating func u32() -> UInt32? { fixed(UInt32.self) }
    package mutating func u64() -> UInt64? { fixed(UInt64.self) }
    package mutating func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
    /// Where the next length-prefixed byte string lies in the message: its owner slices itself there (no copy).
    package mutating func blobRange() -> Range<Int>? {
        guard let count = u32().map(Int.init), bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return offset..<offset + count
    }
    package mutating func blob() -> [UInt8]? { blobRange().map { Array(bytes[$0]) } }
    package mutating func string() -> String? {
        blobRange().map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }
}
