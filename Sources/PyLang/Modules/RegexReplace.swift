// re's sub/subn, findall and split over a pattern's successive matches (`Interpreter.regexEach`): a replacement
// template parsed once per call (not once per match), pieces cut straight from the subject by code point offset,
// and a bytes pattern that is plain literal text searched with memchr/memcmp, as `_sre` searches a literal prefix.
// Mirrors `Lib/re/_parser.py`'s parse_template and `Modules/_sre/sre.c`'s pattern_subx, findall and split.
import Foundation

/// A piece of a parsed replacement template.
enum ReplacementPiece {
    case text(String)
    /// A group number, and where in the template it is named (for the error when the pattern lacks it).
    case group(Int, at: Int)
    case named(String)
}

extension Interpreter {
    /// What a pattern is matched against: a str for a str pattern, bytes-like for a bytes pattern, with
    /// CPython's TypeErrors for the other kind.
    func regexText(_ r: RegexPayload, _ v: Value) throws -> RegexText {
        if r.isBytes {
            if case .str = v { throw typeError("cannot use a bytes pattern on a string-like object") }
            guard let b = try? bytesArg(v) else { throw typeError("expected string or bytes-like object, got '\(typeName(v))'") }
            return RegexText(bytes: b, original: v)
        }
        if case .str(let x) = v {
            if x.isASCII { return RegexText(str: x, wide: nil, original: v) }
            if let (s, w) = r.wideSubject, s === x { return RegexText(str: x, wide: w, original: v) }
            let w = x.codePoints
            r.wideSubject = (x, w)
            return RegexText(str: x, wide: w, original: v)
        }
        if (try? bytesArg(v)) != nil { throw typeError("cannot use a string pattern on a bytes-like object") }
        throw typeError("expected string or bytes-like object, got '\(typeName(v))'")
    }

    /// A search's `pos` and `endpos` (Pattern.search(string, pos, endpos) and the like).
    func regexRange(_ a: [Value], _ kw: [(String, Value)]) throws -> (Int, Int?) {
        var pos = 0
        var end: Int? = nil
        if a.count > 2 { pos = try intArg(a[2]) } else if let v = kw.first(where: { $0.0 == "pos" })?.1 { pos = try intArg(v) }
        if a.count > 3 { end = try intArg(a[3]) } else if let v = kw.first(where: { $0.0 == "endpos" })?.1 { end = try intArg(v) }
        return (pos, end)
    }

    /// A replacement template's pieces: text (escapes resolved), and group references `\1`, `\12`, `\g<2>`,
    /// `\g<name>`. `\0` and three octal digits are a character; an unknown escape of an ASCII letter is re.error.
    func parseReplacement(_ t: String) throws -> [ReplacementPiece] {
        // no backslash: the text itself
        if !t.utf8.contains(92) { return t.isEmpty ? [] : [.text(t)] }
        let c = Array(t.unicodeScalars)
        var pieces: [ReplacementPiece] = []
        var lit = String.UnicodeScalarView()
        func flush() { if !lit.isEmpty { pieces.append(.text(String(lit))); lit = String.UnicodeScalarView() } }
        func isOctal(_ k: Int) -> Bool { k < c.count && ("0"..."7").contains(c[k]) }
        func isDigit(_ k: Int) -> Bool { k < c.count && ("0"..."9").contains(c[k]) }
        var i = 0
        while i < c.count {
            guard c[i] == "\\", i + 1 < c.count else { lit.append(c[i]); i += 1; continue }
            let n = c[i + 1]
            switch n {
            case "g":
                guard i + 2 < c.count, c[i + 2] == "<" else { throw err("re.error", "missing < at position \(i + 2)") }
                guard let close = c[(i + 3)...].firstIndex(of: ">") else {
                    throw err("re.error", "missing >, unterminated name at position \(i + 3)")
                }
                let name = String(String.UnicodeScalarView(c[(i + 3)..<close]))
                if name.isEmpty { throw err("re.error", "missing group name at position \(i + 3)") }
                flush()
                if name.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let k = Int(name) {
                    pieces.append(.group(k, at: i + 3))
                } else if isIdentifier(name) {
                    pieces.append(.named(name))
                } else {
                    throw err("re.error", "bad character in group name '\(name)' at position \(i + 3)")
                }
                i = close + 1
            case "0":
                // \0, \0o, \0oo: an octal character
                var j = i + 2, v = 0
                while j < i + 4 && isOctal(j) { v = v * 8 + Int(c[j].value - 48); j += 1 }
                lit.append(Unicode.Scalar(UInt8(v)))
                i = j
            case "1"..."9":
                if isDigit(i + 2), isOctal(i + 1), isOctal(i + 2), isOctal(i + 3) {
                    let v = Int(c[i + 1].value - 48) * 64 + Int(c[i + 2].value - 48) * 8 + Int(c[i + 3].value - 48)
                    if v > 0o377 { throw err("re.error", "octal escape value \\\(String(String.UnicodeScalarView(c[(i + 1)...(i + 3)]))) outside of range 0-0o377 at position \(i)") }
                    lit.append(Unicode.Scalar(UInt8(v)))
                    i += 4
                } else {
                    var k = Int(n.value - 48)
                    var j = i + 2
                    if isDigit(j) { k = k * 10 + Int(c[j].value - 48); j += 1 }
                    flush()
                    pieces.append(.group(k, at: i + 1))
                    i = j
                }
            case "n": lit.append("\n"); i += 2
            case "t": lit.append("\t"); i += 2
            case "r": lit.append("\r"); i += 2
            case "f": lit.append("\u{0C}"); i += 2
            case "v": lit.append("\u{0B}"); i += 2
            case "a": lit.append("\u{07}"); i += 2
            case "b": lit.append("\u{08}"); i += 2
            case "\\": lit.append("\\"); i += 2
            default:
                if n.isASCII && n.properties.isAlphabetic { throw err("re.error", "bad escape \\\(n) at position \(i)") }
                lit.append("\\"); lit.append(n); i += 2
            }
        }
        flush()
        return pieces
    }

    /// A Python identifier (a group's name).
    func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || f.properties.isXIDStart else { return false }
        return s.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }

    /// The span of a template's reference, with CPython's errors for a group the pattern lacks.
    func replacementGroup(_ piece: ReplacementPiece, _ r: RegexPayload, _ m: RegexSpans) throws -> (Int, Int) {
        var k: Int
        switch piece {
        case .group(let g, let at):
            if g > m.groupCount { throw err("re.error", "invalid group reference \(g) at position \(at)") }
            k = g
        case .named(let name):
            guard let g = r.names[name] else { throw err("IndexError", "unknown group name '\(name)'") }
            k = g
        case .text:
            return (-1, -1)
        }
        let a = m.caps[2 * k], b = m.caps[2 * k + 1]
        return a < 0 || b < 0 ? (-1, -1) : (a, b)
    }

    /// The offsets of the non-overlapping occurrences of `lit` in `src`, at most `limit` of them (0: all).
    func literalOccurrences(_ lit: [UInt8], _ src: [UInt8], limit: Int = 0) -> [Int] {
        var found: [Int] = []
        src.withUnsafeBytes { h in
            lit.withUnsafeBytes { n in
                guard let hb = h.baseAddress, let nb = n.baseAddress else { return }
                // memchr for the first byte, memcmp for the rest (Glibc's memmem is not visible to Swift)
                let first = Int32(lit[0])
                var at = 0
                while at + lit.count <= src.count, limit == 0 || found.count < limit {
                    guard let p = memchr(hb + at, first, src.count - at - lit.count + 1) else { break }
                    let k = hb.distance(to: UnsafeRawPointer(p))
                    if lit.count == 1 || memcmp(hb + k + 1, nb + 1, lit.count - 1) == 0 {
                        found.append(k)
                        at = k + lit.count
                    } else {
                        at = k + 1
                    }
                }
            }
        }
        return found
    }

    /// re.sub/subn: the result (str or bytes) and the number of replacements.
    func regexSub(_ r: RegexPayload, _ repl: Value, _ subj: RegexText, count: Int) throws -> (Value, Int) {
        var template: [ReplacementPiece]?
        switch repl {
        case .str(let t) where !r.isBytes: template = try parseReplacement(t.s)
        case .obj(let t as PyBytes) where r.isBytes: template = try parseReplacement(latin1String(t.b))
        case .str, .obj(is PyBytes):
            // (CPython's words: its template is joined as a sequence)
            throw typeError("sequence item 0: " + (r.isBytes ? "expected a bytes-like object, \(typeName(repl)) found" : "expected str instance, \(typeName(repl)) found"))
        default: template = nil
        }
        if count < 0 { return (subj.original, 0) }
        if let src = subj.bytes {
            // a literal pattern and a template of text only: a byte search, and the replacement's bytes between the pieces
            if let lit = r.literal, let t = template, t.allSatisfy({ if case .text = $0 { return true }; return false }) {
                let with = latin1Bytes(t.map { if case .text(let x) = $0 { return x }; return "" }.joined())
                let at = literalOccurrences(lit, src, limit: max(count, 0))
                if at.isEmpty { return (.obj(PyBytes(src)), 0) }
                var out: [UInt8] = []
                out.reserveCapacity(src.count + at.count * max(0, with.count - lit.count))
                var last = 0
                for k in at { out += src[last..<k]; out += with; last = k + lit.count }
                out += src[last...]
                return (.obj(PyBytes(out)), at.count)
            }
            let textBytes = template?.map { piece -> [UInt8] in if case .text(let x) = piece { return latin1Bytes(x) }; return [] }
            var out: [UInt8] = []
            out.reserveCapacity(src.count)
            var last = 0, n = 0
            try regexEach(r, subj) { m in
                out += src[last..<m.start]
                if let t = template {
                    for (k, piece) in t.enumerated() {
                        if case .text = piece { out += textBytes![k]; continue }
                        let g = try replacementGroup(piece, r, m)
                        if g.0 >= 0 { out += src[g.0..<g.1] }
                    }
                } else {
                    let v = try call(repl, [makeMatch(m, subj, r)], [])
                    guard let b = try? bytesArg(v) else { throw typeError("expected a bytes-like object, \(typeName(v)) found") }
                    out += b
                }
                last = m.end
                n += 1
                return count <= 0 || n < count
            }
            if n == 0 { return (.obj(PyBytes(src)), 0) }
            out += src[last...]
            return (.obj(PyBytes(out)), n)
        }
        var out = ""
        var last = 0, n = 0
        try regexEach(r, subj) { m in
            subj.append(last, m.start, to: &out)
            if let t = template {
                for p in t {
                    if case .text(let x) = p { out += x; continue }
                    let g = try replacementGroup(p, r, m)
                    if g.0 >= 0 { subj.append(g.0, g.1, to: &out) }
                }
            } else {
                let v = try call(repl, [makeMatch(m, subj, r)], [])
                out += try strArg(v, "sub")
            }
            last = m.end
            n += 1
            return count <= 0 || n < count
        }
        if n == 0 { return (subj.original, 0) }
        subj.append(last, subj.count, to: &out)
        return (.str(out), n)
    }

    /// re.findall: the matches, or their one group, or tuples of their groups (an unmatched group is empty).
    func findallValues(_ r: RegexPayload, _ subj: RegexText, pos: Int = 0, endpos: Int? = nil) throws -> [Value] {
        if let src = subj.bytes, let lit = r.literal, pos == 0, endpos == nil {
            let one = Value.obj(PyBytes(lit))
            return [Value](repeating: one, count: literalOccurrences(lit, src).count)
        }
        let empty: Value = subj.isBytes ? .obj(PyBytes([])) : .str("")
        func piece(_ m: RegexSpans, _ k: Int) -> Value {
            let a = m.caps[2 * k], b = m.caps[2 * k + 1]
            return a < 0 || b < 0 ? empty : subj.slice(a, b)
        }
        var out: [Value] = []
        try regexEach(r, subj, pos: pos, endpos: endpos) { m in
            switch m.groupCount {
            case 0: out.append(piece(m, 0))
            case 1: out.append(piece(m, 1))
            default: out.append(.tuple(PyTuple((1...m.groupCount).map { piece(m, $0) })))
            }
            return true
        }
        return out
    }

    /// re.split: the pieces between matches, each match's groups between them (None for an unmatched group).
    func regexSplit(_ r: RegexPayload, _ subj: RegexText, _ maxsplit: Int) throws -> [Value] {
        if let src = subj.bytes, let lit = r.literal {
            var out: [Value] = []
            var last = 0
            for k in literalOccurrences(lit, src, limit: max(maxsplit, 0)) {
                out.append(.obj(PyBytes(Array(src[last..<k]))))
                last = k + lit.count
            }
            out.append(.obj(PyBytes(Array(src[last...]))))
            return out
        }
        var out: [Value] = []
        var last = 0
        var n = 0
        if maxsplit < 0 { return [subj.slice(0, subj.count)] }
        try regexEach(r, subj) { m in
            out.append(subj.slice(last, m.start))
            for k in stride(from: 1, through: m.groupCount, by: 1) {
                let a = m.caps[2 * k], b = m.caps[2 * k + 1]
                out.append(a < 0 || b < 0 ? .none : subj.slice(a, b))
            }
            last = m.end
            n += 1
            return maxsplit == 0 || n < maxsplit
        }
        out.append(subj.slice(last, subj.count))
        return out
    }
}
