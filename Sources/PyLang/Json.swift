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
            // an instance of a subclass of list, tuple, dict, str, int or float (time.struct_time, re.RegexFlag) is
            // encoded as its builtin value, as CPython's encoder takes subclasses
            if case .obj(let o as PyInstance) = v, let b = o.payload as? BuiltinBase {
                switch b.value {
                case .list, .tuple, .dict, .str, .int, .bigBox, .float, .bool:
                    return try jsonDump(b.value, indent: indent, level: level, sortKeys: sortKeys, itemSep: itemSep, keySep: keySep, ascii: ascii, defaultFn: defaultFn)
                default: break
                }
            }
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

    struct JSONParser {
        let c: [Unicode.Scalar]
        var p = 0
        let interp: Interpreter
        var depth = 0

        func lineCol(_ pos: Int) -> (Int, Int) {
            var line = 1, col = 1
            for i in 0..<min(pos, c.count) { if c[i] == "\n" { line += 1; col = 1 } else { col += 1 } }
            return (line, col)
        }
        func fail(_ msg: String, _ pos: Int? = nil) -> PyException {
            let at = pos ?? p
            let (l, co) = lineCol(at)
            return interp.err("json.decoder.JSONDecodeError", "\(msg): line \(l) column \(co) (char \(at))")
        }
        mutating func ws() { while p < c.count, c[p] == " " || c[p] == "\t" || c[p] == "\n" || c[p] == "\r" { p += 1 } }

        mutating func value() throws -> Value {
            depth += 1
            defer { depth -= 1 }
            if depth > 500 { throw interp.err("RecursionError", "maximum recursion depth exceeded while decoding a JSON document") }
            ws()
            guard p < c.count else { throw fail("Expecting value") }
            switch c[p] {
            case "{":
                p += 1
                let d = PyDict()
                ws()
                if p < c.count, c[p] == "}" { p += 1; return .dict(d) }
                while true {
                    ws()
                    guard p < c.count, c[p] == "\"" else { throw fail("Expecting property name enclosed in double quotes") }
                    let k = try string()
                    ws()
                    guard p < c.count, c[p] == ":" else { throw fail("Expecting ':' delimiter") }
                    p += 1
                    d.set(.str(k), try value())
                    ws()
                    guard p < c.count else { throw fail("Expecting ',' delimiter") }
                    if c[p] == "," { p += 1; continue }
                    if c[p] == "}" { p += 1; return .dict(d) }
                    throw fail("Expecting ',' delimiter")
                }
            case "[":
                p += 1
                var items: [Value] = []
                ws()
                if p < c.count, c[p] == "]" { p += 1; return .list(PyList(items)) }
                while true {
                    items.append(try value())
                    ws()
                    guard p < c.count else { throw fail("Expecting ',' delimiter") }
                    if c[p] == "," { p += 1; continue }
                    if c[p] == "]" { p += 1; return .list(PyList(items)) }
                    throw fail("Expecting ',' delimiter")
                }
            case "\"": return .str(try string())
            default:
                for (word, v) in [("true", Value.bool(true)), ("false", .bool(false)), ("null", .none), ("NaN", .float(.nan)),
                                  ("Infinity", .float(.infinity)), ("-Infinity", .float(-.infinity))] where matches(word) {
                    p += word.unicodeScalars.count
                    return v
                }
                return try number()
            }
        }

        func matches(_ w: String) -> Bool {
            let u = Array(w.unicodeScalars)
            return p + u.count <= c.count && Array(c[p..<(p + u.count)]) == u
        }

        mutating func number() throws -> Value {
            let start = p
            if p < c.count, c[p] == "-" { p += 1 }
            var isFloat = false
            while p < c.count, ("0"..."9").contains(c[p]) { p += 1 }
            if p < c.count, c[p] == "." { isFloat = true; p += 1; while p < c.count, ("0"..."9").contains(c[p]) { p += 1 } }
            if p < c.count, c[p] == "e" || c[p] == "E" {
                isFloat = true; p += 1
                if p < c.count, c[p] == "+" || c[p] == "-" { p += 1 }
                while p < c.count, ("0"..."9").contains(c[p]) { p += 1 }
            }
            var s = String.UnicodeScalarView(); s.append(contentsOf: c[start..<p])
            let text = String(s)
            if text.isEmpty || text == "-" { p = start; throw fail("Expecting value") }
            if isFloat { guard let d = Double(text) else { throw fail("Expecting value", start) }; return .float(d) }
            return try interp.parseInt(text, 10)
        }

        mutating func string() throws -> String {
            let start = p
            p += 1
            var out = String.UnicodeScalarView()
            while true {
                guard p < c.count else { throw fail("Unterminated string starting at", start) }
                let ch = c[p]
                if ch == "\"" { p += 1; return String(out) }
                if ch == "\\" {
                    p += 1
                    guard p < c.count else { throw fail("Unterminated string starting at", start) }
                    let e = c[p]; p += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0c}")
                    case "/", "\\", "\"": out.append(e)
                    case "u":
                        guard p + 4 <= c.count, let v = UInt32(String(String.UnicodeScalarView(c[p..<(p + 4)])), radix: 16) else {
                            throw fail("Invalid \\uXXXX escape", p - 1)
                        }
                        p += 4
                        var code = v
                        if v >= 0xd800 && v < 0xdc00, p + 6 <= c.count, c[p] == "\\", c[p + 1] == "u",
                           let lo = UInt32(String(String.UnicodeScalarView(c[(p + 2)..<(p + 6)])), radix: 16), lo >= 0xdc00 && lo < 0xe000 {
                            code = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00)
                            p += 6
                        }
                        out.append(Unicode.Scalar(code) ?? "\u{fffd}")
                    default: throw fail("Invalid \\escape", p - 2)
                    }
                    continue
                }
                if ch.value < 0x20 { throw fail("Invalid control character at", p) }
                out.append(ch); p += 1
            }
        }
    }

    func jsonLoads(_ s: String) throws -> Value {
        var parser = JSONParser(c: Array(s.unicodeScalars), interp: self)
        let v = try parser.value()
        parser.ws()
        if parser.p != parser.c.count { throw parser.fail("Extra data") }
        return v
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
