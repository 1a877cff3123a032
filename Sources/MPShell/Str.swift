// Python's str: a sequence of code points, compared, ordered and hashed by code point (CPython's
// `Objects/unicodeobject.c`), not by Swift's Character/canonical-equivalence rules ('e\u0301' != '\u00e9').
#if canImport(Glibc)
import Glibc
#endif

/// A str value. The text is a Swift String (its UTF-8 bytes: byte order is code point order, byte equality is
/// code point equality); besides it, computed when first needed and kept: the number of code points (so `len` is
/// O(1) and an all-ASCII str indexes by byte), the hash, and for a non-ASCII str the UTF-8 offset of every 32nd
/// code point, so that `s[i]` walks at most 31 code points (a cursor at the last index read makes a scan in
/// order one step per index). One-character strs of code points below 256 are shared values (`PyStr.latin1`), as
/// CPython's are.
///
/// A str is immutable once another value can see it; the one exception is `appendInPlace`, which a `s += t`
/// statement uses on a str no one else references (`isKnownUniquelyReferenced`).
public final class PyStr {
    /// The text.
    public private(set) var s: String
    /// The number of code points, or -1 until counted.
    @exclusivity(unchecked) private var _count: Int
    /// The hash, or 0 until computed.
    @exclusivity(unchecked) private var _hash: Int = 0
    /// For a non-ASCII str: marks[k] is the UTF-8 offset of code point k * 32. Empty until needed.
    @exclusivity(unchecked) private var marks: [Int] = []
    /// The last code point index read by `offset(of:)` and its UTF-8 offset.
    @exclusivity(unchecked) private var cursorIndex = 0
    @exclusivity(unchecked) private var cursorOffset = 0

    static let markShift = 5
    static let markStride = 1 << markShift

    public init(_ s: String) { self.s = s; _count = -1 }
    /// A str whose code point count the caller knows.
    init(_ s: String, count: Int) { self.s = s; _count = count }

    // MARK: size

    /// The number of code points (Python's `len`).
    public var count: Int {
        @inline(__always) get {
            if _count >= 0 { return _count }
            return countCodePoints()
        }
    }
    @inline(__always) var utf8Count: Int { s.utf8.count }
    var isEmpty: Bool { s.isEmpty }
    /// Whether every code point is below 128 (then code point i is byte i).
    var isASCII: Bool { @inline(__always) get { count == s.utf8.count } }

    @inline(never)
    private func countCodePoints() -> Int {
        let n = withBytes { PyStr.codePointCount($0) }
        _count = n
        return n
    }

    /// The code points in UTF-8 `buf`: every byte but the continuation bytes (0b10xxxxxx) starts one; counted
    /// eight bytes at a time.
    static func codePointCount(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        var n = buf.count
        var i = 0
        if let p = UnsafeRawPointer(buf.baseAddress) {
            while i &+ 8 <= buf.count {
                let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                n &-= (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                i &+= 8
            }
        }
        while i < buf.count { if buf[i] & 0xC0 == 0x80 { n &-= 1 }; i &+= 1 }
        return n
    }

    /// Calls `body` with the UTF-8 bytes (contiguous for every native String; small ones are copied to the stack).
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var c = s
        return try c.withUTF8(body)
    }

    // MARK: hashing, equality, order

    /// A hash of the UTF-8 bytes (so of the code points), cached. Never 0.
    public var hash: Int {
        if _hash != 0 { return _hash }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: s.utf8.count)
        withBytes { b in
            var i = 0
            if let p = UnsafeRawPointer(b.baseAddress) {
                while i &+ 8 <= b.count {
                    let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
                    h ^= h >> 32
                    i &+= 8
                }
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < b.count { tail |= UInt64(b[i]) << shift; shift &+= 8; i &+= 1 }
                h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
                h ^= h >> 29
            }
        }
        let r = Int(truncatingIfNeeded: h)
        _hash = r == 0 ? 1 : r
        return _hash
    }

    /// Code point equality (byte equality of the UTF-8).
    @inline(__always)
    static func equal(_ a: PyStr, _ b: PyStr) -> Bool {
        if a === b { return true }
        let n = a.s.utf8.count
        if n != b.s.utf8.count { return false }
        if a._hash != 0 && b._hash != 0 && a._hash != b._hash { return false }
        return a.withBytes { x in b.withBytes { y in n == 0 || memcmp(x.baseAddress!, y.baseAddress!, n) == 0 } }
    }

    /// Whether `a` sorts before `b` by code point (by UTF-8 byte).
    static func less(_ a: PyStr, _ b: PyStr) -> Bool {
        a.withBytes { x in
            b.withBytes { y in
                let n = min(x.count, y.count)
                if n > 0 {
                    let c = memcmp(x.baseAddress!, y.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
    }

    /// Whether `t` occurs in this str (a byte search: UTF-8 is self-synchronising, so a byte match is a code point
    /// match).
    func contains(_ t: PyStr) -> Bool {
        let m = t.s.utf8.count
        if m == 0 { return true }
        return withBytes { x in
            t.withBytes { y in
                PyStr.find(x, y, from: 0) >= 0
            }
        }
    }

    /// The byte offset of the first occurrence of `y` in `x` at or after byte `from`, or -1.
    static func find(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        let m = y.count
        if m == 0 { return from <= x.count ? from : -1 }
        guard let xb = x.baseAddress, let yb = y.baseAddress, x.count - from >= m else { return -1 }
        let first = Int32(yb[0])
        var i = from
        let last = x.count - m
        while i <= last {
            guard let hit = memchr(xb + i, first, last - i + 1) else { return -1 }
            let j = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - xb
            if m == 1 || memcmp(xb + j + 1, yb + 1, m - 1) == 0 { return j }
            i = j + 1
        }
        return -1
    }

    // MARK: code points by index

    /// The length in bytes of the UTF-8 sequence that starts with `lead`.
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The code point whose sequence starts at `off`.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ off: Int) -> UInt32 {
        let c0 = UInt32(b[off])
        if c0 < 0x80 { return c0 }
        if c0 < 0xE0 { return (c0 & 0x1F) << 6 | UInt32(b[off &+ 1] & 0x3F) }
        if c0 < 0xF0 { return (c0 & 0x0F) << 12 | UInt32(b[off &+ 1] & 0x3F) << 6 | UInt32(b[off &+ 2] & 0x3F) }
        return (c0 & 0x07) << 18 | UInt32(b[off &+ 1] & 0x3F) << 12 | UInt32(b[off &+ 2] & 0x3F) << 6
            | UInt32(b[off &+ 3] & 0x3F)
    }

    /// Builds `marks` (and the count) in one pass over the bytes.
    @inline(never)
    private func buildMarks(_ b: UnsafeBufferPointer<UInt8>) {
        var m: [Int] = []
        m.reserveCapacity(b.count >> PyStr.markShift + 1)
        var cp = 0
        var off = 0
        while off < b.count {
            if cp & (PyStr.markStride - 1) == 0 { m.append(off) }
            off &+= PyStr.sequenceLength(b[off])
            cp &+= 1
        }
        marks = m
        _count = cp
    }

    /// The UTF-8 offset of code point `i` (0 ≤ i ≤ count) of a non-ASCII str.
    @inline(__always)
    private func offset(of i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var cp: Int, off: Int
        if i >= cursorIndex && i &- cursorIndex < PyStr.markStride {
            cp = cursorIndex; off = cursorOffset
        } else {
            if i >= count { return b.count }
            if marks.isEmpty { buildMarks(b) }
            let k = i >> PyStr.markShift
            cp = k << PyStr.markShift; off = marks[k]
        }
        while cp < i { off &+= PyStr.sequenceLength(b[off]); cp &+= 1 }
        cursorIndex = i; cursorOffset = off
        return off
    }

    /// The one-character str of code point `c`.
    @inline(__always)
    static func char(_ c: UInt32) -> Value {
        if c < 256 { return latin1[Int(c)] }
        return .str(PyStr(String(Unicode.Scalar(c).map(Character.init) ?? "\u{FFFD}"), count: 1))
    }

    /// `s[i]` for 0 ≤ i < count.
    @inline(__always)
    func item(_ i: Int) -> Value {
        withBytes { b in
            if isASCII { return PyStr.latin1[Int(b[i])] }
            return PyStr.char(PyStr.decode(b, offset(of: i, b)))
        }
    }

    /// `s[start:stop:step]` for indices normalised by `sliceIndices`.
    func slice(_ start: Int, _ stop: Int, _ step: Int) -> Value {
        let n = step > 0 ? (start < stop ? (stop - start + step - 1) / step : 0)
                         : (start > stop ? (start - stop - step - 1) / (-step) : 0)
        if n == 0 { return PyStr.empty }
        if n == count && step == 1 { return .str(self) }
        if n == 1 { return item(start) }
        return withBytes { b in
            if step == 1 {
                let lo = isASCII ? start : offset(of: start, b)
                let hi = isASCII ? stop : offset(of: stop, b)
                return .str(PyStr(String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self), count: n))
            }
            var out: [UInt8] = []
            if isASCII {
                out.reserveCapacity(n)
                var i = start
                for _ in 0..<n { out.append(b[i]); i &+= step }
            } else {
                out.reserveCapacity(n * 2)
                var i = start
                for _ in 0..<n {
                    let off = offset(of: i, b)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[off..<(off + PyStr.sequenceLength(b[off]))]))
                    i &+= step
                }
            }
            return .str(PyStr(String(decoding: out, as: UTF8.self), count: n))
        }
    }

    /// Calls `body` with each one-character str, in order, until it returns false.
    func forEachChar(_ body: (Value) throws -> Bool) rethrows {
        if isASCII {
            let n = s.utf8.count
            var i = 0
            while i < n {
                let c = withBytes { PyStr.latin1[Int($0[i])] }
                if !(try body(c)) { return }
                i &+= 1
            }
            return
        }
        var off = 0
        let n = s.utf8.count
        while off < n {
            let (c, len) = withBytes { b in (PyStr.decode(b, off), PyStr.sequenceLength(b[off])) }
            if !(try body(PyStr.char(c))) { return }
            off &+= len
        }
    }

    /// An iterator state: the next one-character str after UTF-8 offset `off` (advanced), or nil at the end.
    func nextChar(_ off: inout Int) -> Value? {
        if off >= s.utf8.count { return nil }
        return withBytes { b in
            let c = PyStr.decode(b, off)
            off &+= PyStr.sequenceLength(b[off])
            return PyStr.char(c)
        }
    }

    // MARK: building

    /// `self + t` as a new str.
    func concat(_ t: PyStr) -> PyStr {
        let c = _count >= 0 && t._count >= 0 ? _count + t._count : -1
        return PyStr(s + t.s, count: c)
    }

    /// Appends `t` to this str, which the caller has made sure no other value references.
    func appendInPlace(_ t: PyStr) {
        _count = _count >= 0 && t._count >= 0 ? _count + t._count : -1
        s += t.s
        _hash = 0
        if !marks.isEmpty { marks = [] }
        cursorIndex = 0; cursorOffset = 0
    }

    // MARK: shared values

    /// The one-character strs of code points 0...255.
    nonisolated(unsafe) static let latin1: [Value] = (0..<256).map {
        .str(PyStr(String(Character(Unicode.Scalar(UInt8($0)))), count: 1))
    }
    /// The empty str.
    nonisolated(unsafe) static let empty: Value = .str(PyStr("", count: 0))
}

extension Value {
    /// A str value of `s`.
    @inline(__always)
    static func str(_ s: String) -> Value { .str(PyStr(s)) }
}

/// `case .str("name")` patterns: the str's text is exactly `pattern`'s code points.
@inline(__always)
func ~= (pattern: String, value: PyStr) -> Bool { value == pattern }

extension PyStr {
    /// Code point equality with a Swift string (its UTF-8 bytes, not canonical equivalence).
    static func == (a: PyStr, b: String) -> Bool { a.s.utf8.elementsEqual(b.utf8) }
    static func != (a: PyStr, b: String) -> Bool { !(a == b) }
}

extension PyStr: CustomStringConvertible {
    /// The text (so that `"\(s)"` interpolates it).
    public var description: String { s }
}
