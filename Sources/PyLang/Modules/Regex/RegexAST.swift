// The parsed form of a Python regular expression, and the code point predicates its pieces test: sre's opcodes
// before compilation (`Lib/re/_parser.py`'s subpattern items) and `Modules/_sre/sre.c`'s character categories
// and case mapping (`\d` is a Unicode decimal digit, `\w` an alphanumeric or '_', `\s` what str.isspace() takes;
// ASCII-only for a bytes pattern or re.ASCII). Mirrors CPython's sre; written from its documented behaviour.

/// The zero-width tests sre calls AT codes.
enum RegexAnchor: UInt8 {
    case beginning, beginningLine, beginningString, end, endLine, endString
    case boundary, nonBoundary, asciiBoundary, asciiNonBoundary
}

/// A character category (`\d`, `\W`, ...), Unicode or ASCII.
struct RegexCategory: Equatable {
    enum Kind: UInt8 { case digit, word, space }
    var kind: Kind
    var negated: Bool
    var ascii: Bool

    @inline(__always)
    func test(_ c: UInt32) -> Bool {
        let r: Bool
        switch kind {
        case .digit: r = RegexChars.isDigit(c, ascii: ascii)
        case .word: r = RegexChars.isWord(c, ascii: ascii)
        case .space: r = RegexChars.isSpace(c, ascii: ascii)
        }
        return r != negated
    }
}

/// A set `[...]` (or a category standing alone): members, ranges and categories, possibly negated, possibly
/// matched without regard to case. `bitmap` holds the answer for every code point below 256, computed once.
struct RegexClass {
    var negated = false
    var singles: [UInt32] = []
    var ranges: [(UInt32, UInt32)] = []
    var categories: [RegexCategory] = []
    /// For IGNORECASE: the lowered members of the ranges.
    var lowered: Set<UInt32> = []
    /// Case-insensitive: Unicode (str pattern) or ASCII (bytes pattern, re.ASCII) case.
    var ignoreCase = false
    var asciiCase = false
    /// Precomputed membership of 0...255.
    var bitmap: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The full test, sre's `charset`. For IGNORECASE it tests the lowered code point against the lowered
    /// members (`finish` lowers them and adds their other cases, as CPython's _optimize_charset does); a range too
    /// large to lower member by member takes the lowered code point or its upper case (sre's RANGE_UNI_IGNORE).
    func slowTest(_ c: UInt32) -> Bool {
        if !ignoreCase { return rawContains(c) != negated }
        if asciiCase {
            let l = RegexChars.asciiLower(c)
            if rawContains(l) { return !negated }
            let u = RegexChars.asciiUpper(l)
            if u != l && ranges.contains(where: { $0.0 <= u && u <= $0.1 }) { return !negated }
            return negated
        }
        let l = RegexChars.lower(c)
        if lowered.contains(l) || rawContains(l) { return !negated }
        if !ranges.isEmpty {
            let u = RegexChars.upper(l)
            if ranges.contains(where: { $0.0 <= u && u <= $0.1 }) { return !negated }
            if let extra = RegexChars.extraCases[l] {
                for e in extra where ranges.contains(where: { $0.0 <= e && e <= $0.1 }) { return !negated }
            }
        }
        return negated
    }

    private func rawContains(_ c: UInt32) -> Bool {
        for s in singles where s == c { return true }
        for r in ranges where r.0 <= c && c <= r.1 { return true }
        for k in categories where k.test(c) { return true }
        return false
    }

    mutating func finish() {
        if ignoreCase {
            var low: [UInt32] = []
            for m in singles {
                let l = asciiCase ? RegexChars.asciiLower(m) : RegexChars.lower(m)
                low.append(l)
                if !asciiCase, let extra = RegexChars.extraCases[l] { low += extra }
            }
            singles = low
            if !asciiCase {
                // ranges of up to 4096 code points become their lowered members
                var big: [(UInt32, UInt32)] = []
                for r in ranges {
                    guard r.1 - r.0 < 4096 else { big.append(r); continue }
                    for m in r.0...r.1 {
                        let l = RegexChars.lower(m)
                        lowered.insert(l)
                        if let extra = RegexChars.extraCases[l] { lowered.formUnion(extra) }
                    }
                }
                ranges = big
            }
        }
        var w: [UInt64] = [0, 0, 0, 0]
        for c in 0..<256 where slowTest(UInt32(c)) { w[c >> 6] |= 1 << UInt64(c & 63) }
        bitmap = (w[0], w[1], w[2], w[3])
    }

    @inline(__always)
    func test(_ c: UInt32) -> Bool {
        if c < 256 {
            let word: UInt64
            switch c >> 6 {
            case 0: word = bitmap.0
            case 1: word = bitmap.1
            case 2: word = bitmap.2
            default: word = bitmap.3
            }
            return word & (1 << UInt64(c & 63)) != 0
        }
        return slowTest(c)
    }
}

/// A parsed pattern: `Lib/re/_parser.py`'s subpattern tree, with flags resolved into each piece.
indirect enum RegexNode {
    case empty
    /// A code point; `ignoreCase`: compared by lowered value (`lower` is that value).
    case literal(UInt32, ignoreCase: Bool, asciiCase: Bool)
    /// `.`; `dotAll`: also a newline.
    case any(dotAll: Bool)
    case set(RegexClass)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// A capturing group (number from 1).
    case group(Int, RegexNode)
    /// `min...max` repetitions (`max` -1: no limit).
    case repeated(RegexNode, min: Int, max: Int, lazy: Bool, possessive: Bool)
    case atomic(RegexNode)
    case look(RegexNode, behind: Bool, negative: Bool, width: Int)
    case backref(Int, ignoreCase: Bool, asciiCase: Bool)
    case anchor(RegexAnchor)
    /// `(?(group)yes|no)`.
    case conditional(Int, RegexNode, RegexNode)

    /// The minimum and maximum number of code points matched (max nil: unbounded or unknown), as sre's getwidth.
    var width: (Int, Int?) {
        switch self {
        case .empty, .anchor, .look: return (0, 0)
        case .literal, .any, .set: return (1, 1)
        case .sequence(let xs):
            var lo = 0, hi: Int? = 0
            for x in xs {
                let (a, b) = x.width
                lo += a
                if let h = hi, let b { hi = h + b } else { hi = nil }
            }
            return (lo, hi)
        case .alternation(let xs):
            var lo = Int.max, hi: Int? = 0
            for x in xs {
                let (a, b) = x.width
                lo = min(lo, a)
                if let h = hi, let b { hi = max(h, b) } else { hi = nil }
            }
            return (xs.isEmpty ? 0 : lo, hi)
        case .group(_, let x), .atomic(let x): return x.width
        case .repeated(let x, let mn, let mx, _, _):
            let (a, b) = x.width
            let lo = a.multipliedReportingOverflow(by: mn)
            var hi: Int? = nil
            if mx >= 0, let b { let p = b.multipliedReportingOverflow(by: mx); hi = p.overflow ? nil : p.partialValue }
            return (lo.overflow ? Int.max / 2 : lo.partialValue, hi)
        case .backref: return (0, nil)
        case .conditional(_, let y, let n):
            let (a, b) = y.width, (c, d) = n.width
            if let b, let d { return (min(a, c), max(b, d)) }
            return (min(a, c), nil)
        }
    }
}

/// Code point classification and case mapping as CPython's str methods and sre see them.
enum RegexChars {
    @inline(__always)
    static func isDigit(_ c: UInt32, ascii: Bool) -> Bool {
        if c < 128 { return c &- 48 < 10 }
        if ascii { return false }
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.numericType == .decimal
    }

    /// `str.isalnum()` or '_' (Unicode), [a-zA-Z0-9_] (ASCII).
    @inline(__always)
    static func isWord(_ c: UInt32, ascii: Bool) -> Bool {
        if c < 128 { return c &- 48 < 10 || (c | 0x20) &- 97 < 26 || c == 95 }
        if ascii { return false }
        return isWordSlow(c)
    }

    static func isWordSlow(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }

    /// `str.isspace()` (which takes \x1c-\x1f) for Unicode; space, \t, \n, \v, \f, \r for ASCII.
    @inline(__always)
    static func isSpace(_ c: UInt32, ascii: Bool) -> Bool {
        if c < 128 { return c == 32 || c &- 9 < 5 || (!ascii && c &- 28 < 4) }
        if ascii { return false }
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.isWhitespace
    }

    @inline(__always)
    static func asciiLower(_ c: UInt32) -> UInt32 { c &- 65 < 26 ? c | 0x20 : c }
    @inline(__always)
    static func asciiUpper(_ c: UInt32) -> UInt32 { c &- 97 < 26 ? c & ~0x20 : c }

    /// The lower case sre compares (the first code point of the full mapping, as CPython's _PyUnicode_ToLowercase).
    @inline(__always)
    static func lower(_ c: UInt32) -> UInt32 {
        if c < 128 { return asciiLower(c) }
        return lowerSlow(c)
    }

    static func lowerSlow(_ c: UInt32) -> UInt32 {
        if c < 0x3000 { return lowerTable[Int(c)] }
        return lowerOf(c)
    }

    private static func lowerOf(_ c: UInt32) -> UInt32 {
        guard let s = Unicode.Scalar(c) else { return c }
        return s.properties.lowercaseMapping.unicodeScalars.first?.value ?? c
    }

    /// The lower case of every code point below U+3000 (the alphabets with case), computed on first use.
    private static let lowerTable: [UInt32] = (0..<0x3000).map { lowerOf(UInt32($0)) }

    /// The upper case sre compares (the first code point of the full mapping, as CPython's _PyUnicode_ToUppercase:
    /// ß gives S).
    static func upper(_ c: UInt32) -> UInt32 {
        if c < 128 { return asciiUpper(c) }
        guard let s = Unicode.Scalar(c) else { return c }
        return s.properties.uppercaseMapping.unicodeScalars.first?.value ?? c
    }

    /// Whether `c` has a case (sre's iscased: its lower or upper differs).
    static func isCased(_ c: UInt32, ascii: Bool) -> Bool {
        if ascii { return asciiLower(c) != c || asciiUpper(c) != c }
        return lower(c) != c || upper(c) != c
    }

    /// Code points that match each other ignoring case beyond one lower/upper pair, keyed by lower case: the
    /// values of CPython's `re._casefix._EXTRA_CASES` (Unicode data, the same in any implementation).
    static let extraCases: [UInt32: [UInt32]] = [
        105: [305], 115: [383], 181: [956], 305: [105], 383: [115], 837: [953, 8126], 912: [8147], 944: [8163],
        946: [976], 949: [1013], 952: [977], 953: [837, 8126], 954: [1008], 956: [181], 960: [982], 961: [1009],
        962: [963], 963: [962], 966: [981], 976: [946], 977: [952], 981: [966], 982: [960], 1008: [954],
        1009: [961], 1013: [949], 1074: [7296], 1076: [7297], 1086: [7298], 1089: [7299], 1090: [7300, 7301],
        1098: [7302], 1123: [7303], 7296: [1074], 7297: [1076], 7298: [1086], 7299: [1089], 7300: [1090, 7301],
        7301: [1090, 7300], 7302: [1098], 7303: [1123], 7304: [42571], 7777: [7835], 7835: [7777],
        8126: [837, 953], 8147: [912], 8163: [944], 42571: [7304], 64261: [64262], 64262: [64261],
    ]
}
