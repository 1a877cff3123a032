// The tokenizer under mpsh's `bs4` subset: HTML text to a flat list of events, the callbacks CPython's
// `html.parser.HTMLParser` (convert_charrefs=True) makes and BeautifulSoup's tree builder consumes: start tags
// (lower-cased names, attributes unescaped, in order), end tags, text (character references unescaped),
// comments, declarations and processing instructions. The contents of <script> and <style> are raw text.
// Mirrors CPython's `Lib/html/parser.py`, leniently: what html.parser would pass through as text stays text.

enum HTMLEvent {
    case start(String, [(String, String?)], selfClosing: Bool)
    case end(String)
    case text(String)
    case comment(String)
    case declaration(String)
    case instruction(String)
}

enum HTMLTokenizer {
    static func tokenize(_ html: String) -> [HTMLEvent] {
        let s = Array(html.unicodeScalars)
        var events: [HTMLEvent] = []
        var text = ""
        var i = 0
        func flushText() {
            if !text.isEmpty { events.append(.text(unescape(text))); text = "" }
        }
        func startsWith(_ p: String, at k: Int, caseInsensitive: Bool = false) -> Bool {
            var k = k
            for c in p.unicodeScalars {
                guard k < s.count else { return false }
                let x = s[k]
                if caseInsensitive ? lower(x) != lower(c) : x != c { return false }
                k += 1
            }
            return true
        }
        func find(_ p: String, from k: Int, caseInsensitive: Bool = false) -> Int? {
            var k = k
            while k < s.count {
                if startsWith(p, at: k, caseInsensitive: caseInsensitive) { return k }
                k += 1
            }
            return nil
        }
        func string(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }

        while i < s.count {
            let c = s[i]
            guard c == "<", i + 1 < s.count else { text.unicodeScalars.append(c); i += 1; continue }
            let n = s[i + 1]
            if startsWith("<!--", at: i) {
                flushText()
                let end = find("-->", from: i + 4)
                events.append(.comment(string(i + 4, end ?? s.count)))
                i = (end ?? s.count) + 3
            } else if n == "!" {
                flushText()
                let end = find(">", from: i + 2) ?? s.count
                events.append(.declaration(string(i + 2, end)))
                i = end + 1
            } else if n == "?" {
                flushText()
                let end = find(">", from: i + 2) ?? s.count
                events.append(.instruction(string(i + 2, end)))
                i = end + 1
            } else if n == "/" {
                guard i + 2 < s.count, isNameStart(s[i + 2]) else {
                    // "</>" is dropped by html.parser; "</ x" is a bogus comment; keep the text otherwise
                    if i + 2 < s.count, s[i + 2] == ">" { i += 3 } else { text.unicodeScalars.append(c); i += 1 }
                    continue
                }
                flushText()
                var k = i + 2
                while k < s.count, !isSpace(s[k]), s[k] != ">", s[k] != "/" { k += 1 }
                let name = string(i + 2, k).lowercased()
                let end = find(">", from: k) ?? s.count
                events.append(.end(name))
                i = end + 1
            } else if isNameStart(n) {
                flushText()
                var k = i + 1
                while k < s.count, !isSpace(s[k]), s[k] != ">", s[k] != "/" { k += 1 }
                let name = string(i + 1, k).lowercased()
                var attributes: [(String, String?)] = []
                var selfClosing = false
                while k < s.count {
                    while k < s.count, isSpace(s[k]) { k += 1 }
                    guard k < s.count else { break }
                    if s[k] == ">" { k += 1; break }
                    if s[k] == "/" {
                        if k + 1 < s.count, s[k + 1] == ">" { selfClosing = true; k += 2; break }
                        k += 1; continue
                    }
                    let a = k
                    while k < s.count, !isSpace(s[k]), s[k] != ">", s[k] != "=", !(s[k] == "/" && k + 1 < s.count && s[k + 1] == ">") { k += 1 }
                    if k == a { k += 1; continue }
                    let attribute = string(a, k).lowercased()
                    var v = k
                    while v < s.count, isSpace(s[v]) { v += 1 }
                    guard v < s.count, s[v] == "=" else { attributes.append((attribute, nil)); continue }
                    v += 1
                    while v < s.count, isSpace(s[v]) { v += 1 }
                    var value = ""
                    if v < s.count, s[v] == "\"" || s[v] == "'" {
                        let q = s[v]
                        var e = v + 1
                        while e < s.count, s[e] != q { e += 1 }
                        value = string(v + 1, e)
                        k = min(e + 1, s.count)
                    } else {
                        var e = v
                        while e < s.count, !isSpace(s[e]), s[e] != ">" { e += 1 }
                        value = string(v, e)
                        k = e
                    }
                    attributes.append((attribute, unescape(value)))
                }
                events.append(.start(name, attributes, selfClosing: selfClosing))
                i = k
                if (name == "script" || name == "style") && !selfClosing {
                    let end = find("</" + name, from: i, caseInsensitive: true) ?? s.count
                    if end > i { events.append(.text(string(i, end))) }
                    i = end
                }
            } else {
                text.unicodeScalars.append(c)
                i += 1
            }
        }
        flushText()
        return events
    }

    static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (c >= "A" && c <= "Z") ? Unicode.Scalar(c.value + 32)! : c
    }
    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
    static func isNameStart(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }

    /// The named references pages use most; html.unescape knows all 2231, which a page seldom needs.
    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
        "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“",
        "rdquo": "”", "laquo": "«", "raquo": "»", "middot": "·", "bull": "•", "euro": "€", "pound": "£",
        "yen": "¥", "cent": "¢", "sect": "§", "deg": "°", "plusmn": "±", "times": "×", "divide": "÷",
        "para": "¶", "eacute": "é", "egrave": "è", "agrave": "à", "aacute": "á", "ccedil": "ç", "uuml": "ü",
        "ouml": "ö", "auml": "ä", "szlig": "ß", "iexcl": "¡", "iquest": "¿", "shy": "\u{AD}",
    ]
    /// Names html.unescape also accepts without the semicolon.
    static let bareEntities: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]

    /// `html.unescape`: character references to characters.
    static func unescape(_ t: String) -> String {
        guard t.contains("&") else { return t }
        let s = Array(t.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "&" else { out.append(s[i]); i += 1; continue }
            var k = i + 1
            if k < s.count, s[k] == "#" {
                k += 1
                var hex = false
                if k < s.count, s[k] == "x" || s[k] == "X" { hex = true; k += 1 }
                let a = k
                while k < s.count, hex ? s[k].properties.isASCIIHexDigit : (s[k] >= "0" && s[k] <= "9") { k += 1 }
                if k > a, let v = UInt32(String(String.UnicodeScalarView(s[a..<k])), radix: hex ? 16 : 10) {
                    let scalar = (v == 0 || v > 0x10FFFF || (0xD800...0xDFFF).contains(v)) ? "\u{FFFD}" : Unicode.Scalar(v)!
                    out.append(scalar)
                    if k < s.count, s[k] == ";" { k += 1 }
                    i = k
                    continue
                }
            } else {
                let a = k
                while k < s.count, (s[k] >= "a" && s[k] <= "z") || (s[k] >= "A" && s[k] <= "Z") || (s[k] >= "0" && s[k] <= "9") { k += 1 }
                let name = String(String.UnicodeScalarView(s[a..<k]))
                if let r = entities[name], (k < s.count && s[k] == ";") || bareEntities.contains(name) {
                    out.append(contentsOf: r.unicodeScalars)
                    i = (k < s.count && s[k] == ";") ? k + 1 : k
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return String(out)
    }
}
