// The `json` module: dumps/loads (and dump/load on files) with indent, sort_keys and separators.
// Mirrors CPython's `Lib/json/encoder.py` and `Lib/json/decoder.py` output and error messages for everyday data.
import Foundation

extension Interpreter {
    func jsonString(_ s: String, ascii: Bool) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0c}": out += "\\f"
            default:
                if u.value < 0x20 || (ascii && u.value > 0x7e) {
                    if u.value > 0xffff {
                        let v = u.value - 0x10000
                        out += String(format: "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff))
                    } else { out += String(format: "\\u%04x", u.value) }
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    func jsonDump(_ v: Value, indent: String?, level: Int, sortKeys: Bool, itemSep: String, keySep: String, ascii: Bool, defaultFn: Value?) throws -> String {
        if level > 500 { throw err("RecursionError", "maximum recursion depth exceeded while encoding a JSON object") }
        let nl = indent.map { "\n" + String(repeating: $0, count: level + 1) } ?? ""
        let close = indent.map { "\n" + String(repeating: $0, count: level) } ?? ""
        let sep = indent != nil ? itemSep.trimmingTrailing() : itemSep
        switch v {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int, .bigBox: return try repr(v)
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return floatRepr(d)
        case .str(let s): return jsonString(s.s, ascii: ascii)
        case .list, .tuple:
            let items = try toArray(v)
            if items.isEmpty { return "[]" }
            return "[" + nl + (try items.map { try jsonDump($0, indent: indent, level: level + 1, sortKeys: sortKeys, itemSep: itemSep, keySep: keySep, ascii: ascii, defaultFn: defaultFn) }).joined(separator: sep + nl) + close + "]"
        case .dict(let d):
            if d.count == 0 { return "{}" }
            var pairs: [(String, Value)] = []
            for (k, x) in d.items {
                let ks: String
                switch k {
                case .str(let s): ks = s.s
                case .int, .bigBox: ks = try repr(k)
                case .float(let f): ks = floatRepr(f)
                case .bool(let b): ks = b ? "true" : "false"
                case .none: ks = "null"
                default: throw typeError("keys must be str, int, float, bool or None, not \(typeName(k))")
                }
                pairs.append((ks, x))
            }
            if sortKeys { pairs.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } }
            return "{" + nl + (try pairs.map { jsonString($0.0, ascii: ascii) + keySep + (try jsonDump($0.1, indent: indent, level: level + 1, sortKeys: sortKeys, itemSep: itemSep, keySep: keySep, ascii: ascii, defaultFn: defaultFn)) }).joined(separator: sep + nl) + close + "}"
        default:
            if let f = defaultFn, !f.isNone {
                return try jsonDump(try call(f, [v], []), indent: indent, level: level + 1, sortKeys: sortKeys, itemSep: itemSep, keySep: keySep, ascii: ascii, defaultFn: defaultFn)
            }
            throw typeError("Object of type \(typeName(v)) is not JSON serializable")
        }
    }

    func dumpsArgs(_ v: Value, _ kw: [(String, Value)]) throws -> String {
        var indent: String? = nil
        if let i = kw.first(where: { $0.0 == "indent" })?.1 {
            if case .int(let n) = i { indent = String(repeating: " ", count: n) } else if case .str(let s) = i { indent = s.s }
        }
        let sortKeys = try kw.first { $0.0 == "sort_keys" }.map { try truthy($0.1) } ?? false
        let ascii = try kw.first { $0.0 == "ensure_ascii" }.map { try truthy($0.1) } ?? true
        var itemSep = ", ", keySep = ": "
        if case .tuple(let t)? = kw.first(where: { $0.0 == "separators" })?.1, t.items.count == 2,
           case .str(let a) = t.items[0], case .str(let b) = t.items[1] { itemSep = a.s; keySep = b.s }
        return try jsonDump(v, indent: indent, level: 0, sortKeys: sortKeys, itemSep: itemSep, keySep: keySep, ascii: ascii,
                            defaultFn: kw.first { $0.0 == "default" }?.1)
    }

    /// The decoder, over the document's UTF-8 bytes: a string without escapes becomes a str in one copy of its
    /// bytes, and repeated object keys share one str (as CPython's key memo). Positions are byte offsets inside;
    /// errors report CPython's character offsets, line and column.
    struct JSONParser {
        let c: UnsafeBufferPointer<UInt8>
        var p = 0
        let interp: Interpreter
        var depth = 0
        static let keySlots = 64
        var keys = [PyStr?](repeating: nil, count: JSONParser.keySlots)

        func lineCol(_ pos: Int) -> (line: Int, col: Int, char: Int) {
            var line = 1, col = 1, char = 0
            for i in 0..<min(pos, c.count) where c[i] & 0xC0 != 0x80 {
                char += 1
                if c[i] == 10 { line += 1; col = 1 } else { col += 1 }
            }
            return (line, col, char)
        }
        func fail(_ msg: String, _ pos: Int? = nil) -> PyException {
            let (l, co, ch) = lineCol(pos ?? p)
            return interp.err("json.decoder.JSONDecodeError", "\(msg): line \(l) column \(co) (char \(ch))")
        }
        @inline(__always)
        mutating func ws() { while p < c.count, c[p] == 32 || c[p] == 9 || c[p] == 10 || c[p] == 13 { p += 1 } }

        mutating func value() throws -> Value {
            depth += 1
            defer { depth -= 1 }
            if depth > 500 { throw interp.err("RecursionError", "maximum recursion depth exceeded while decoding a JSON document") }
            ws()
            guard p < c.count else { throw fail("Expecting value") }
            switch c[p] {
            case UInt8(ascii: "{"):
                p += 1
                let d = PyDict()
                ws()
                if p < c.count, c[p] == UInt8(ascii: "}") { p += 1; return .dict(d) }
                while true {
                    ws()
                    guard p < c.count, c[p] == UInt8(ascii: "\"") else {
                        throw fail("Expecting property name enclosed in double quotes")
                    }
                    let k = try key()
                    ws()
                    guard p < c.count, c[p] == UInt8(ascii: ":") else { throw fail("Expecting ':' delimiter") }
                    p += 1
                    d.set(.str(k), try value())
                    ws()
                    guard p < c.count else { throw fail("Expecting ',' delimiter") }
                    if c[p] == UInt8(ascii: ",") { p += 1; continue }
                    if c[p] == UInt8(ascii: "}") { p += 1; return .dict(d) }
                    throw fail("Expecting ',' delimiter")
                }
            case UInt8(ascii: "["):
                p += 1
                var items: [Value] = []
                ws()
                if p < c.count, c[p] == UInt8(ascii: "]") { p += 1; return .list(PyList(items)) }
                while true {
                    items.append(try value())
                    ws()
                    guard p < c.count else { throw fail("Expecting ',' delimiter") }
                    if c[p] == UInt8(ascii: ",") { p += 1; continue }
                    if c[p] == UInt8(ascii: "]") { p += 1; return .list(PyList(items)) }
                    throw fail("Expecting ',' delimiter")
                }
            case UInt8(ascii: "\""): return .str(try string())
            case UInt8(ascii: "t") where matches("true"): p += 4; return .bool(true)
            case UInt8(ascii: "f") where matches("false"): p += 5; return .bool(false)
            case UInt8(ascii: "n") where matches("null"): p += 4; return .none
            case UInt8(ascii: "N") where matches("NaN"): p += 3; return .float(.nan)
            case UInt8(ascii: "I") where matches("Infinity"): p += 8; return .float(.infinity)
            case UInt8(ascii: "-") where matches("-Infinity"): p += 9; return .float(-.infinity)
            default: return try number()
            }
        }

        func matches(_ w: StaticString) -> Bool {
            let n = w.utf8CodeUnitCount
            guard p + n <= c.count else { return false }
            for i in 0..<n where c[p + i] != w.utf8Start[i] { return false }
            return true
        }

        @inline(__always)
        func isDigit(_ i: Int) -> Bool { i < c.count && c[i] &- 48 < 10 }

        /// A number as CPython's scanner reads it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`; a fraction
        /// or exponent without digits is not taken (what follows is then "Extra data" or a delimiter error).
        mutating func number() throws -> Value {
            let start = p
            let negative = p < c.count && c[p] == UInt8(ascii: "-")
            if negative { p += 1 }
            guard isDigit(p) else { p = start; throw fail("Expecting value") }
            if c[p] == UInt8(ascii: "0") { p += 1 } else { while isDigit(p) { p += 1 } }
            let intEnd = p
            var isFloat = false
            if p + 1 < c.count, c[p] == UInt8(ascii: "."), isDigit(p + 1) {
                isFloat = true; p += 2
                while isDigit(p) { p += 1 }
            }
            if p < c.count, c[p] == UInt8(ascii: "e") || c[p] == UInt8(ascii: "E") {
                var q = p + 1
                if q < c.count, c[q] == UInt8(ascii: "+") || c[q] == UInt8(ascii: "-") { q += 1 }
                if isDigit(q) {
                    isFloat = true; p = q
                    while isDigit(p) { p += 1 }
                }
            }
            let digits = intEnd - start - (negative ? 1 : 0)
            if !isFloat && digits <= 18 {
                var v = 0
                for i in (intEnd - digits)..<intEnd { v = v &* 10 &+ Int(c[i] &- 48) }
                return .int(negative ? -v : v)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: c[start..<p]), as: UTF8.self)
            if isFloat { guard let d = Double(text) else { throw fail("Expecting value", start) }; return .float(d) }
            return try interp.parseInt(text, 10)
        }

        /// An object key: a plain key met before is the same str, found by its bytes in a small table (no String
        /// is made and no hash is computed for a repeated key).
        mutating func key() throws -> PyStr {
            let start = p + 1
            var q = start
            var h: UInt = 14_695_981_039_346_656_037
            while q < c.count, c[q] != UInt8(ascii: "\""), c[q] != UInt8(ascii: "\\"), c[q] >= 0x20 {
                h = (h ^ UInt(c[q])) &* 1_099_511_628_211
                q += 1
            }
            guard q < c.count, c[q] == UInt8(ascii: "\"") else { return try string() }
            let bytes = UnsafeBufferPointer(rebasing: c[start..<q])
            p = q + 1
            let slot = Int(h & UInt(JSONParser.keySlots - 1))
            if let k = keys[slot], k.withBytes({
                $0.count == bytes.count
                    && (bytes.isEmpty || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }) {
                return k
            }
            let k = PyStr(String(decoding: bytes, as: UTF8.self), count: PyStr.codePointCount(bytes))
            keys[slot] = k
            return k
        }

        mutating func string() throws -> PyStr {
            let start = p
            p += 1
            var out: [UInt8] = []
            var run = p
            while true {
                guard p < c.count else { throw fail("Unterminated string starting at", start) }
                let ch = c[p]
                if ch == UInt8(ascii: "\"") {
                    let tail = UnsafeBufferPointer(rebasing: c[run..<p])
                    p += 1
                    if out.isEmpty {
                        return PyStr(String(decoding: tail, as: UTF8.self), count: PyStr.codePointCount(tail))
                    }
                    out.append(contentsOf: tail)
                    return out.withUnsafeBufferPointer {
                        PyStr(String(decoding: $0, as: UTF8.self), count: PyStr.codePointCount($0))
                    }
                }
                if ch == UInt8(ascii: "\\") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: c[run..<p]))
                    p += 1
                    guard p < c.count else { throw fail("Unterminated string starting at", start) }
                    let e = c[p]; p += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                    case UInt8(ascii: "u"):
                        guard let v = hex4(p) else { throw fail("Invalid \\uXXXX escape", p - 1) }
                        p += 4
                        var code = v
                        if v >= 0xd800 && v < 0xdc00, p + 6 <= c.count, c[p] == UInt8(ascii: "\\"),
                           c[p + 1] == UInt8(ascii: "u"), let lo = hex4(p + 2), lo >= 0xdc00 && lo < 0xe000 {
                            code = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00)
                            p += 6
                        }
                        out.append(contentsOf: String(Character(Unicode.Scalar(code) ?? "\u{fffd}")).utf8)
                    default: throw fail("Invalid \\escape", p - 2)
                    }
                    run = p
                    continue
                }
                if ch < 0x20 { throw fail("Invalid control character at", p) }
                p += 1
            }
        }

        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= c.count else { return nil }
            var v: UInt32 = 0
            for i in at..<(at + 4) {
                let h = c[i]
                let d: UInt8
                switch h {
                case 48...57: d = h - 48
                case 97...102: d = h - 87
                case 65...70: d = h - 55
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
    }

    func jsonLoads(_ s: String) throws -> Value {
        var text = s
        return try text.withUTF8 { buf in
            var parser = JSONParser(c: buf, interp: self)
            let v = try parser.value()
            parser.ws()
            if parser.p != buf.count { throw parser.fail("Extra data") }
            return v
        }
    }

    func makeJSON() -> PyModule {
        let m = PyModule(name: "json")
        let decodeErr = PyClass(name: "JSONDecodeError", bases: [excClass("ValueError")], dict: [:])
        decodeErr.module = "json.decoder"
        excClasses["json.decoder.JSONDecodeError"] = decodeErr
        m.set("JSONDecodeError", .obj(decodeErr))
        m.fn("dumps") { i, a, kw in
            try i.need(a, 1, "dumps")
            return .str(try i.dumpsArgs(a[0], kw))
        }
        m.fn("dump") { i, a, kw in
            try i.need(a, 2, "dump")
            _ = try i.callMethod(a[1], "write", [.str(try i.dumpsArgs(a[0], kw))], [])
            return .none
        }
        m.fn("loads") { i, a, _ in
            try i.need(a, 1, "loads")
            if case .obj(let b as PyBytes) = a[0] { return try i.jsonLoads(String(decoding: b.b, as: UTF8.self)) }
            return try i.jsonLoads(try i.strArg(a[0], "loads"))
        }
        m.fn("load") { i, a, _ in
            try i.need(a, 1, "load")
            return try i.jsonLoads(try i.str(try i.callMethod(a[0], "read", [], [])))
        }
        return m
    }
}
