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

/// Reads a message built by `WireWriter`; every read is bounds-checked (nil when the message is too short).
package struct WireReader {
    package let bytes: [UInt8]
    package var offset = 0

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { return nil }
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + size]))
            }
        }
        offset += size
        return T(littleEndian: value)
    }

    package mutating func u8() -> UInt8? { fixed(UInt8.self) }
    package mutating func u32() -> UInt32? { fixed(UInt32.self) }
    package mutating func u64() -> UInt64? { fixed(UInt64.self) }
    package mutating func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
    package mutating func blob() -> [UInt8]? {
        guard let count = u32().map(Int.init), offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
    package mutating func string() -> String? { blob().map { String(decoding: $0, as: UTF8.self) } }
    /// A length-prefixed byte string as a slice of the message (no copy).
    package mutating func blobSlice() -> ArraySlice<UInt8>? {
        guard let count = u32().map(Int.init), offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}
