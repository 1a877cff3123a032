// The tokenizer: indentation, continuation lines, numbers, strings (raw, bytes, f-strings).
// Mirrors CPython's `Parser/tokenizer.c` in spirit; positions are 1-based line and column.

/// A positioned error in the program text. Printed as `file:line:col: SyntaxError: message`.
public struct SyntaxError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var col: Int
    public var message: String
    public var sourceLine: String = ""
    public var kind: String = "SyntaxError"
    /// True when more input could complete the program (an open bracket or block at end of input).
    public var incomplete: Bool = false

    /// The source line, a caret under the column, then `file:line:col: Kind: message` as the last line.
    public var description: String {
        var s = ""
        if !sourceLine.isEmpty {
            let trimmed = sourceLine.drop { $0 == " " || $0 == "\t" }
            let indent = sourceLine.count - trimmed.count
            s += "    \(trimmed)\n    " + String(repeating: " ", count: max(0, col - 1 - indent)) + "^\n"
        }
        return s + "\(file):\(line):\(col): \(kind): \(message)"
    }
}

enum Tok: Equatable {
    case name(String)
    case int(Int)
    case bigInt(String)
    case float(Double)
    case str(String, StrKind)
    case bytes([UInt8])
    case op(String)
    case newline, indent, dedent, eof
}

enum StrKind: Equatable {
    case plain, fstring
    /// A plain literal with lone surrogates (`'\ud800'`): the text holds U+FFFD for each, these are its code points.
    case wide([UInt32])
}

struct Token {
    var tok: Tok
    var line: Int
    var col: Int
}

struct Lexer {
    var src: [UInt8]
    let file: String
    var pos = 0
    var line = 1
    var lineStart = 0
    var indents: [Int] = [0]
    var parenDepth = 0
    var openBrackets: [(UInt8, Int, Int)] = []
    var tokens: [Token] = []
    var atLineStart = true
    /// The lone surrogates of the str literal being read: (byte offset of its U+FFFD in the text, the surrogate).
    var surrogates: [(Int, UInt32)] = []

    init(_ text: String, file: String) {
        src = Array(text.utf8)
        self.file = file
    }

    /// Sets `line`, `lineStart` and `pos` to byte `offset` (for an error found before lexing).
    mutating func locate(_ offset: Int) {
        var i = 0
        while i < offset { if src[i] == 10 { line += 1; lineStart = i + 1 }; i += 1 }
        pos = offset
    }

    /// A program's text from its bytes: CPython's SyntaxError for bytes that are not UTF-8 (no encoding
    /// declaration is read: mpsh source is UTF-8) and for NUL bytes, positioned at the first bad byte, instead of
    /// running a program whose text was silently changed. A UTF-8 byte-order mark is skipped, as CPython does.
    public static func decodeSource(_ bytes: [UInt8], file: String) throws(SyntaxError) -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var lx = Lexer("", file: file)
        lx.src = Array(body)
        if let bad = firstInvalidUTF8(lx.src) {
            lx.locate(bad)
            let byte = "\\x" + String(lx.src[bad], radix: 16)
            throw lx.err("Non-UTF-8 code starting with '\(byte)' in file \(file) on line \(lx.line), but no encoding declared; see https://peps.python.org/pep-0263/ for details")
        }
        if let nul = lx.src.firstIndex(of: 0) {
            lx.locate(nul)
            throw lx.err("source code cannot contain null bytes")
        }
        return String(decoding: lx.src, as: UTF8.self)
    }

    /// The offset of the first byte that does not begin or continue a well-formed UTF-8 sequence (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int, lo: UInt8, hi: UInt8
            switch c {
            case 0xC2...0xDF: len = 2; lo = 0x80; hi = 0xBF
            case 0xE0: len = 3; lo = 0xA0; hi = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: len = 3; lo = 0x80; hi = 0xBF
            case 0xED: len = 3; lo = 0x80; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90; hi = 0xBF
            case 0xF1...0xF3: len = 4; lo = 0x80; hi = 0xBF
            case 0xF4: len = 4; lo = 0x80; hi = 0x8F
            default: return i
            }
            guard i + len <= n, b[i + 1] >= lo, b[i + 1] <= hi else { return i }
            for k in 2..<len where b[i + k] & 0xC0 != 0x80 { return i }
            i += len
        }
        return nil
    }

    func err(_ msg: String, line l: Int? = nil, col c: Int? = nil, incomplete: Bool = false) -> SyntaxError {
        let ln = l ?? line
        return SyntaxError(file: file, line: ln, col: c ?? (pos - lineStart + 1), message: msg,
                           sourceLine: Lexer.lineText(src, ln), incomplete: incomplete)
    }

    static func lineText(_ src: [UInt8], _ n: Int) -> String {
        var l = 1, i = 0
        while i < src.count && l < n { if src[i] == 10 { l += 1 }; i += 1 }
        var j = i
        while j < src.count && src[j] != 10 { j += 1 }
        if i >= src.count { return "" }
        return String(decoding: src[i..<j], as: UTF8.self).trimmingTrailing()
    }

    mutating func add(_ t: Tok, _ startCol: Int, _ startLine: Int? = nil) {
        tokens.append(Token(tok: t, line: startLine ?? line, col: startCol))
    }

    static func tokenize(_ text: String, file: String) throws(SyntaxError) -> [Token] {
        var lx = Lexer(text, file: file)
        if let nul = lx.src.firstIndex(of: 0) {
            lx.locate(nul)
            throw lx.err("source code cannot contain null bytes")
        }
        try lx.run()
        return lx.tokens
    }

    mutating func run() throws(SyntaxError) {
        while true {
            if atLineStart && parenDepth == 0 {
                // measure indentation
                var col = 0
                var p = pos
                while p < src.count && (src[p] == 32 || src[p] == 9 || src[p] == 12) {
                    col = src[p] == 9 ? (col / 8 + 1) * 8 : col + 1
                    p += 1
                }
                if p >= src.count { pos = p; break }
                let c = src[p]
                if c == 10 || c == 35 || c == 13 || (c == 92 && p + 1 < src.count && src[p+1] == 10) {
                    // blank or comment line: skip entirely
                    pos = p
                    if c == 35 { while pos < src.count && src[pos] != 10 { pos += 1 } }
                    if c == 92 { pos += 1 }
                    if pos < src.count && src[pos] == 13 { pos += 1 }
                    if pos < src.count && src[pos] == 10 { pos += 1; line += 1; lineStart = pos }
                    continue
                }
                pos = p
                atLineStart = false
                if col > indents.last! {
                    indents.append(col)
                    add(.indent, 1)
                } else {
                    while col < indents.last! {
                        indents.removeLast()
                        add(.dedent, col + 1)
                    }
                    if col != indents.last! {
                        var e = err("unindent does not match any outer indentation level", col: col + 1)
                        e.kind = "IndentationError"
                        throw e
                    }
                }
            }
            if pos >= src.count { break }
            let c = src[pos]
            let col = pos - lineStart + 1
            switch c {
            case 32, 9, 12, 13:
                pos += 1
            case 35: // comment
                while pos < src.count && src[pos] != 10 { pos += 1 }
            case 10:
                if parenDepth == 0 { add(.newline, col); atLineStart = true }
                pos += 1; line += 1; lineStart = pos
            case 92: // backslash continuation
                var p = pos + 1
                if p < src.count && src[p] == 13 { p += 1 }
                if p < src.count && src[p] == 10 {
                    pos = p + 1; line += 1; lineStart = pos
                } else if p >= src.count {
                    throw err("unexpected EOF after line continuation character", incomplete: true)
                } else {
                    throw err("unexpected character after line continuation character")
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number(col)
            case UInt8(ascii: "."):
                if pos + 1 < src.count && isDigit(src[pos+1]) { try number(col) } else {
                    if pos + 2 < src.count && src[pos+1] == 46 && src[pos+2] == 46 {
                        add(.op("..."), col); pos += 3
                    } else { add(.op("."), col); pos += 1 }
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                try string(col, raw: false, bytes: false, f: false)
            default:
                if isIdentStart(c) {
                    var p = pos
                    while p < src.count && isIdentChar(src[p]) { p += 1 }
                    let word = String(decoding: src[pos..<p], as: UTF8.self)
                    // string prefixes
                    if p < src.count && (src[p] == 34 || src[p] == 39) && word.count <= 2 {
                        let lw = word.lowercased()
                        let ok = ["r", "b", "f", "rb", "br", "u", "fr", "rf"].contains(lw)
                        if ok {
                            pos = p
                            try string(col, raw: lw.contains("r"), bytes: lw.contains("b"), f: lw.contains("f"))
                            continue
                        }
                    }
                    pos = p
                    add(.name(word), col)
                } else {
                    try op(col)
                }
            }
        }
        if parenDepth > 0, let (c, l, cc) = openBrackets.last {
            throw err("'\(Character(UnicodeScalar(c)))' was never closed", line: l, col: cc, incomplete: true)
        }
        if let last = tokens.last, last.tok != .newline, !(last.tok == .dedent) {
            add(.newline, pos - lineStart + 1)
        }
        while indents.count > 1 { indents.removeLast(); add(.dedent, 1) }
        add(.eof, pos - lineStart + 1)
    }

    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 128 }
    func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }

    mutating func number(_ col: Int) throws(SyntaxError) {
        let start = pos
        if src[pos] == 48 && pos + 1 < src.count {
            let n = src[pos+1] | 0x20
            var radix = 0
            if n == UInt8(ascii: "x") { radix = 16 } else if n == UInt8(ascii: "o") { radix = 8 } else if n == UInt8(ascii: "b") { radix = 2 }
            if radix != 0 {
                pos += 2
                var digits = ""
                while pos < src.count && (isIdentChar(src[pos])) {
                    if src[pos] != 95 { digits.append(Character(UnicodeScalar(src[pos]))) }
                    pos += 1
                }
                if let v = Int(digits, radix: radix) { add(.int(v), col) }
                else if !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit }) {
                    add(.bigInt((radix == 16 ? "0x" : radix == 8 ? "0o" : "0b") + digits), col)
                } else { throw err("invalid literal", col: col) }
                return
            }
        }
        var isFloat = false
        while pos < src.count && (isDigit(src[pos]) || src[pos] == 95) { pos += 1 }
        if pos < src.count && src[pos] == 46 {
            isFloat = true; pos += 1
            while pos < src.count && (isDigit(src[pos]) || src[pos] == 95) { pos += 1 }
        }
        if pos < src.count && (src[pos] | 0x20) == UInt8(ascii: "e") {
            var p = pos + 1
            if p < src.count && (src[p] == 43 || src[p] == 45) { p += 1 }
            if p < src.count && isDigit(src[p]) {
                isFloat = true
                pos = p
                while pos < src.count && isDigit(src[pos]) { pos += 1 }
            }
        }
        if pos < src.count && (src[pos] | 0x20) == UInt8(ascii: "j") {
            throw err("complex numbers are not supported", col: col)
        }
        if pos < src.count && isIdentStart(src[pos]) {
            throw err("invalid decimal literal", col: col)
        }
        let text = String(decoding: src[start..<pos], as: UTF8.self).replacingAll("_", "")
        if isFloat {
            guard let d = Double(text) else { throw err("invalid float literal", col: col) }
            add(.float(d), col)
        } else {
            if text.count > 1 && text.hasPrefix("0") && text.contains(where: { $0 != "0" }) {
                throw err("leading zeros in decimal integer literals are not permitted", col: col)
            }
            if let v = Int(text) { add(.int(v), col) } else { add(.bigInt(text), col) }
        }
    }

    mutating func string(_ col: Int, raw: Bool, bytes: Bool, f: Bool) throws(SyntaxError) {
        let q = src[pos]
        let startLine = line
        var triple = false
        if pos + 2 < src.count && src[pos+1] == q && src[pos+2] == q { triple = true; pos += 3 } else { pos += 1 }
        var out: [UInt8] = []
        surrogates = []
        while true {
            if pos >= src.count {
                throw err(triple ? "unterminated triple-quoted string literal (detected at line \(line))"
                          : "unterminated string literal (detected at line \(line))",
                          line: startLine, col: col, incomplete: triple)
            }
            let c = src[pos]
            if c == q {
                if !triple { pos += 1; break }
                if pos + 2 < src.count && src[pos+1] == q && src[pos+2] == q { pos += 3; break }
                out.append(c); pos += 1; continue
            }
            if c == 10 {
                if !triple { throw err("unterminated string literal (detected at line \(line))", line: startLine, col: col) }
                out.append(c); pos += 1; line += 1; lineStart = pos; continue
            }
            if c == 92 {
                if pos + 1 >= src.count { pos += 1; continue }
                let n = src[pos+1]
                if raw {
                    out.append(c); out.append(n); pos += 2
                    if n == 10 { line += 1; lineStart = pos }
                    continue
                }
                pos += 2
                switch n {
                case 10: line += 1; lineStart = pos
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var v = Int(n - 48)
                    var k = 0
                    while k < 2 && pos < src.count && src[pos] >= 48 && src[pos] <= 55 { v = v * 8 + Int(src[pos] - 48); pos += 1; k += 1 }
                    appendCode(&out, v, bytes)
                case UInt8(ascii: "a"): out.append(7)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "v"): out.append(11)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "'"): out.append(39)
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let len = n == UInt8(ascii: "x") ? 2 : n == UInt8(ascii: "u") ? 4 : 8
                    if bytes && n != UInt8(ascii: "x") { out.append(92); out.append(n); continue }
                    guard pos + len <= src.count, let v = Int(String(decoding: src[pos..<pos+len], as: UTF8.self), radix: 16) else {
                        throw err("(unicode error) truncated \\\(Character(UnicodeScalar(n)))XX escape", col: col)
                    }
                    pos += len
                    appendCode(&out, v, bytes)
                case UInt8(ascii: "N"):
                    throw err("\\N{...} escapes are not supported", col: col)
                default:
                    out.append(92); out.append(n)
                }
                continue
            }
            out.append(c); pos += 1
        }
        if bytes {
            if out.contains(where: { $0 >= 128 }) && !raw {
                // non-ASCII literal characters are an error in CPython; escapes were appended raw
            }
            add(.bytes(out), col, startLine)
        } else {
            let text = String(decoding: out, as: UTF8.self)
            add(.str(text, f ? .fstring : surrogates.isEmpty ? .plain : .wide(codePoints(text))), col, startLine)
        }
    }

    /// The text's code points, the U+FFFD at each byte offset in `surrogates` replaced by that surrogate.
    func codePoints(_ text: String) -> [UInt32] {
        var r: [UInt32] = []
        var off = 0
        var next = 0
        for u in text.unicodeScalars {
            if next < surrogates.count && surrogates[next].0 == off { r.append(surrogates[next].1); next += 1 }
            else { r.append(u.value) }
            off += UTF8.width(u)
        }
        return r
    }

    mutating func appendCode(_ out: inout [UInt8], _ v: Int, _ bytes: Bool) {
        if bytes { out.append(UInt8(truncatingIfNeeded: v)); return }
        if v >= 0xD800 && v < 0xE000 {
            // a lone surrogate: U+FFFD in the text, its offset noted (`codePoints`)
            surrogates.append((out.count, UInt32(v)))
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            return
        }
        if let s = UnicodeScalar(UInt32(truncatingIfNeeded: v)) { out.append(contentsOf: Array(String(Character(s)).utf8)) }
    }

    static let ops3: Set<String> = ["**=", "//=", ">>=", "<<=", "..."]
    static let ops2: Set<String> = ["**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "%=",
                                    "&=", "|=", "^=", "->", ":=", "@="]
    static let ops1: Set<UInt8> = Set("+-*/%<>=!&|^~()[]{},:;.@".utf8)

    mutating func op(_ col: Int) throws(SyntaxError) {
        func sub(_ n: Int) -> String? {
            guard pos + n <= src.count else { return nil }
            return String(decoding: src[pos..<pos+n], as: UTF8.self)
        }
        if let s = sub(3), Lexer.ops3.contains(s) { add(.op(s), col); pos += 3; return }
        if let s = sub(2), Lexer.ops2.contains(s) { add(.op(s), col); pos += 2; return }
        let c = src[pos]
        if Lexer.ops1.contains(c) && c != UInt8(ascii: "!") {
            if c == 40 || c == 91 || c == 123 { parenDepth += 1; openBrackets.append((c, line, col)) }
            if c == 41 || c == 93 || c == 125 {
                if parenDepth == 0 { throw err("unmatched '\(Character(UnicodeScalar(c)))'") }
                let open = openBrackets.removeLast().0
                if (open == 40 && c != 41) || (open == 91 && c != 93) || (open == 123 && c != 125) {
                    throw err("closing parenthesis '\(Character(UnicodeScalar(c)))' does not match opening parenthesis '\(Character(UnicodeScalar(open)))'")
                }
                parenDepth -= 1
            }
            add(.op(String(UnicodeScalar(c))), col); pos += 1; return
        }
        throw err("invalid character '\(Character(UnicodeScalar(c)))' (U+\(String(c, radix: 16, uppercase: true)))")
    }
}

extension String {
    func trimmingTrailing() -> String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\r" || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
    func replacingAll(_ a: String, _ b: String) -> String {
        if !self.contains(a) { return self }
        return self.split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
