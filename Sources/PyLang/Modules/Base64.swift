// `binascii` and `base64`, natively (CPython writes base64 in Python over its C binascii; here both are Swift so
// that megabyte payloads encode at C speed). Mirrors `Modules/binascii.c` and `Lib/base64.py`, messages included.
extension Interpreter {
    // MARK: shared

    /// `base64._bytes_from_decode_data`: ASCII str or a bytes-like object.
    func decodeData(_ v: Value) throws -> [UInt8] {
        if case .str(let s) = v {
            guard s.s.unicodeScalars.allSatisfy({ $0.isASCII }) else {
                throw err("ValueError", "string argument should contain only ASCII characters")
            }
            return Array(s.s.utf8)
        }
        guard let b = try? bytesArg(v) else {
            throw typeError("argument should be a bytes-like object or ASCII string, not '\(typeName(v))'")
        }
        return b
    }

    /// A bytes-like argument of an encoder, with CPython's message for anything else.
    func encodeData(_ v: Value) throws -> [UInt8] {
        guard let b = try? bytesArg(v) else { throw typeError("a bytes-like object is required, not '\(typeName(v))'") }
        return b
    }

    static let b64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let b64Table: [UInt8] = {
        var t = [UInt8](repeating: 255, count: 256)
        for (k, c) in b64Alphabet.enumerated() { t[Int(c)] = UInt8(k) }
        return t
    }()

    func b2aBase64(_ b: [UInt8], newline: Bool) -> [UInt8] {
        let a = Interpreter.b64Alphabet
        var out: [UInt8] = []
        out.reserveCapacity((b.count + 2) / 3 * 4 + 1)
        var k = 0
        while k + 3 <= b.count {
            let n = UInt32(b[k]) << 16 | UInt32(b[k + 1]) << 8 | UInt32(b[k + 2])
            out.append(a[Int(n >> 18)]); out.append(a[Int(n >> 12 & 63)]); out.append(a[Int(n >> 6 & 63)]); out.append(a[Int(n & 63)])
            k += 3
        }
        let left = b.count - k
        if left == 1 {
            let n = UInt32(b[k]) << 16
            out.append(a[Int(n >> 18)]); out.append(a[Int(n >> 12 & 63)]); out.append(61); out.append(61)
        } else if left == 2 {
            let n = UInt32(b[k]) << 16 | UInt32(b[k + 1]) << 8
            out.append(a[Int(n >> 18)]); out.append(a[Int(n >> 12 & 63)]); out.append(a[Int(n >> 6 & 63)]); out.append(61)
        }
        if newline { out.append(10) }
        return out
    }

    /// `binascii.a2b_base64`, strict mode or not, as CPython 3.11.
    func a2bBase64(_ s: [UInt8], strict: Bool) throws -> [UInt8] {
        let table = Interpreter.b64Table
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 4 * 3 + 3)
        var quad = 0, left: UInt8 = 0, pads = 0, paddingStarted = false
        func fail(_ m: String) -> PyException { err("binascii.Error", m) }
        if strict && !s.isEmpty && s[0] == 61 { throw fail("Leading padding not allowed") }
        loop: for (k, c) in s.enumerated() {
            if c == 61 {
                paddingStarted = true
                if strict && quad == 0 { throw fail("Excess padding not allowed") }
                pads += 1
                if quad >= 2 && quad + pads >= 4 {
                    if strict && k + 1 < s.count { throw fail("Excess data after padding") }
                    return out
                }
                continue
            }
            let v = table[Int(c)]
            if v == 255 {
                if strict { throw fail("Only base64 data is allowed") }
                continue
            }
            if strict && paddingStarted { throw fail("Discontinuous padding not allowed") }
            pads = 0
            switch quad {
            case 0: quad = 1; left = v
            case 1: quad = 2; out.append(left << 2 | v >> 4); left = v & 0x0f
            case 2: quad = 3; out.append(left << 4 | v >> 2); left = v & 0x03
            default: quad = 0; out.append(left << 6 | v); left = 0
            }
        }
        if quad == 1 {
            throw fail("Invalid base64-encoded string: number of data characters (\(out.count / 3 * 4 + 1)) cannot be 1 more than a multiple of 4")
        }
        if quad != 0 { throw fail("Incorrect padding") }
        return out
    }

    func hexlify(_ b: [UInt8], upper: Bool = false) -> [UInt8] {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count * 2)
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return out
    }

    func unhexlify(_ s: [UInt8]) throws -> [UInt8] {
        if s.count % 2 != 0 { throw err("binascii.Error", "Odd-length string") }
        func val(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 2)
        var k = 0
        while k < s.count {
            guard let hi = val(s[k]), let lo = val(s[k + 1]) else { throw err("binascii.Error", "Non-hexadecimal digit found") }
            out.append(hi << 4 | lo)
            k += 2
        }
        return out
    }

    // MARK: binascii

    func makeBinascii() -> PyModule {
        let m = PyModule(name: "binascii")
        let errorClass = PyClass(name: "Error", bases: [excClass("ValueError")], dict: [:])
        errorClass.module = "binascii"
        excClasses["binascii.Error"] = errorClass
        m.set("Error", .obj(errorClass))
        let incomplete = PyClass(name: "Incomplete", bases: [excClass("Exception")], dict: [:])
        incomplete.module = "binascii"
        m.set("Incomplete", .obj(incomplete))
        m.fn("b2a_base64") { i, a, kw in
            try i.need(a, 1, "b2a_base64")
            let newline = try kw.first { $0.0 == "newline" }.map { try i.truthy($0.1) } ?? true
            return .obj(PyBytes(i.b2aBase64(try i.encodeData(a[0]), newline: newline)))
        }
        m.fn("a2b_base64") { i, a, kw in
            try i.need(a, 1, "a2b_base64")
            let strict = try kw.first { $0.0 == "strict_mode" }.map { try i.truthy($0.1) } ?? false
            return .obj(PyBytes(try i.a2bBase64(try i.decodeData(a[0]), strict: strict)))
        }
        for name in ["hexlify", "b2a_hex"] {
            m.fn(name) { i, a, _ in try i.need(a, 1, name); return .obj(PyBytes(i.hexlify(try i.encodeData(a[0])))) }
        }
        for name in ["unhexlify", "a2b_hex"] {
            m.fn(name) { i, a, _ in try i.need(a, 1, name); return .obj(PyBytes(try i.unhexlify(try i.decodeData(a[0])))) }
        }
        m.fn("crc32") { i, a, _ in
            try i.need(a, 1, "crc32")
            let z = try i.importModule("zlib")
            return try i.call(try i.getAttr(z, "crc32"), a)
        }
        return m
    }

    // MARK: base64

    func makeBase64() throws -> PyModule {
        let m = PyModule(name: "base64")
        _ = try importModule("binascii")
        func translate(_ b: [UInt8], _ from: [UInt8], _ to: [UInt8]) -> [UInt8] {
            b.map { c in if let k = from.firstIndex(of: c) { return to[k] }; return c }
        }
        func altchars(_ i: Interpreter, _ a: [Value], _ kw: [(String, Value)]) throws -> [UInt8]? {
            guard let v = a.count > 1 ? a[1] : kw.first(where: { $0.0 == "altchars" })?.1, !v.isNone else { return nil }
            let alt = try i.decodeData(v)
            if alt.count != 2 { throw i.err("AssertionError", repr(alt)) }
            return alt
        }
        func repr(_ b: [UInt8]) -> String { "b'" + String(decoding: b, as: UTF8.self) + "'" }
        m.fn("b64encode") { i, a, kw in
            try i.need(a, 1, "b64encode")
            var out = i.b2aBase64(try i.encodeData(a[0]), newline: false)
            if let alt = try altchars(i, a, kw) { out = translate(out, [43, 47], alt) }
            return .obj(PyBytes(out))
        }
        m.fn("b64decode") { i, a, kw in
            try i.need(a, 1, "b64decode")
            var s = try i.decodeData(a[0])
            if let alt = try altchars(i, a, kw) { s = translate(s, alt, [43, 47]) }
            let validate = try (a.count > 2 ? a[2] : kw.first { $0.0 == "validate" }?.1).map { try i.truthy($0) } ?? false
            return .obj(PyBytes(try i.a2bBase64(s, strict: validate)))
        }
        m.fn("standard_b64encode") { i, a, _ in try i.need(a, 1, "standard_b64encode"); return .obj(PyBytes(i.b2aBase64(try i.encodeData(a[0]), newline: false))) }
        m.fn("standard_b64decode") { i, a, _ in try i.need(a, 1, "standard_b64decode"); return .obj(PyBytes(try i.a2bBase64(try i.decodeData(a[0]), strict: false))) }
        m.fn("urlsafe_b64encode") { i, a, _ in
            try i.need(a, 1, "urlsafe_b64encode")
            return .obj(PyBytes(translate(i.b2aBase64(try i.encodeData(a[0]), newline: false), [43, 47], [45, 95])))
        }
        m.fn("urlsafe_b64decode") { i, a, _ in
            try i.need(a, 1, "urlsafe_b64decode")
            return .obj(PyBytes(try i.a2bBase64(translate(try i.decodeData(a[0]), [45, 95], [43, 47]), strict: false)))
        }
        m.fn("encodebytes") { i, a, _ in
            try i.need(a, 1, "encodebytes")
            let b = try i.encodeData(a[0])
            var out: [UInt8] = []
            var k = 0
            while k < b.count { out += i.b2aBase64(Array(b[k..<min(k + 57, b.count)]), newline: true); k += 57 }
            return .obj(PyBytes(out))
        }
        m.fn("decodebytes") { i, a, _ in try i.need(a, 1, "decodebytes"); return .obj(PyBytes(try i.a2bBase64(try i.encodeData(a[0]), strict: false))) }

        // base32 (RFC 4648 and its extended-hex alphabet)
        let b32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8), b32hex = Array("0123456789ABCDEFGHIJKLMNOPQRSTUV".utf8)
        func b32encode(_ b: [UInt8], _ alphabet: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity((b.count + 4) / 5 * 8)
            var k = 0
            while k < b.count {
                var c: UInt64 = 0
                for j in 0..<5 { c = c << 8 | UInt64(k + j < b.count ? b[k + j] : 0) }
                for j in stride(from: 35, through: 0, by: -5) { out.append(alphabet[Int(c >> UInt64(j) & 31)]) }
                k += 5
            }
            let pad = [0, 6, 4, 3, 1][b.count % 5]
            for j in 0..<pad { out[out.count - 1 - j] = 61 }
            return out
        }
        func b32decode(_ i: Interpreter, _ a: [Value], _ kw: [(String, Value)], _ alphabet: [UInt8], map01: Bool) throws -> Value {
            try i.need(a, 1, "b32decode")
            var s = try i.decodeData(a[0])
            let casefold = try (a.count > 1 ? a[1] : kw.first { $0.0 == "casefold" }?.1).map { try i.truthy($0) } ?? false
            if s.count % 8 != 0 { throw i.err("binascii.Error", "Incorrect padding") }
            if map01, let mv = a.count > 2 ? a[2] : kw.first(where: { $0.0 == "map01" })?.1, !mv.isNone {
                let to = try i.decodeData(mv)
                if to.count != 1 { throw i.err("AssertionError", repr(to)) }
                s = translate(s, [48, 49], [79, to[0]])
            }
            if casefold { s = s.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 } }
            let l = s.count
            while let last = s.last, last == 61 { s.removeLast() }
            let padchars = l - s.count
            var rev = [Int](repeating: -1, count: 256)
            for (k, c) in alphabet.enumerated() { rev[Int(c)] = k }
            var out: [UInt8] = []
            var acc: UInt64 = 0
            var k = 0
            while k < s.count {
                acc = 0
                for j in k..<min(k + 8, s.count) {
                    let v = rev[Int(s[j])]
                    if v < 0 { throw i.err("binascii.Error", "Non-base32 digit found") }
                    acc = acc << 5 | UInt64(v)
                }
                if k + 8 > s.count { acc <<= UInt64(5 * (k + 8 - s.count)) }
                for j in stride(from: 32, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: acc >> UInt64(j))) }
                k += 8
            }
            if ![0, 1, 3, 4, 6].contains(padchars) { throw i.err("binascii.Error", "Incorrect padding") }
            if padchars > 0 && !out.isEmpty {
                let leftover = (43 - 5 * padchars) / 8
                out.removeLast(5 - leftover)
            }
            return .obj(PyBytes(out))
        }
        m.fn("b32encode") { i, a, _ in try i.need(a, 1, "b32encode"); return .obj(PyBytes(b32encode(try i.encodeData(a[0]), b32))) }
        m.fn("b32decode") { i, a, kw in try b32decode(i, a, kw, b32, map01: true) }
        m.fn("b32hexencode") { i, a, _ in try i.need(a, 1, "b32hexencode"); return .obj(PyBytes(b32encode(try i.encodeData(a[0]), b32hex))) }
        m.fn("b32hexdecode") { i, a, kw in try b32decode(i, a, kw, b32hex, map01: false) }

        // base16
        m.fn("b16encode") { i, a, _ in try i.need(a, 1, "b16encode"); return .obj(PyBytes(i.hexlify(try i.encodeData(a[0]), upper: true))) }
        m.fn("b16decode") { i, a, kw in
            try i.need(a, 1, "b16decode")
            var s = try i.decodeData(a[0])
            let casefold = try (a.count > 1 ? a[1] : kw.first { $0.0 == "casefold" }?.1).map { try i.truthy($0) } ?? false
            if casefold { s = s.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 } }
            if s.contains(where: { !(($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70)) }) { throw i.err("binascii.Error", "Non-base16 digit found") }
            return .obj(PyBytes(try i.unhexlify(s)))
        }

        // base85 and Ascii85 (base64._85encode and the decoders)
        let a85chars = (33...117).map { UInt8($0) }
        let b85chars = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~".utf8)
        func encode85(_ b: [UInt8], _ chars: [UInt8], pad: Bool, foldnuls: Bool, foldspaces: Bool) -> [UInt8] {
            let padding = (4 - b.count % 4) % 4
            var out: [UInt8] = []
            out.reserveCapacity(b.count / 4 * 5 + 5)
            var k = 0
            var lastChunk = 0
            while k < b.count + padding {
                var w: UInt32 = 0
                for j in 0..<4 { w = w << 8 | UInt32(k + j < b.count ? b[k + j] : 0) }
                lastChunk = out.count
                if foldnuls && w == 0 { out.append(122) }
                else if foldspaces && w == 0x2020_2020 { out.append(121) }
                else {
                    var digits = [UInt8](repeating: 0, count: 5)
                    var x = w
                    for j in (0..<5).reversed() { digits[j] = chars[Int(x % 85)]; x /= 85 }
                    out += digits
                }
                k += 4
            }
            if padding > 0 && !pad {
                if out.count - lastChunk == 1 && out[lastChunk] == 122 {
                    out.removeLast(); out += [UInt8](repeating: chars[0], count: 5)
                }
                out.removeLast(padding)
            }
            return out
        }
        m.fn("a85encode") { i, a, kw in
            try i.need(a, 1, "a85encode")
            let b = try i.encodeData(a[0])
            func flag(_ n: String) throws -> Bool { try kw.first { $0.0 == n }.map { try i.truthy($0.1) } ?? false }
            let foldspaces = try flag("foldspaces"), pad = try flag("pad"), adobe = try flag("adobe")
            var wrapcol = try kw.first { $0.0 == "wrapcol" }.map { try i.intArg($0.1) } ?? 0
            var result = encode85(b, a85chars, pad: pad, foldnuls: true, foldspaces: foldspaces)
            if adobe { result = Array("<~".utf8) + result }
            if wrapcol > 0 {
                wrapcol = max(adobe ? 2 : 1, wrapcol)
                var chunks: [[UInt8]] = []
                var k = 0
                while k < result.count { chunks.append(Array(result[k..<min(k + wrapcol, result.count)])); k += wrapcol }
                if adobe, let last = chunks.last, last.count + 2 > wrapcol { chunks.append([]) }
                result = Array(chunks.joined(separator: [10]))
            }
            if adobe { result += Array("~>".utf8) }
            return .obj(PyBytes(result))
        }
        m.fn("a85decode") { i, a, kw in
            try i.need(a, 1, "a85decode")
            var b = try i.decodeData(a[0])
            func flag(_ n: String) throws -> Bool { try kw.first { $0.0 == n }.map { try i.truthy($0.1) } ?? false }
            let foldspaces = try flag("foldspaces"), adobe = try flag("adobe")
            let ignore = try kw.first { $0.0 == "ignorechars" }.map { try i.decodeData($0.1) } ?? [32, 9, 10, 13, 11]
            if adobe {
                guard b.count >= 2, b[b.count - 2] == 126, b[b.count - 1] == 62 else {
                    throw i.err("ValueError", "Ascii85 encoded byte sequences must end with b'~>'")
                }
                b = b.count >= 4 && b[0] == 60 && b[1] == 126 ? Array(b[2..<(b.count - 2)]) : Array(b.dropLast(2))
            }
            var out: [UInt8] = []
            var curr: [UInt8] = []
            for x in b + [117, 117, 117, 117] {
                if x >= 33 && x <= 117 {
                    curr.append(x)
                    if curr.count == 5 {
                        var acc: UInt64 = 0
                        for c in curr { acc = 85 * acc + UInt64(c - 33) }
                        if acc > UInt64(UInt32.max) { throw i.err("ValueError", "Ascii85 overflow") }
                        out += [UInt8(acc >> 24 & 255), UInt8(acc >> 16 & 255), UInt8(acc >> 8 & 255), UInt8(acc & 255)]
                        curr.removeAll()
                    }
                } else if x == 122 {
                    if !curr.isEmpty { throw i.err("ValueError", "z inside Ascii85 5-tuple") }
                    out += [0, 0, 0, 0]
                } else if foldspaces && x == 121 {
                    if !curr.isEmpty { throw i.err("ValueError", "y inside Ascii85 5-tuple") }
                    out += [32, 32, 32, 32]
                } else if ignore.contains(x) {
                    continue
                } else {
                    throw i.err("ValueError", "Non-Ascii85 digit found: \(Character(Unicode.Scalar(x)))")
                }
            }
            let padding = 4 - curr.count
            if padding > 0 { out.removeLast(min(padding, out.count)) }
            return .obj(PyBytes(out))
        }
        var b85dec = [Int](repeating: -1, count: 256)
        for (k, c) in b85chars.enumerated() { b85dec[Int(c)] = k }
        m.fn("b85encode") { i, a, kw in
            try i.need(a, 1, "b85encode")
            let pad = try (a.count > 1 ? a[1] : kw.first { $0.0 == "pad" }?.1).map { try i.truthy($0) } ?? false
            return .obj(PyBytes(encode85(try i.encodeData(a[0]), b85chars, pad: pad, foldnuls: false, foldspaces: false)))
        }
        m.fn("b85decode") { i, a, _ in
            try i.need(a, 1, "b85decode")
            var b = try i.decodeData(a[0])
            let padding = (5 - b.count % 5) % 5
            b += [UInt8](repeating: 126, count: padding)
            var out: [UInt8] = []
            out.reserveCapacity(b.count / 5 * 4)
            var k = 0
            while k < b.count {
                var acc: UInt64 = 0
                for j in k..<(k + 5) {
                    let v = b85dec[Int(b[j])]
                    if v < 0 { throw i.err("ValueError", "bad base85 character at position \(j)") }
                    acc = acc * 85 + UInt64(v)
                }
                if acc > UInt64(UInt32.max) { throw i.err("ValueError", "base85 overflow in hunk starting at byte \(k)") }
                out += [UInt8(acc >> 24 & 255), UInt8(acc >> 16 & 255), UInt8(acc >> 8 & 255), UInt8(acc & 255)]
                k += 5
            }
            if padding > 0 { out.removeLast(padding) }
            return .obj(PyBytes(out))
        }
        return m
    }
}
