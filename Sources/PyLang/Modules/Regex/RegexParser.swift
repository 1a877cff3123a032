// Python's regular-expression syntax read into a `RegexNode` tree, with Python's errors (message and position) for
// bad patterns. Mirrors CPython's `Lib/re/_parser.py` (sre's parser) as of 3.11: escapes, sets, repeats (greedy,
// lazy, possessive), groups (named, non-capturing, atomic), lookaround, conditionals, comments, inline flags (global
// ones only at the start) and VERBOSE. What it does not read (\N{...}, LOCALE) is `RegexUnsupported`, and the
// pattern goes to ICU instead.

/// A pattern Python rejects: `message` as re.error words it, without the position (-1: CPython gives none).
struct RegexSyntaxError: Error {
    let message: String
    let position: Int
}

/// A pattern this engine does not handle (ICU's translation takes it).
struct RegexUnsupported: Error {}

/// Groups nested deeper than CPython's recursive parser goes (it raises RecursionError past about 495).
struct RegexTooDeep: Error {}

/// The flags in force at a point of the pattern.
struct RegexFlags {
    var ignoreCase = false, multiline = false, dotAll = false, verbose = false, ascii = false
    init(_ bits: Int, isBytes: Bool) {
        ignoreCase = bits & 2 != 0; multiline = bits & 8 != 0; dotAll = bits & 16 != 0
        verbose = bits & 64 != 0; ascii = bits & 256 != 0 || isBytes
    }
}

struct RegexParser {
    let p: [UInt32]
    let isBytes: Bool
    var i = 0
    /// The next group's number (sre's state.groups).
    var groups = 1
    var names: [String: Int] = [:]
    var open: Set<Int> = []
    /// The group count when the innermost lookbehind began (references to later groups are not supported).
    var lookbehindGroups: Int? = nil
    var globalFlags: RegexFlags
    /// Conditionals on groups not yet defined where they stand: group and position.
    var forwardReferences: [Int: Int] = [:]
    /// How many groups are open here, and the most there may be.
    var depth = 0
    static let maxDepth = 495
    /// The flag bits of the global inline flags read (`(?im)` gives IGNORECASE | MULTILINE).
    var inlineBits = 0

    init(_ pattern: [UInt32], flags: Int, isBytes: Bool) {
        p = pattern; self.isBytes = isBytes; globalFlags = RegexFlags(flags, isBytes: isBytes)
    }

    /// The whole pattern.
    mutating func parse() throws -> RegexNode {
        var flags = globalFlags
        let node = try alternation(&flags, nested: false)
        if i < p.count {
            // only `)` stops the top level early
            throw RegexSyntaxError(message: "unbalanced parenthesis", position: i)
        }
        if let (g, at) = forwardReferences.filter({ $0.key >= groups }).min(by: { $0.value < $1.value }) {
            throw RegexSyntaxError(message: "invalid group reference \(g)", position: at)
        }
        return node
    }

    private func peek(_ k: Int = 0) -> UInt32? { i + k < p.count ? p[i + k] : nil }
    private func isDigit(_ c: UInt32?) -> Bool { c.map { $0 &- 48 < 10 } ?? false }
    private func isOctal(_ c: UInt32?) -> Bool { c.map { $0 &- 48 < 8 } ?? false }
    private func isHex(_ c: UInt32?) -> Bool {
        guard let c else { return false }
        return c &- 48 < 10 || (c | 0x20) &- 97 < 6
    }
    private func text(_ a: Int, _ b: Int) -> String {
        var s = String.UnicodeScalarView()
        for k in a..<min(b, p.count) { s.append(Unicode.Scalar(p[k]) ?? "\u{FFFD}") }
        return String(s)
    }
    private func fail(_ m: String, _ at: Int) -> RegexSyntaxError { RegexSyntaxError(message: m, position: at) }

    mutating func alternation(_ flags: inout RegexFlags, nested: Bool) throws -> RegexNode {
        var branches: [RegexNode] = []
        let scoped = flags
        while true {
            var f = nested ? scoped : globalFlags
            branches.append(try sequence(&f, first: !nested && branches.isEmpty))
            if !nested { flags = f }
            guard peek() == 124 else { break }   // |
            i += 1
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    /// Items up to `|`, `)` or the end.
    mutating func sequence(_ flags: inout RegexFlags, first: Bool) throws -> RegexNode {
        var items: [RegexNode] = []
        enum Last { case none, anchor, repeated, other }
        var last = Last.none
        while let c = peek(), c != 124, c != 41 {
            let start = i
            i += 1
            if flags.verbose {
                if c == 32 || (9...13).contains(c) { continue }
                if c == 35 {   // # comment to the end of the line
                    while let d = peek() { i += 1; if d == 10 { break } }
                    continue
                }
            }
            switch c {
            case 92:   // backslash
                let (node, isAnchor) = try escape(at: start, flags)
                items.append(node)
                last = isAnchor ? .anchor : .other
            case 91:   // [
                items.append(.set(try set(at: start, flags)))
                last = .other
            case 42, 43, 63, 123:   // * + ? {
                var lo = 0, hi = -1
                if c == 63 { hi = 1 } else if c == 43 { lo = 1 } else if c == 123 {
                    if peek() == 125 { items.append(literal(c, flags)); last = .other; continue }
                    var a = "", b = ""
                    while isDigit(peek()) { a.unicodeScalars.append(Unicode.Scalar(p[i])!); i += 1 }
                    if peek() == 44 {
                        i += 1
                        while isDigit(peek()) { b.unicodeScalars.append(Unicode.Scalar(p[i])!); i += 1 }
                    } else { b = a }
                    guard peek() == 125 else { i = start + 1; items.append(literal(c, flags)); last = .other; continue }
                    i += 1
                    if !a.isEmpty { guard let v = Int(a), v < 1 << 31 else { throw RegexUnsupported() }; lo = v }
                    if !b.isEmpty {
                        guard let v = Int(b), v < 1 << 31 else { throw RegexUnsupported() }
                        hi = v
                        if hi < lo { throw fail("min repeat greater than max repeat", start + 1) }
                    }
                }
                if last == .none || last == .anchor || items.isEmpty { throw fail("nothing to repeat", start) }
                if last == .repeated { throw fail("multiple repeat", start) }
                var lazy = false, possessive = false
                if peek() == 63 { lazy = true; i += 1 } else if peek() == 43 { possessive = true; i += 1 }
                let item = items.removeLast()
                items.append(.repeated(item, min: lo, max: hi, lazy: lazy, possessive: possessive))
                last = .repeated
            case 46:   // .
                items.append(.any(dotAll: flags.dotAll)); last = .other
            case 94:   // ^
                items.append(.anchor(flags.multiline ? .beginningLine : .beginning)); last = .anchor
            case 36:   // $
                items.append(.anchor(flags.multiline ? .endLine : .end)); last = .anchor
            case 40:   // (
                if let node = try group(at: start, &flags, first: first && items.isEmpty) {
                    items.append(node)
                    last = .other
                }
            default:
                items.append(literal(c, flags)); last = .other
            }
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private func literal(_ c: UInt32, _ f: RegexFlags) -> RegexNode {
        if f.ignoreCase && RegexChars.isCased(c, ascii: f.ascii) {
            return .literal(c, ignoreCase: true, asciiCase: f.ascii)
        }
        return .literal(c, ignoreCase: false, asciiCase: false)
    }

    private func category(_ c: UInt32, _ f: RegexFlags) -> RegexCategory? {
        switch c {
        case 100: return RegexCategory(kind: .digit, negated: false, ascii: f.ascii)   // d
        case 68: return RegexCategory(kind: .digit, negated: true, ascii: f.ascii)     // D
        case 119: return RegexCategory(kind: .word, negated: false, ascii: f.ascii)    // w
        case 87: return RegexCategory(kind: .word, negated: true, ascii: f.ascii)      // W
        case 115: return RegexCategory(kind: .space, negated: false, ascii: f.ascii)   // s
        case 83: return RegexCategory(kind: .space, negated: true, ascii: f.ascii)     // S
        default: return nil
        }
    }

    private static func simpleEscape(_ c: UInt32) -> UInt32? {
        switch c {
        case 97: return 7; case 102: return 12; case 110: return 10; case 114: return 13
        case 116: return 9; case 118: return 11; case 92: return 92
        default: return nil
        }
    }

    /// `\x..`, `\u....`, `\U........` after the letter; nil when `c` is none of them.
    private mutating func hexEscape(_ c: UInt32, at start: Int) throws -> UInt32? {
        let n: Int
        switch c {
        case 120: n = 2
        case 117 where !isBytes: n = 4
        case 85 where !isBytes: n = 8
        case 78 where !isBytes: throw RegexUnsupported()   // \N{name}
        default: return nil
        }
        var v: UInt32 = 0, k = 0
        while k < n, isHex(peek()) {
            let d = p[i]
            v = v * 16 + (d &- 48 < 10 ? d - 48 : (d | 0x20) - 87)
            i += 1; k += 1
        }
        if k != n { throw fail("incomplete escape \\" + text(start + 1, i), start) }
        if v > 0x10FFFF { throw fail("bad escape \\" + text(start + 1, i), start) }
        return v
    }

    /// An escape outside a set; whether it is an anchor.
    private mutating func escape(at start: Int, _ f: RegexFlags) throws -> (RegexNode, Bool) {
        guard let c = peek() else { throw fail("bad escape (end of pattern)", p.count - 1) }
        i += 1
        switch c {
        case 65: return (.anchor(.beginningString), true)                                      // A
        case 90: return (.anchor(.endString), true)                                            // Z
        case 98: return (.anchor(f.ascii ? .asciiBoundary : .boundary), true)                  // b
        case 66: return (.anchor(f.ascii ? .asciiNonBoundary : .nonBoundary), true)            // B
        default: break
        }
        if let k = category(c, f) {
            var cls = RegexClass()
            cls.categories = [k]
            cls.finish()
            return (.set(cls), false)
        }
        if let v = RegexParser.simpleEscape(c) { return (literal(v, f), false) }
        if let v = try hexEscape(c, at: start) { return (literal(v, f), false) }
        if c == 48 {   // \0: octal, up to two more digits
            var v: UInt32 = 0, k = 0
            while k < 2, isOctal(peek()) { v = v * 8 + p[i] - 48; i += 1; k += 1 }
            return (literal(v, f), false)
        }
        if isDigit(c) {
            if isDigit(peek()) {
                if isOctal(c) && isOctal(peek()) && isOctal(peek(1)) {
                    let v = (c - 48) * 64 + (p[i] - 48) * 8 + (p[i + 1] - 48)
                    i += 2
                    if v > 0o377 { throw fail("octal escape value \\" + text(start + 1, i) + " outside of range 0-0o377", start) }
                    return (literal(v, f), false)
                }
                i += 1
            }
            let g = Int(text(start + 1, i)) ?? 0
            if g < groups {
                if open.contains(g) { throw fail("cannot refer to an open group", start) }
                if let lb = lookbehindGroups, g >= lb { throw RegexUnsupported() }
                if lookbehindGroups != nil { throw RegexUnsupported() }
                return (.backref(g, ignoreCase: f.ignoreCase, asciiCase: f.ascii), false)
            }
            throw fail("invalid group reference \(g)", start + 1)
        }
        if c < 128 && (c | 0x20) &- 97 < 26 { throw fail("bad escape \\" + text(start + 1, i), start) }
        return (literal(c, f), false)
    }

    /// A set `[...]` from just after its `[`.
    private mutating func set(at start: Int, _ f: RegexFlags) throws -> RegexClass {
        var cls = RegexClass()
        if peek() == 94 { cls.negated = true; i += 1 }
        var any = false
        /// One member: a code point, or a category.
        func member(_ parser: inout RegexParser) throws -> (UInt32?, RegexCategory?, String) {
            let at = parser.i
            let c = parser.p[parser.i]
            parser.i += 1
            guard c == 92 else { return (c, nil, String(Unicode.Scalar(c) ?? "\u{FFFD}")) }
            guard let d = parser.peek() else { throw parser.fail("bad escape (end of pattern)", parser.p.count - 1) }
            parser.i += 1
            if d == 98 { return (8, nil, "\\b") }
            if let k = parser.category(d, f) { return (nil, k, parser.text(at, parser.i)) }
            if let v = RegexParser.simpleEscape(d) { return (v, nil, parser.text(at, parser.i)) }
            if let v = try parser.hexEscape(d, at: at) { return (v, nil, parser.text(at, parser.i)) }
            if parser.isOctal(d) {
                var v = d - 48, k = 0
                while k < 2, parser.isOctal(parser.peek()) { v = v * 8 + parser.p[parser.i] - 48; parser.i += 1; k += 1 }
                if v > 0o377 { throw parser.fail("octal escape value " + parser.text(at, parser.i) + " outside of range 0-0o377", at) }
                return (v, nil, parser.text(at, parser.i))
            }
            if parser.isDigit(d) || (d < 128 && (d | 0x20) &- 97 < 26) {
                throw parser.fail("bad escape " + parser.text(at, parser.i), at)
            }
            return (d, nil, parser.text(at, parser.i))
        }
        while true {
            guard let c = peek() else { throw fail("unterminated character set", start) }
            if c == 93 && any { i += 1; break }
            let at = i
            let (v1, k1, t1) = try member(&self)
            any = true
            if peek() == 45 {   // -: a range, or a literal '-' before the closing ]
                i += 1
                guard let d = peek() else { throw fail("unterminated character set", start) }
                if d == 93 {
                    if let v1 { cls.singles.append(v1) }
                    if let k1 { cls.categories.append(k1) }
                    cls.singles.append(45)
                    i += 1
                    break
                }
                let (v2, _, t2) = try member(&self)
                guard let lo = v1, let hi = v2, lo <= hi else { throw fail("bad character range \(t1)-\(t2)", at) }
                cls.ranges.append((lo, hi))
            } else {
                if let v1 { cls.singles.append(v1) }
                if let k1 { cls.categories.append(k1) }
            }
        }
        if f.ignoreCase {
            cls.ignoreCase = true
            cls.asciiCase = f.ascii
        }
        cls.finish()
        return cls
    }

    /// A group name up to `end`, checked as CPython does.
    private mutating func name(until end: UInt32) throws -> String {
        let from = i
        while let c = peek(), c != end { i += 1 }
        if i >= p.count {
            if i == from { throw fail("missing group name", i) }
            throw fail("missing \(end == 62 ? ">" : ")"), unterminated name", from)
        }
        let n = text(from, i)
        i += 1
        if n.isEmpty { throw fail("missing group name", i - 1) }
        if end == 62 && !RegexParser.isIdentifier(n) { throw fail("bad character in group name '\(n)'", from) }
        return n
    }

    static func isIdentifier(_ n: String) -> Bool {
        guard let f = n.unicodeScalars.first, f == "_" || f.properties.isXIDStart else { return false }
        return n.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }

    /// A group from just after its `(`; nil for one that is no item (global flags, a comment).
    private mutating func group(at start: Int, _ flags: inout RegexFlags, first: Bool) throws -> RegexNode? {
        depth += 1
        defer { depth -= 1 }
        if depth > RegexParser.maxDepth { throw RegexTooDeep() }
        var capture = true, atomic = false
        var groupName: String? = nil
        var inner = flags
        if peek() == 63 {   // ?
            i += 1
            guard let c = peek() else { throw fail("unexpected end of pattern", i) }
            i += 1
            switch c {
            case 80:   // P
                if peek() == 60 {
                    i += 1
                    groupName = try name(until: 62)
                } else if peek() == 61 {
                    i += 1
                    let at = i
                    let n = try name(until: 41)
                    if !RegexParser.isIdentifier(n) { throw fail("bad character in group name '\(n)'", at) }
                    guard let g = names[n] else { throw fail("unknown group name '\(n)'", at) }
                    if open.contains(g) { throw fail("cannot refer to an open group", at) }
                    if lookbehindGroups != nil { throw RegexUnsupported() }
                    return .backref(g, ignoreCase: flags.ignoreCase, asciiCase: flags.ascii)
                } else {
                    guard peek() != nil else { throw fail("unexpected end of pattern", i) }
                    throw fail("unknown extension ?P" + text(i, i + 1), i - 2)
                }
            case 58: capture = false   // :
            case 35:   // # comment
                while true {
                    guard let d = peek() else { throw fail("missing ), unterminated comment", start) }
                    i += 1
                    if d == 41 { break }
                }
                return nil
            case 61, 33, 60:   // = ! <
                var behind = false, negative = c == 33
                if c == 60 {
                    guard let d = peek() else { throw fail("unexpected end of pattern", i) }
                    i += 1
                    guard d == 61 || d == 33 else { throw fail("unknown extension ?<" + text(i - 1, i), i - 3) }
                    behind = true; negative = d == 33
                }
                let saved = lookbehindGroups
                if behind && lookbehindGroups == nil { lookbehindGroups = groups }
                let body = try alternation(&inner, nested: true)
                lookbehindGroups = saved
                guard peek() == 41 else { throw fail("missing ), unterminated subpattern", start) }
                i += 1
                var width = 0
                if behind {
                    let (lo, hi) = body.width
                    guard let hi, lo == hi else { throw fail("look-behind requires fixed-width pattern", -1) }
                    width = lo
                }
                return .look(body, behind: behind, negative: negative, width: width)
            case 40:   // (?(cond)yes|no)
                let at = i
                let n = try name(until: 41)
                var g: Int
                if RegexParser.isIdentifier(n) {
                    guard let k = names[n] else { throw fail("unknown group name '\(n)'", at) }
                    g = k
                } else if n.unicodeScalars.allSatisfy({ $0.value &- 48 < 10 }), let k = Int(n) {
                    if k == 0 { throw fail("bad group number", at) }
                    g = k
                } else {
                    throw fail("bad character in group name '\(n)'", at)
                }
                if lookbehindGroups != nil { throw RegexUnsupported() }
                // a group defined later is checked once the whole pattern is read, as sre does
                if g >= groups && forwardReferences[g] == nil { forwardReferences[g] = at }
                let yes = try sequence(&inner, first: false)
                var no = RegexNode.empty
                if peek() == 124 {
                    i += 1
                    var f2 = flags
                    no = try sequence(&f2, first: false)
                    if peek() == 124 { throw fail("conditional backref with more than two branches", i) }
                }
                guard peek() == 41 else { throw fail("missing ), unterminated subpattern", start) }
                i += 1
                return .conditional(g, yes, no)
            case 62: capture = false; atomic = true   // >
            default:
                guard "aiLmsux-".unicodeScalars.contains(where: { $0.value == c }) else {
                    throw fail("unknown extension ?" + text(i - 1, i), i - 2)
                }
                i -= 1
                if try inlineFlags(&inner, at: start) {
                    // global flags: only at the start of the expression
                    if !first { throw fail("global flags not at the start of the expression", start) }
                    flags = inner
                    globalFlags = inner
                    return nil
                }
                capture = false
            }
        }
        var number = 0
        if capture {
            number = groups
            groups += 1
            if let n = groupName {
                if let old = names[n] {
                    throw fail("redefinition of group name '\(n)' as group \(number); was group \(old)", i - n.unicodeScalars.count - 1)
                }
                names[n] = number
            }
            open.insert(number)
        }
        let body = try alternation(&inner, nested: true)
        guard peek() == 41 else { throw fail("missing ), unterminated subpattern", start) }
        i += 1
        if capture { open.remove(number); return .group(number, body) }
        return atomic ? .atomic(body) : body
    }

    /// Inline flags at `i` (a letter or '-'): true for global flags `(?aiLmsux)`, false for scoped ones
    /// `(?flags-flags:`, whose effect goes into `f`.
    private mutating func inlineFlags(_ f: inout RegexFlags, at start: Int) throws -> Bool {
        var on = RegexFlags(0, isBytes: isBytes), off = RegexFlags(0, isBytes: false)
        on.ascii = false
        var sawUnicode = false
        func set(_ r: inout RegexFlags, _ c: UInt32) throws -> Bool {
            switch c {
            case 105: r.ignoreCase = true
            case 109: r.multiline = true
            case 115: r.dotAll = true
            case 120: r.verbose = true
            case 97: r.ascii = true
            case 117: if isBytes { throw RegexUnsupported() }; sawUnicode = true
            case 76: throw RegexUnsupported()
            default: return false
            }
            return true
        }
        var c = p[i]
        if c != 45 {
            while true {
                guard try set(&on, c) else { throw RegexUnsupported() }
                i += 1
                guard let d = peek() else { throw fail("missing -, : or )", i) }
                c = d
                if c == 41 || c == 45 || c == 58 { break }
            }
        }
        if c == 41 {
            i += 1
            merge(&f, on, nil)
            inlineBits |= (on.ignoreCase ? 2 : 0) | (on.multiline ? 8 : 0) | (on.dotAll ? 16 : 0)
                | (on.verbose ? 64 : 0) | (on.ascii ? 256 : 0) | (sawUnicode ? 32 : 0)
            return true
        }
        if c == 45 {
            i += 1
            guard let d = peek() else { throw fail("missing flag", i) }
            c = d
            while true {
                guard c != 97, try set(&off, c) else { throw RegexUnsupported() }
                i += 1
                guard let d = peek() else { throw fail("missing :", i) }
                c = d
                if c == 58 { break }
                if c == 41 || c == 45 { throw RegexUnsupported() }
            }
        }
        guard c == 58 else { throw RegexUnsupported() }
        i += 1
        if (on.ignoreCase && off.ignoreCase) || (on.multiline && off.multiline) || (on.dotAll && off.dotAll) || (on.verbose && off.verbose) {
            throw fail("bad inline flags: flag turned on and off", i - 1)
        }
        merge(&f, on, off)
        return false
    }

    private func merge(_ f: inout RegexFlags, _ on: RegexFlags, _ off: RegexFlags?) {
        if on.ignoreCase { f.ignoreCase = true }
        if on.multiline { f.multiline = true }
        if on.dotAll { f.dotAll = true }
        if on.verbose { f.verbose = true }
        if on.ascii { f.ascii = true }
        if let off {
            if off.ignoreCase { f.ignoreCase = false }
            if off.multiline { f.multiline = false }
            if off.dotAll { f.dotAll = false }
            if off.verbose { f.verbose = false }
        }
    }
}
