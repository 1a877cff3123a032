// A map chunk's outcome in the codec's bytes, written and read without building a list for it.
//
// A worker's outcome for a chunk of map/starmap is the encoding of `(True, [results])` (`Interpreter.encode`). For
// the usual results — ints, floats, strs, None, bools — the general encoder and decoder cost more than the user's
// function: the worker built a list of results only to walk it into an `Encoder`, and the parent decoded each chunk
// into a list only to copy it into the map's result. Here the worker writes each result's bytes as soon as the
// function returns it, and the parent reads every chunk straight into the one array of the map's result. The bytes
// are the codec's own, so either side may still use the general path for anything else.

/// The bytes of `(True, [r0, r1, ...])` for `count` results, written result by result.
///
/// Writes scalars only (None, bools, ints, floats, strs). From the first result that is anything else on, it
/// keeps the results as values (`kept`), those written before decoded, and the caller encodes the whole list as
/// usual.
struct MapChunkWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    /// Results written so far.
    private(set) var written = 0
    /// Where the first result starts (after the header and the list's count).
    private let firstResult: Int
    private let count: Int
    /// Every result so far, once one was not a scalar; nil while all have been written.
    private(set) var kept: [Value]?

    init(count: Int) {
        self.count = count
        // two bytes a result covers the small ints of a typical map; `reserve` grows it otherwise
        capacity = 16 + 2 * max(count, 0)
        base = .allocate(capacity: capacity)
        // the codec's header, a tuple of 2, True, a list of `count`
        for b in [CodecHeader.m, CodecHeader.p, CodecHeader.version, Tag.tuple.rawValue, 2, Tag.boolTrue.rawValue, Tag.list.rawValue] as [UInt8] {
            base[used] = b
            used += 1
        }
        var n = UInt64(max(count, 0))
        while n >= 0x80 { base[used] = UInt8(n & 0x7f) | 0x80; used += 1; n >>= 7 }
        base[used] = UInt8(n)
        used += 1
        firstResult = used
    }

    deinit { base.deallocate() }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if capacity - used < n { grow(n) }
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let bigger = max(capacity * 2, used + n)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        b.update(from: base, count: used)
        base.deallocate()
        base = b
        capacity = bigger
    }

    @inline(__always)
    private mutating func uvarint(_ value: UInt64) {
        var u = value
        while u >= 0x80 { base[used] = UInt8(u & 0x7f) | 0x80; used += 1; u >>= 7 }
        base[used] = UInt8(u)
        used += 1
    }

    /// Writes a varint of at most 8 bytes (`value` below 2^56) with one 64-bit store instead of a loop over its
    /// bytes: the value's 7-bit groups are spread one to a byte in three steps, and every byte but the last gets
    /// the continuation bit. The caller has reserved room for the whole word.
    @inline(__always)
    private mutating func varintWord(_ value: UInt64) {
        var v = (value & 0x0fff_ffff) | ((value & 0x00ff_ffff_f000_0000) << 4)
        v = (v & 0x0000_3fff_0000_3fff) | ((v & 0x0fff_c000_0fff_c000) << 2)
        v = (v & 0x007f_007f_007f_007f) | ((v & 0x3f80_3f80_3f80_3f80) << 1)
        let length = value == 0 ? 1 : (70 - value.leadingZeroBitCount) / 7
        v |= 0x8080_8080_8080_8080 & ((1 << UInt64(8 * (length - 1))) - 1)
        UnsafeMutableRawPointer(base + used).storeBytes(of: v.littleEndian, as: UInt64.self)
        used += length
    }

    /// Takes one result: writes it, or keeps it once the results are kept as values.
    @inline(__always)
    mutating func add(_ v: Value, _ interp: Interpreter) throws {
        if kept == nil && append(v) { return }
        try keep(v, interp)
    }

    /// Keeps a result as a value; at the first one, the results written so far are decoded to be kept too.
    @inline(never)
    private mutating func keep(_ v: Value, _ interp: Interpreter) throws {
        if kept == nil {
            var all = try values(interp)
            all.reserveCapacity(count)
            kept = all
        }
        kept!.append(v)
    }

    /// Writes one result, as `Encoder.scalar` would; false (nothing written) for anything but a scalar.
    @inline(__always)
    private mutating func append(_ v: Value) -> Bool {
        switch v {
        case .int(let i):
            reserve(11)
            base[used] = Tag.int.rawValue
            used += 1
            let u = UInt64(bitPattern: Int64((i << 1) ^ (i >> 63)))
            if u >> 56 == 0 { varintWord(u) } else { uvarint(u) }
        case .float(let d):
            reserve(9)
            base[used] = Tag.float.rawValue
            var bits = d.bitPattern
            for k in 1...8 { base[used + k] = UInt8(truncatingIfNeeded: bits); bits >>= 8 }
            used += 9
        case .none:
            reserve(1)
            base[used] = Tag.none.rawValue
            used += 1
        case .bool(let b):
            reserve(1)
            base[used] = b ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue
            used += 1
        case .str(let s):
            let n = s.utf8Count
            reserve(n + 11)
            base[used] = Tag.str.rawValue
            used += 1
            uvarint(UInt64(n))
            s.withBytes { (base + used).update(from: $0.baseAddress!, count: n) }
            used += n
        default:
            return false
        }
        written += 1
        return true
    }

    /// The results written so far, decoded.
    private func values(_ interp: Interpreter) throws -> [Value] {
        var d = Decoder(b: Array(UnsafeBufferPointer(start: base, count: used)), p: firstResult, interp: interp)
        var out: [Value] = []
        out.reserveCapacity(written)
        for _ in 0..<written { out.append(try d.element()) }
        return out
    }

    /// The finished outcome; every announced result must have been written.
    func bytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: used))
    }
}

/// Reads map chunk outcomes written as `(True, [results])` (by `MapChunkWriter` or the general encoder).
enum MapChunkReader {
    /// The number of results and where the first one starts, when `chunk` is a successful chunk's outcome; nil for
    /// anything else (a failed chunk, or bytes that are not an outcome), which the caller decodes whole.
    static func header(_ chunk: [UInt8]) -> (count: Int, start: Int)? {
        // the codec's header, a tuple of 2, True, a list
        guard chunk.count >= 8, chunk[0] == CodecHeader.m, chunk[1] == CodecHeader.p,
              chunk[2] == CodecHeader.version, chunk[3] == Tag.tuple.rawValue,
              chunk[4] == 2, chunk[5] == Tag.boolTrue.rawValue, chunk[6] == Tag.list.rawValue else { return nil }
        var n = 0, shift = 0, p = 7
        while p < chunk.count && shift < 63 {
            let x = chunk[p]
            n |= Int(x & 0x7f) << shift
            p += 1
            // every result takes at least one byte: a count beyond the bytes is not an outcome
            if x < 0x80 { return n <= chunk.count - p ? (n, p) : nil }
            shift += 7
        }
        return nil
    }

    /// A varint of at most 8 bytes at `q` read with one load instead of a loop over its bytes: its 7-bit groups
    /// are cut at the first byte without the continuation bit and packed together in three steps. Nil when fewer
    /// than 8 bytes remain or the varint is longer (the byte loop reads those).
    @inline(__always)
    static func varintWord(_ b: UnsafeBufferPointer<UInt8>, at q: Int) -> (value: UInt64, length: Int)? {
        guard b.count - q >= 8, let base = b.baseAddress else { return nil }
        let w = UInt64(littleEndian: UnsafeRawPointer(base + q).loadUnaligned(as: UInt64.self))
        let stops = ~w & 0x8080_8080_8080_8080
        if stops == 0 { return nil }
        let bits = stops.trailingZeroBitCount + 1   // through the last byte of the varint
        var v = (bits == 64 ? w : w & ((1 << UInt64(bits)) - 1)) & 0x7f7f_7f7f_7f7f_7f7f
        v = (v & 0x007f_007f_007f_007f) | ((v & 0x7f00_7f00_7f00_7f00) >> 1)
        v = (v & 0x0000_3fff_0000_3fff) | ((v & 0x3fff_0000_3fff_0000) >> 2)
        v = (v & 0x0000_0000_0fff_ffff) | ((v & 0x0fff_ffff_0000_0000) >> 4)
        return (v, bits / 8)
    }

    /// Initializes `count` values at `into` from the results starting at `start`; a small int is read in place,
    /// anything else by the codec's decoder. Throws the decoder's error for malformed bytes; `done` then counts
    /// the values initialized.
    static func read(_ chunk: [UInt8], count: Int, start: Int, into out: UnsafeMutablePointer<Value>,
                     done: inout Int, _ interp: Interpreter) throws {
        var p = start
        let ints = chunk.withUnsafeBufferPointer { b -> Int in
            var k = 0
            while k < count && p < b.count && b[p] == Tag.int.rawValue {
                var u: UInt64 = 0, q = p + 1
                if let word = varintWord(b, at: q) {
                    u = word.value
                    q += word.length
                } else {
                    var shift: UInt64 = 0, ended = false
                    while q < b.count && shift < 63 {
                        let x = b[q]
                        u |= UInt64(x & 0x7f) << shift
                        q += 1
                        if x < 0x80 { ended = true; break }
                        shift += 7
                    }
                    if !ended { break }
                }
                (out + k).initialize(to: .int(Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))))
                k += 1
                p = q
            }
            return k
        }
        done += ints
        if ints == count && p == chunk.count { return }
        // something else than a small int: the rest through the decoder, with the list's place among the
        // back-references where a whole decode has it
        var d = Decoder(b: chunk, p: p, interp: interp)
        d.memo.append(PyList([]))
        for k in ints..<count {
            (out + k).initialize(to: try d.element())
            done += 1
        }
        if d.p != chunk.count { throw CodecError(message: "\(chunk.count - d.p) trailing bytes", offset: d.p) }
    }
}
