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
    @exclusivity(unchecked) public private(set) var s: String
    /// The number of code points, or -1 until counted.
    @exclusivity(unchecked) private var _count: Int
    /// The hash, or 0 until computed.
    @exclusivity(unchecked) private var _hash: Int = 0
    /// For a non-ASCII str: marks[k] is the UTF-8 offset of code point k * 32. Empty until needed.
    @exclusivity(unchecked) private var marks: [Int] = []
    /// Only for a str holding lone surrogates (U+D800...U+DFFF: code points of a Python str, but not Unicode scalars,
    /// so no Swift String holds them): all its code points. `s` then holds U+FFFD for each surrogate, so it has the
    /// same number of code points, and equal code points give equal `s`.
    @exclusivity(unchecked) public private(set) var wide: [UInt32]?
    /// The address of `s`'s UTF-8 bytes once known, when they are in heap (or static) storage (`withBytesSlow`);
    /// cleared when `s` changes.
    @exclusivity(unchecked) private var bytes: UnsafePointer<UInt8>?
    @exclusivity(unchecked) private var byteCount = 0
    /// The last code point index read by `offset(of:)` and its UTF-8 offset.
    @exclusivity(unchecked) private var cursorIndex = 0
    @exclusivity(unchecked) private var cursorOffset = 0

    static let markShift = 5
    static let markStride = 1 << markShift

    public init(_ s: String) { self.s = s; _count = -1 }
    /// A str whose code point count the caller knows.
    init(_ s: String, count: Int) { self.s = s; _count = count }

    /// The str of these code points (surrogates included).
    static func of(_ cps: [UInt32]) -> PyStr {
        var u = String.UnicodeScalarView()
        var hasSurrogate = false
        for c in cps {
            if let x = Unicode.Scalar(c) { u.append(x) } else { u.append("\u{FFFD}"); hasSurrogate = true }
        }
        let r = PyStr(String(u), count: cps.count)
        if hasSurrogate { r.wide = cps }
        return r
    }

    /// The code points.
    var codePoints: [UInt32] { wide ?? s.unicodeScalars.map(\.value) }

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

    /// Calls `body` with the UTF-8 bytes.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let p = bytes { return try body(UnsafeBufferPointer(start: p, count: byteCount)) }
        return try withBytesSlow(body)
    }

    /// `withBytes` before `bytes` is set: a String of more than 15 bytes keeps them in its heap storage (or in the
    /// binary, for a literal), where they stay while `s` holds that storage unchanged, so their address is kept
    /// (reading them later then costs no reference counting on the storage); a smaller one is stored inline, and
    /// is copied to the stack for each call.
    @inline(never)
    private func withBytesSlow<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let b = s.utf8.withContiguousStorageIfAvailable({ $0 }), b.count > 15, let p = b.baseAddress {
            bytes = p
            byteCount = b.count
            return try body(b)
        }
        if let r = try s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var c = s
        return try c.withUTF8(body)
    }

    // MARK: hashing, equality, order

    /// A hash of the UTF-8 bytes (so of the code points), cached. Never 0.
    public var hash: Int {
        if _hash != 0 { return _hash }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: s.utf8.count)
        if let w = wide { for c in w { h = (h ^ UInt64(c)) &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 32 } }
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
        if n <= 15 {
            // small strings keep their bytes inline: compared in place, not copied out for memcmp
            if !a.s.utf8.elementsEqual(b.s.utf8) { return false }
        } else if !a.withBytes({ x in b.withBytes { y in memcmp(x.baseAddress!, y.baseAddress!, n) == 0 } }) {
            return false
        }
        // equal text: equal code points unless surrogates differ
        return a.wide == nil && b.wide == nil || a.wide == b.wide
    }

    /// Whether `a` sorts before `b` by code point (by UTF-8 byte).
    static func less(_ a: PyStr, _ b: PyStr) -> Bool {
        if a.wide != nil || b.wide != nil { return a.codePoints.lexicographicallyPrecedes(b.codePoints) }
        return a.withBytes { x in
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
        if wide != nil || t.wide != nil {
            let x = codePoints, y = t.codePoints
            if y.count > x.count { return false }
            for i in 0...(x.count - y.count) where x[i] == y[0] && x[i..<(i + y.count)].elementsEqual(y) { return true }
            return false
        }
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
        guard let u = Unicode.Scalar(c) else { return .str(PyStr.of([c])) }
        return .str(PyStr(String(Character(u)), count: 1))
    }

    /// `s[i]` for 0 ≤ i < count.
    @inline(__always)
    func item(_ i: Int) -> Value {
        if let w = wide { return PyStr.char(w[i]) }
        return withBytes { b in
            if isASCII { return PyStr.latin1[Int(b[i])] }
            return PyStr.char(PyStr.decode(b, offset(of: i, b)))
        }
    }

    /// `s[k]` (k negative counts from the end), or nil when out of range.
    @inline(__always)
    func itemIfInRange(_ k: Int) -> Value? {
        let n = count
        let j = k < 0 ? k &+ n : k
        if j < 0 || j >= n { return nil }
        if let p = bytes, n == byteCount { return PyStr.latin1[Int(p[j])] }
        return item(j)
    }

    /// `s[start:stop:step]` for indices normalised by `sliceIndices`.
    func slice(_ start: Int, _ stop: Int, _ step: Int) -> Value {
        let n = sliceLength(start, stop, step)
        if n == 0 { return PyStr.empty }
        if n == count && step == 1 { return .str(self) }
        if n == 1 { return item(start) }
        if let w = wide {
            var r: [UInt32] = []
            r.reserveCapacity(n)
            var i = start
            for _ in 0..<n { r.append(w[i]); i &+= step }
            return .str(PyStr.of(r))
        }
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
        if let w = wide {
            for c in w where !(try body(PyStr.char(c))) { return }
            return
        }
        let ascii = isASCII
        try withBytes { b in
            var off = 0
            let n = b.count
            if ascii {
                while off < n {
                    if !(try body(PyStr.latin1[Int(b[off])])) { return }
                    off &+= 1
                }
                return
            }
            while off < n {
                let c = PyStr.decode(b, off)
                off &+= PyStr.sequenceLength(b[off])
                if !(try body(PyStr.char(c))) { return }
            }
        }
    }

    /// An iterator state: the next one-character str after UTF-8 offset `off` (advanced), or nil at the end.
    func nextChar(_ off: inout Int) -> Value? {
        if let w = wide {
            // `off` counts code points here
            if off >= w.count { return nil }
            off &+= 1
            return PyStr.char(w[off &- 1])
        }
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
        if wide != nil || t.wide != nil { return PyStr.of(codePoints + t.codePoints) }
        let c = _count >= 0 && t._count >= 0 ? _count + t._count : -1
        return PyStr(s + t.s, count: c)
    }

    /// Appends `t` to this str, which the caller has made sure no other value references.
    func appendInPlace(_ t: PyStr) {
        if wide != nil || t.wide != nil {
            let r = concat(t)
            s = r.s; wide = r.wide; _count = r._count; _hash = 0; marks = []; cursorIndex = 0; cursorOffset = 0
            bytes = nil
            return
        }
        _count = _count >= 0 && t._count >= 0 ? _count + t._count : -1
        bytes = nil
        s += t.s
        _hash = 0
        if !marks.isEmpty { marks = [] }
        cursorIndex = 0; cursorOffset = 0
    }

    /// `self * n` (n > 0).
    func repeated(_ n: Int) -> PyStr {
        if let w = wide {
            var r: [UInt32] = []
            r.reserveCapacity(w.count * n)
            for _ in 0..<n { r += w }
            return PyStr.of(r)
        }
        return PyStr(PyStr.repeating(s, n), count: _count >= 0 ? _count * n : -1)
    }

    /// `s` n times (n >= 0), made as CPython's `unicode_repeat` does: the UTF-8 bytes copied once, then the filled
    /// part copied onto the rest, doubling (about log2(n) memcpys, where Swift's `String(repeating:count:)` appends
    /// n times: 2^31 copies took a minute). The caller has checked the size (`checkRepeat`, `checkAllocation`).
    static func repeating(_ s: String, _ n: Int) -> String {
        var unit = s
        let len = unit.utf8.count
        if n <= 0 || len == 0 { return "" }
        if n == 1 { return s }
        let total = len * n
        return unit.withUTF8 { src in
            String(unsafeUninitializedCapacity: total) { buf in
                let base = buf.baseAddress!
                base.update(from: src.baseAddress!, count: len)
                var filled = len
                while filled < total {
                    let chunk = min(filled, total - filled)
                    (base + filled).update(from: base, count: chunk)
                    filled += chunk
                }
                return total
            }
        }
    }

    /// Python's repr.
    var repr: String {
        guard let w = wide else { return strRepr(s) }
        // the quote as CPython picks it, then each run of scalars as strRepr writes it, each surrogate as \uXXXX
        let useDouble = w.contains(39) && !w.contains(34)
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        var run = String.UnicodeScalarView()
        func flush() {
            if run.isEmpty { return }
            out += strRepr(String(run), quote: q).dropFirst().dropLast()
            run = String.UnicodeScalarView()
        }
        for c in w {
            if let u = Unicode.Scalar(c) { run.append(u); continue }
            flush()
            out += "\\u" + String(c, radix: 16)
        }
        flush()
        out.append(q)
        return out
    }

    // MARK: shared values

    /// The one-character strs of code points 0...255 (a plain pointer: reading one retains only it).
    nonisolated(unsafe) static let latin1: UnsafeMutablePointer<Value> = {
        let p = UnsafeMutablePointer<Value>.allocate(capacity: 256)
        for c in 0..<256 { (p + c).initialize(to: .str(PyStr(String(Character(Unicode.Scalar(UInt8(c)))), count: 1))) }
        return p
    }()
    /// The empty str.
    nonisolated(unsafe) static let empty: Value = .str(PyStr("", count: 0))
}

extension Value {
    /// A str value of `s`.
    @inline(__always)
    public static func str(_ s: String) -> Value { .str(PyStr(s)) }
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

// MARK: - Substring operations by code point on Swift strings (UTF-8 byte matches, not Character matches)

extension String {
    /// Calls `body` with the UTF-8 bytes.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var c = self
        return try c.withUTF8(body)
    }

    /// The byte offsets of the non-overlapping occurrences of `t` (not empty), left to right.
    func utf8Occurrences(of t: String) -> [Int] {
        withUTF8Bytes { x in
            t.withUTF8Bytes { y in
                var r: [Int] = []
                var i = 0
                while true {
                    let j = PyStr.find(x, y, from: i)
                    if j < 0 { return r }
                    r.append(j)
                    i = j + y.count
                }
            }
        }
    }

    /// The pieces between the occurrences of `sep` (not empty), as Python's `split(sep)`.
    func splitByCodePoints(_ sep: String) -> [String] {
        let hits = utf8Occurrences(of: sep)
        if hits.isEmpty { return [self] }
        let m = sep.utf8.count
        return withUTF8Bytes { b in
            var parts: [String] = []
            parts.reserveCapacity(hits.count + 1)
            var start = 0
            for h in hits {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<h]), as: UTF8.self))
                start = h + m
            }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: b[start...]), as: UTF8.self))
            return parts
        }
    }

    /// Python's `replace(old, new)` for a non-empty `old`.
    func replacingCodePoints(_ old: String, with new: String) -> String {
        let parts = splitByCodePoints(old)
        return parts.count == 1 ? self : parts.joined(separator: new)
    }

    /// The byte offset of the first (or last) occurrence of `t` (not empty), or nil.
    func utf8Occurrence(of t: String, last: Bool) -> Int? {
        withUTF8Bytes { x in
            t.withUTF8Bytes { y in
                if !last { let j = PyStr.find(x, y, from: 0); return j < 0 ? nil : j }
                var i = x.count - y.count
                while i >= 0 {
                    if x[i] == y[0] && memcmp(x.baseAddress! + i, y.baseAddress!, y.count) == 0 { return i }
                    i -= 1
                }
                return nil
            }
        }
    }

    /// Whether the UTF-8 of `self` starts with that of `p`.
    func hasCodePointPrefix(_ p: String) -> Bool { utf8.starts(with: p.utf8) }
    /// Whether the UTF-8 of `self` ends with that of `p`.
    func hasCodePointSuffix(_ p: String) -> Bool {
        let n = utf8.count, m = p.utf8.count
        return m <= n && utf8.dropFirst(n - m).elementsEqual(p.utf8)
    }
}

/// `switch name { case "append": … }` over Swift Strings, as the interpreter dispatches methods, options and format
/// codes: the stdlib's match compares a label that differs through Unicode-aware comparison (a call and a memcmp
/// for each label passed over: a fifth of `s.startswith(x)`). A string of at most 15 UTF-8 bytes is stored in its
/// two words (its bytes, its count, its flags), so two such strings are equal exactly when their words are; only
/// a longer one takes the general comparison. (Equal code points, as Python compares; Swift's `==` would also
/// equate canonically equivalent spellings, which no label here has.)
@inline(__always)
func ~= (pattern: String, value: String) -> Bool {
    let p = unsafeBitCast(pattern, to: (UInt64, UInt64).self)
    let v = unsafeBitCast(value, to: (UInt64, UInt64).self)
    if p == v { return true }
    // bit 61 of the second word: the string is small (its bytes are its words)
    if (p.1 & v.1) >> 61 & 1 == 1 { return false }
    return pattern == value
}
