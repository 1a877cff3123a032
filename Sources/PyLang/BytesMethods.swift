// The methods of bytes and bytearray. Mirrors CPython's `Objects/bytesobject.c` and `bytearrayobject.c`.
import Foundation

extension Interpreter {
    // MARK: bytes

    func bytesArg(_ v: Value) throws -> [UInt8] {
        if case .obj(let b as PyBytes) = v { return b.b }
        if case .obj(let b as PyByteArray) = v { return b.b }
        if let p = memoryViewPayload(v) {
            if p.released { throw err("ValueError", "operation forbidden on released memoryview object") }
            return p.bytes()
        }
        if let (a, tc) = arrayExporter(v) {
            // an array.array is a buffer too: its items' bytes
            let source = BufferSource.array(a, typecode: tc)
            return source.read(0, source.count)
        }
        throw typeError("a bytes-like object is required, not '\(typeName(v))'")
    }

    /// bytearray.append and bytearray.extend, with CPython's errors. Mirrors `bytearray_append`/`bytearray_extend`.
    func bytearrayGrow(_ m: PyByteArray, _ name: String, _ a: [Value]) throws -> Value {
        guard a.count == 1 else { throw typeError("bytearray.\(name)() takes exactly one argument (\(a.count) given)") }
        try checkResizable(m)
        if name == "append" {
            let n = try intArg(a[0])
            guard (0...255).contains(n) else { throw err("ValueError", "byte must be in range(0, 256)") }
            m.b.append(UInt8(n))
            return .none
        }
        if isIntLike(a[0]) { throw typeError("can't extend bytearray with \(typeName(a[0]))") }
        let more: [UInt8]
        if let x = try? bytesArg(a[0]) { more = x } else { more = try byteValues(a[0], "byte must be in range(0, 256)") }
        m.b += more
        return .none
    }

    /// CPython's BufferError for a bytearray a live memoryview exports.
    func checkResizable(_ b: PyByteArray) throws {
        if b.exports > 0 { throw err("BufferError", "Existing exports of data: object cannot be re-sized") }
    }

    func bytesMethod(_ b: [UInt8], _ name: String, _ a: [Value], _ kw: [(String, Value)], mutable: PyByteArray?) throws -> Value {
        let wrap: ([UInt8]) -> Value = { mutable != nil ? .obj(PyByteArray($0)) : .obj(PyBytes($0)) }
        switch name {
        case "decode":
            let encoding = try codecName(a.first ?? kw.first { $0.0 == "encoding" }?.1, "decode")
            let errors = try (a.count > 1 ? a[1] : kw.first { $0.0 == "errors" }?.1).map { try strArg($0, "decode") } ?? "strict"
            switch encoding {
            case "latin-1":
                return .str(String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) })))
            case "ascii":
                if let bad = b.firstIndex(where: { $0 >= 0x80 }), errors == "strict" {
                    throw err("UnicodeDecodeError", "'ascii' codec can't decode byte 0x\(hex2(Int(b[bad]))) in position \(bad): ordinal not in range(128)")
                }
                let kept = errors == "ignore" ? b.filter { $0 < 0x80 } : b
                return .str(String(String.UnicodeScalarView(kept.map { $0 < 0x80 ? Unicode.Scalar($0) : "\u{FFFD}" })))
            default:
                if let s = String(validating: b, as: UTF8.self) { return .str(s) }
                if errors == "replace" { return .str(String(decoding: b, as: UTF8.self)) }
                if errors == "ignore" {
                    return .str(String(decoding: b, as: UTF8.self).filter { $0 != "\u{FFFD}" })
                }
                throw err("UnicodeDecodeError", "'utf-8' codec " + utf8Problem(b))
            }
        case "hex":
            // hex(sep, bytes_per_sep): a separator every n bytes, counted from the right (from the left if n < 0)
            guard let sepv = a.first ?? kw.first(where: { $0.0 == "sep" })?.1 else { return .str(b.map { hex2(Int($0)) }.joined()) }
            let sep: String
            switch sepv {
            case .str(let x): sep = x.s
            case .obj(let x as PyBytes): sep = String(decoding: x.b, as: UTF8.self)
            case .int, .bigBox, .bool: throw typeError("object of type '\(typeName(sepv))' has no len()")
            default: throw typeError("sep must be str or bytes.")
            }
            if sep.unicodeScalars.count != 1 { throw err("ValueError", "sep must be length 1.") }
            if !sep.unicodeScalars.first!.isASCII { throw err("ValueError", "sep must be ASCII.") }
            let per = try (a.count > 1 ? a[1] : kw.first(where: { $0.0 == "bytes_per_sep" })?.1).map { try intArg($0) } ?? 1
            let n = per == Int.min ? Int.max : abs(per)
            if n == 0 || b.isEmpty { return .str(b.map { hex2(Int($0)) }.joined()) }
            var out = ""
            for (k, byte) in b.enumerated() {
                let boundary = per > 0 ? (b.count - k) % n == 0 : k % n == 0
                if k > 0 && boundary { out += sep }
                out += hex2(Int(byte))
            }
            return .str(out)
        case "startswith": return .bool(b.starts(with: try bytesArg(a[0])))
        case "endswith": let p = try bytesArg(a[0]); return .bool(b.count >= p.count && Array(b.suffix(p.count)) == p)
        case "upper": return wrap(b.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
        case "lower": return wrap(b.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
        case "strip", "lstrip", "rstrip":
            var s = b[...]
            let ws: Set<UInt8> = a.isEmpty ? [32, 9, 10, 13, 11, 12] : Set(try bytesArg(a[0]))
            if name != "rstrip" { while let f = s.first, ws.contains(f) { s.removeFirst() } }
            if name != "lstrip" { while let l = s.last, ws.contains(l) { s.removeLast() } }
            return wrap(Array(s))
        case "split":
            if a.isEmpty || a[0].isNone {
                return .list(PyList(b.split(whereSeparator: { [32, 9, 10, 13].contains($0) }).map { wrap(Array($0)) }))
            }
            let sep = try bytesArg(a[0])
            var out: [Value] = []
            var start = 0
            var i = 0
            while i + sep.count <= b.count {
                if Array(b[i..<(i + sep.count)]) == sep { out.append(wrap(Array(b[start..<i]))); i += sep.count; start = i } else { i += 1 }
            }
            out.append(wrap(Array(b[start...])))
            return .list(PyList(out))
        case "join":
            var out: [UInt8] = []
            var first = true
            try iterate(a[0]) { x in if !first { out += b }; out += try bytesArg(x); first = false; return true }
            return wrap(out)
        case "replace":
            let old = try bytesArg(a[0]), new = try bytesArg(a[1])
            var out: [UInt8] = []
            var i = 0
            while i < b.count {
                if !old.isEmpty && i + old.count <= b.count && Array(b[i..<(i + old.count)]) == old { out += new; i += old.count }
                else { out.append(b[i]); i += 1 }
            }
            return wrap(out)
        case "find", "index":
            let r: Int
            if case .int(let n) = a[0] { r = b.firstIndex(of: UInt8(truncatingIfNeeded: n)) ?? -1 } else { r = bytesFind(b, try bytesArg(a[0]), 0) }
            if r < 0 && name == "index" { throw err("ValueError", "subsection not found") }
            return .int(r)
        case "count":
            let sub = try bytesArg(a[0])
            var n = 0, i = 0
            while true { let r = bytesFind(b, sub, i); if r < 0 || sub.isEmpty { break }; n += 1; i = r + sub.count }
            return .int(n)
        case "isdigit": return .bool(!b.isEmpty && b.allSatisfy { $0 >= 48 && $0 <= 57 })
        case "isalpha": return .bool(!b.isEmpty && b.allSatisfy { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 })
        default: break
        }
        throw err("AttributeError", "'\(mutable == nil ? "bytes" : "bytearray")' object has no attribute '\(name)'")
    }
}
