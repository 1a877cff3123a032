// The `json` module: dumps/loads (and dump/load on files) with indent, sort_keys and separators.
// Mirrors CPython's `Lib/json/encoder.py` and `Lib/json/decoder.py` output and error messages for everyday data.
import Foundation

extension Interpreter {
    /// The encoder: one byte buffer the whole document is written into (no String per value), with CPython's
    /// `json.dumps` options.
    struct JSONEncoder {
        let interp: Interpreter
        let indent: [UInt8]?
        let sortKeys: Bool
        let itemSep: [UInt8]
        let keySep: [UInt8]
        let ascii: Bool
        let defaultFn: Value?
        var out: [UInt8] = []

        static let hex: [UInt8] = Array("0123456789abcdef".utf8)

        mutating func escaped(_ s: PyStr) {
            out.append(UInt8(ascii: "\""))
            s.withBytes { b in
                var run = 0, i = 0
                while i < b.count {
                    let c = b[i]
                    // as CPython: ensure_ascii escapes all but ' '...'~'; without it only controls, '"' and '\\'
                    if c >= 0x20 && c < 0x7f && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") { i += 1; continue }
                    if c >= 0x7f && !ascii { i += 1; continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                    switch c {
                    case UInt8(ascii: "\""): out.append(contentsOf: [92, 34]); i += 1
                    case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92]); i += 1
                    case 10: out.append(contentsOf: [92, UInt8(ascii: "n")]); i += 1
                    case 13: out.append(contentsOf: [92, UInt8(ascii: "r")]); i += 1
                    case 9: out.append(contentsOf: [92, UInt8(ascii: "t")]); i += 1
                    case 8: out.append(contentsOf: [92, UInt8(ascii: "b")]); i += 1
                    case 12: out.append(contentsOf: [92, UInt8(ascii: "f")]); i += 1
                    default:
                        let v: UInt32
                        if c < 0x80 { v = UInt32(c); i += 1 } else {
                            v = PyStr.decode(b, i)
                            i += PyStr.sequenceLength(c)
                        }
                        if v > 0xffff {
                            let w = v - 0x10000
                            unicodeEscape(0xd800 + (w >> 10))
                            unicodeEscape(0xdc00 + (w & 0x3ff))
                        } else {
                            unicodeEscape(v)
                        }
                    }
                    run = i
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<b.count]))
            }
            out.append(UInt8(ascii: "\""))
        }

        mutating func unicodeEscape(_ v: UInt32) {
            out.append(contentsOf: [92, UInt8(ascii: "u")])
            for shift in stride(from: 12, through: 0, by: -4) { out.append(JSONEncoder.hex[Int((v >> UInt32(shift)) & 15)]) }
        }

        mutating func newline(_ level: Int) {
            guard let indent else { return }
            out.append(10)
            for _ in 0..<level { out.append(contentsOf: indent) }
        }

        mutating func separator() { out.append(contentsOf: itemSep) }

        mutating func text(_ s: String) { out.append(contentsOf: s.utf8) }

        mutating func dump(_ v: Value, _ level: Int) throws {
            if level > 500 {
                throw interp.err("RecursionError", "maximum recursion depth exceeded while encoding a JSON object")
            }
            switch v {
            case .none: text("null")
            case .bool(let b): text(b ? "true" : "false")
            case .int(let i): text(String(i))
            case .bigBox: text(try interp.repr(v))
            case .float(let d):
                if d.isNaN { text("NaN") } else if d.isInfinite { text(d < 0 ? "-Infinity" : "Infinity") } else {
                    text(floatRepr(d))
                }
            case .str(let s): escaped(s)
            case .list(let l): try array(l.items, level)
            case .tuple(let t): try array(t.items, level)
            case .dict(let d):
                if d.count == 0 { text("{}"); return }
                var pairs: [(PyStr, Value)] = []
                pairs.reserveCapacity(d.count)
                for (k, x) in d.items {
                    let ks: PyStr
                    switch k {
                    case .str(let s): ks = s
                    case .int, .bigBox: ks = PyStr(try interp.repr(k))
                    case .float(let f): ks = PyStr(floatRepr(f))
                    case .bool(let b): ks = PyStr(b ? "true" : "false")
                    case .none: ks = PyStr("null")
                    default:
                        throw interp.typeError("keys must be str, int, float, bool or None, not \(interp.typeName(k))")
                    }
                    pairs.append((ks, x))
                }
                if sortKeys { pairs.sort { $0.0.s.unicodeScalars.lexicographicallyPrecedes($1.0.s.unicodeScalars) } }
                out.append(UInt8(ascii: "{"))
                for (j, (k, x)) in pairs.enumerated() {
                    if j > 0 { separator() }
                    newline(level + 1)
                    escaped(k)
                    out.append(contentsOf: keySep)
                    try dump(x, level + 1)
                }
                newline(level)
                out.append(UInt8(ascii: "}"))
            default:
                // an instance of a subclass of list, tuple, dict, str, int or float (time.struct_time,
                // re.RegexFlag) is encoded as its builtin value, as CPython's encoder takes subclasses
                if case .obj(let o as PyInstance) = v, let b = o.payload as? BuiltinBase {
                    switch b.value {
                    case .list, .tuple, .dict, .str, .int, .bigBox, .float, .bool:
                        try dump(b.value, level)
                        return
                    default: break
                    }
                }
                if let f = defaultFn, !f.isNone {
                    try dump(try interp.call(f, [v], []), level + 1)
                    return
                }
                throw interp.typeError("Object of type \(interp.typeName(v)) is not JSON serializable")
            }
        }

        mutating func array(_ items: [Value], _ level: Int) throws {
            if items.isEmpty { text("[]"); return }
            out.append(UInt8(ascii: "["))
            for (j, x) in items.enumerated() {
                if j > 0 { separator() }
                newline(level + 1)
                try dump(x, level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        }
    }

    func dumpsArgs(_ v: Value, _ kw: [(String, Value)]) throws -> String {
        var indent: String? = nil
        if let i = kw.first(where: { $0.0 == "indent" })?.1 {
            // as CPython's `' ' * indent`: a negative indent is no indentation (newlines only)
            if let n = asInt(i) { indent = String(repeating: " ", count: max(0, n)) } else if case .str(let s) = i { indent = s.s }
        }
        let sortKeys = try kw.first { $0.0 == "sort_keys" }.map { try truthy($0.1) } ?? false
        let ascii = try kw.first { $0.0 == "ensure_ascii" }.map { try truthy($0.1) } ?? true
        // CPython: with an indent and no separators, items are separated by "," (no space before the newline)
        var itemSep = indent != nil ? "," : ", ", keySep = ": "
        if case .tuple(let t)? = kw.first(where: { $0.0 == "separators" })?.1, t.items.count == 2,
           case .str(let a) = t.items[0], case .str(let b) = t.items[1] { itemSep = a.s; keySep = b.s }
        var encoder = JSONEncoder(interp: self, indent: indent.map { Array($0.utf8) }, sortKeys: sortKeys,
                                  itemSep: Array(itemSep.utf8), keySep: Array(keySep.utf8), ascii: ascii,
                                  defaultFn: kw.first { $0.0 == "default" }?.1)
        try encoder.dump(v, 0)
        return String(decoding: encoder.out, as: UTF8.self)
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
