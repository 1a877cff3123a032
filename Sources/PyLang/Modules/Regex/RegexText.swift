// What a pattern is matched against, as the matcher reads it: a bytes subject's bytes, an ASCII str's UTF-8 bytes
// (one byte per code point, read in place), or a non-ASCII str's code points (converted once and kept by the
// pattern for the next call on the same str); and the found groups, as code point offsets, cut back into str or
// bytes values. The search loop over successive matches follows Python 3.7+ (after an empty match the next one may
// not be empty at the same place, sre's must_advance). Mirrors CPython's `Modules/_sre/sre.c` (state_init,
// getslice, pattern_finditer's scanner).

/// A subject of a match.
struct RegexText {
    enum Units {
        case bytes([UInt8])
        /// An ASCII str: its bytes are its code points.
        case ascii(PyStr)
        case wide([UInt32])
    }
    let units: Units
    /// The number of code points (or bytes).
    let count: Int
    /// The value the program passed (a match's `string`).
    let original: Value

    init(bytes: [UInt8], original: Value) { units = .bytes(bytes); count = bytes.count; self.original = original }
    init(str: PyStr, wide: [UInt32]?, original: Value) {
        if let wide { units = .wide(wide); count = wide.count } else { units = .ascii(str); count = str.count }
        self.original = original
    }

    var isBytes: Bool { if case .bytes = units { return true }; return false }

    /// The bytes of a bytes subject.
    var bytes: [UInt8]? { if case .bytes(let b) = units { return b }; return nil }

    /// Code points `a..<b` as the subject's kind of value.
    func slice(_ a: Int, _ b: Int) -> Value {
        let b = max(a, b)
        switch units {
        case .bytes(let x): return .obj(PyBytes(Array(x[a..<b])))
        case .ascii(let s):
            if a == 0 && b == count { return .str(s) }
            let t = s.withBytes { String(decoding: UnsafeBufferPointer(rebasing: $0[a..<b]), as: UTF8.self) }
            return .str(PyStr(t, count: b - a))
        case .wide(let w):
            return .str(PyStr.of(Array(w[a..<b])))
        }
    }

    /// Appends code points `a..<b` of a str subject to `out`.
    func append(_ a: Int, _ b: Int, to out: inout String) {
        if a >= b { return }
        switch units {
        case .bytes(let x): out += latin1String(Array(x[a..<b]))
        case .ascii(let s): s.withBytes { out += String(decoding: UnsafeBufferPointer(rebasing: $0[a..<b]), as: UTF8.self) }
        case .wide(let w):
            var u = String.UnicodeScalarView()
            for c in w[a..<b] { u.append(Unicode.Scalar(c) ?? "\u{FFFD}") }
            out.unicodeScalars.append(contentsOf: u)
        }
    }

    /// The text as a Swift String (for ICU; bytes as Latin-1).
    var string: String {
        switch units {
        case .bytes(let x): return latin1String(x)
        case .ascii(let s): return s.s
        case .wide(let w): return PyStr.of(w).s
        }
    }

    /// Whether UTF-16 offsets are code point offsets.
    var utf16IsCodePoints: Bool {
        switch units {
        case .bytes, .ascii: return true
        case .wide(let w): return !w.contains { $0 > 0xFFFF }
        }
    }

    /// Runs `body` with the units (one of the two widths).
    func withUnits<R>(_ narrow: (UnsafeBufferPointer<UInt8>) throws -> R,
                      _ wide: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        switch units {
        case .bytes(let x): return try x.withUnsafeBufferPointer(narrow)
        case .ascii(let s): return try s.withBytes(narrow)
        case .wide(let w): return try w.withUnsafeBufferPointer(wide)
        }
    }
}

/// A match's groups: code point offsets (start and end of group k at 2k and 2k + 1, -1 when unset), and the
/// group closed last (sre's lastindex; -1: none).
struct RegexSpans {
    var caps: [Int]
    var lastIndex: Int
    var start: Int { caps[0] }
    var end: Int { caps[1] }
    var groupCount: Int { caps.count / 2 - 1 }
}

extension RegexProgram {
    /// A matcher free for a new search (the pattern keeps one; a search inside a search gets its own).
    func matcher(_ cached: inout RegexMatcher?) -> RegexMatcher {
        if let m = cached, !m.busy { return m }
        let m = RegexMatcher(self)
        if cached == nil { cached = m }
        return m
    }

    /// The first match in `text[from..<end]`: anywhere, at `from` only (`anchored`), or from `from` to `end`
    /// (`full`).
    func first(_ text: RegexText, from: Int, end: Int, anchored: Bool, full: Bool,
               cached: inout RegexMatcher?) -> RegexSpans? {
        let m = matcher(&cached)
        m.busy = true
        m.requiredFrom = -1
        defer { m.busy = false }
        let found = text.withUnits(
            { m.search($0, from: from, end: end, anchored: anchored, full: full, mustAdvance: false) },
            { m.search($0, from: from, end: end, anchored: anchored, full: full, mustAdvance: false) })
        return found ? m.spans : nil
    }

    /// Every match in `text[from..<end]` in order, as finditer, findall, sub and split take them; `body` returns
    /// false to stop.
    func forEach(_ text: RegexText, from: Int, end: Int, cached: inout RegexMatcher?,
                 _ body: (RegexSpans) throws -> Bool) throws {
        let m = matcher(&cached)
        m.busy = true
        m.requiredFrom = -1
        defer { m.busy = false }
        func run<T: FixedWidthInteger & UnsignedInteger>(_ t: UnsafeBufferPointer<T>) throws {
            var at = from
            var mustAdvance = false
            while at <= end {
                guard m.search(t, from: at, end: end, anchored: false, full: false, mustAdvance: mustAdvance) else { return }
                let spans = m.spans
                // the callback may search with this pattern: it gets a matcher of its own meanwhile
                if try !body(spans) { return }
                mustAdvance = spans.end == spans.start
                at = spans.end
            }
        }
        try text.withUnits({ try run($0) }, { try run($0) })
    }
}
