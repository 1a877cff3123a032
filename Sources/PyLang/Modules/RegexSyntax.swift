// The fallback for the few patterns mpsh's matcher does not take (see Re.swift's header): Python's
// regular-expression syntax in ICU's (NSRegularExpression): the places where the two read the same text
// differently. In a set, Python takes `[` and `&` as literals where ICU nests sets and intersects (`[\s[]` is a
// set of whitespace and '[' in Python, an unterminated nested set in ICU); `]` first in a set is a literal; `\Z`
// is the very end in Python (ICU's `\z`); `{` that does not start a quantifier is a literal; `{,n}` means
// `{0,n}`; `(?P<name>...)` and `(?P=name)` are named groups and backreferences; the inline flags a, u and L
// have no ICU counterpart (a makes \w, \d, \s and \b ASCII-only here). Mirrors `Lib/re/_parser.py`'s reading.
extension Interpreter {
    static func pythonRegexToICU(_ pattern: String, ascii: Bool) -> String {
        let p = Array(pattern.unicodeScalars)
        var out = String.UnicodeScalarView()
        var ascii = ascii
        var k = 0
        func emit(_ s: String) { out.append(contentsOf: s.unicodeScalars) }
        /// Whether p[at...] is a quantifier `{m}`, `{m,}`, `{,n}` or `{m,n}`; returns its ICU form and length.
        func quantifier(_ at: Int) -> (String, Int)? {
            var j = at + 1
            var lo = "", hi = ""
            var comma = false
            while j < p.count, p[j] != "}" {
                let c = p[j]
                if c == "," { if comma { return nil }; comma = true }
                else if c.properties.numericType == .decimal && c.isASCII { if comma { hi.unicodeScalars.append(c) } else { lo.unicodeScalars.append(c) } }
                else { return nil }
                j += 1
            }
            if j >= p.count || (lo.isEmpty && hi.isEmpty) { return nil }
            let icu = comma ? "{\(lo.isEmpty ? "0" : lo),\(hi)}" : "{\(lo)}"
            return (icu, j - at + 1)
        }
        /// An escape outside a set, in ICU's form.
        func escape(_ c: Unicode.Scalar, inSet: Bool) -> String {
            switch c {
            case "Z" where !inSet: return "\\z"
            case "w" where ascii: return inSet ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
            case "W" where ascii && !inSet: return "[^a-zA-Z0-9_]"
            case "d" where ascii: return inSet ? "0-9" : "[0-9]"
            case "D" where ascii && !inSet: return "[^0-9]"
            case "s" where ascii: return inSet ? " \\t\\n\\r\\f\\x{0b}" : "[ \\t\\n\\r\\f\\x{0b}]"
            case "S" where ascii && !inSet: return "[^ \\t\\n\\r\\f\\x{0b}]"
            case "b" where ascii && !inSet: return "(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))"
            case "b" where inSet: return "\\x{08}"
            default: return "\\" + String(c)
            }
        }
        while k < p.count {
            let c = p[k]
            switch c {
            case "\\":
                guard k + 1 < p.count else { emit("\\\\"); k += 1; continue }
                emit(escape(p[k + 1], inSet: false))
                k += 2
            case "[":
                // a set: copied with Python's literals made explicit
                emit("[")
                k += 1
                if k < p.count && p[k] == "^" { emit("^"); k += 1 }
                if k < p.count && p[k] == "]" { emit("\\]"); k += 1 }
                while k < p.count && p[k] != "]" {
                    let d = p[k]
                    if d == "\\" && k + 1 < p.count {
                        emit(escape(p[k + 1], inSet: true))
                        k += 2
                        continue
                    }
                    if d == "[" || d == "&" || d == "{" || d == "}" || d == "$" { emit("\\" + String(d)) }
                    else if d == "-" && k + 1 < p.count && p[k + 1] == "-" { emit("\\-") }
                    else { out.append(d) }
                    k += 1
                }
                if k < p.count { emit("]"); k += 1 }
            case "{":
                if let (q, n) = quantifier(k), !out.isEmpty { emit(q); k += n } else { emit("\\{"); k += 1 }
            case "}":
                emit("\\}"); k += 1
            case "(":
                if k + 2 < p.count && p[k + 1] == "?" && p[k + 2] == "P" {
                    if k + 3 < p.count && p[k + 3] == "<" { emit("(?<"); k += 4; continue }
                    if k + 3 < p.count && p[k + 3] == "=" {
                        var j = k + 4
                        var name = ""
                        while j < p.count && p[j] != ")" { name.unicodeScalars.append(p[j]); j += 1 }
                        emit("\\k<\(name)>")
                        k = j + 1
                        continue
                    }
                }
                if k + 1 < p.count && p[k + 1] == "?" {
                    // inline flags: drop a, u, L (ICU has none); a turns ASCII classes on from here
                    var j = k + 2
                    var flags = ""
                    while j < p.count, "aiLmsux".unicodeScalars.contains(p[j]) { flags.unicodeScalars.append(p[j]); j += 1 }
                    if !flags.isEmpty && j < p.count && (p[j] == ")" || p[j] == ":" || p[j] == "-") {
                        if flags.contains("a") { ascii = true }
                        let kept = flags.filter { "imsx".contains($0) }
                        if kept.isEmpty && p[j] == ")" { k = j + 1; continue }
                        emit("(?" + kept)
                        k = j
                        continue
                    }
                }
                out.append(c); k += 1
            default:
                out.append(c); k += 1
            }
        }
        return String(out)
    }
}
