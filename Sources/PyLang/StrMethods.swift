// The methods of str in their general form (every argument, CPython's errors); the hot ones' fast forms are
// in StrMethodsFast.swift. Mirrors CPython's `Objects/unicodeobject.c` method table.
import Foundation

extension Interpreter {
    // MARK: str

    func isSpace(_ c: Character) -> Bool { c.isWhitespace }

    func stripChars(_ s: String, _ chars: Value?, left: Bool, right: Bool) throws -> String {
        var sub = Substring(s)
        let set: Set<Character>?
        if let c = chars, case .str(let cs) = c { set = Set(cs.s) } else if let c = chars, !c.isNone { throw typeError("strip arg must be None or str") } else { set = nil }
        let test: (Character) -> Bool = { set == nil ? $0.isWhitespace : set!.contains($0) }
        if left { while let f = sub.first, test(f) { sub.removeFirst() } }
        if right { while let l = sub.last, test(l) { sub.removeLast() } }
        return String(sub)
    }

    func splitWhitespace(_ s: String, _ maxsplit: Int) -> [Value] {
        var out: [Value] = []
        var cur = ""
        var inWord = false
        var idx = s.startIndex
        while idx < s.endIndex {
            let c = s[idx]
            if c.isWhitespace {
                if inWord {
                    out.append(.str(cur)); cur = ""; inWord = false
                    if maxsplit >= 0 && out.count == maxsplit {
                        var rest = s[s.index(after: idx)...]
                        while let f = rest.first, f.isWhitespace { rest.removeFirst() }
                        if !rest.isEmpty { out.append(.str(String(rest))) }
                        return out
                    }
                }
            } else { cur.append(c); inWord = true }
            idx = s.index(after: idx)
        }
        if inWord { out.append(.str(cur)) }
        return out
    }

    func findSub(_ s: String, _ sub: String, _ start: Int?, _ end: Int?, reverse: Bool) -> Int {
        let u = Array(s.unicodeScalars), w = Array(sub.unicodeScalars)
        let n = u.count
        var st = start ?? 0, en = end ?? n
        if st < 0 { st = max(0, st + n) }
        if en < 0 { en = max(0, en + n) }
        en = min(en, n)
        if w.count > en - st { return -1 }
        if reverse {
            var i = en - w.count
            while i >= st { if Array(u[i..<(i + w.count)]) == w { return i }; i -= 1 }
        } else {
            var i = st
            while i + w.count <= en { if w.isEmpty || (u[i] == w[0] && Array(u[i..<(i + w.count)]) == w) { return i }; i += 1 }
        }
        return -1
    }

    /// str.isalpha for one code point: the letter categories (Lu, Ll, Lt, Lm, Lo).
    func isAlphaScalar(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    func optInt(_ v: Value?) throws -> Int? {
        guard let v, !v.isNone else { return nil }
        return try intArg(v)
    }

    func strMethod(_ s: String, _ name: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        let args = Args(a, kw, name)
        if !a.isEmpty, ["upper", "lower", "title", "swapcase", "capitalize", "casefold", "isdigit", "isalpha", "isalnum",
                        "isspace", "isupper", "islower", "istitle", "isidentifier", "isnumeric", "isdecimal", "isascii"].contains(name) {
            throw typeError("str.\(name)() takes no arguments (\(a.count) given)")
        }
        switch name {
        case "upper": return .str(s.uppercased())
        case "lower": return .str(s.lowercased())
        case "casefold": return .str(s.lowercased())
        case "strip": return .str(try stripChars(s, a.first, left: true, right: true))
        case "lstrip": return .str(try stripChars(s, a.first, left: true, right: false))
        case "rstrip": return .str(try stripChars(s, a.first, left: false, right: true))
        case "split", "rsplit":
            let sep = args.get(0, "sep")
            let maxsplit = try args.get(1, "maxsplit").map { try intArg($0) } ?? -1
            if sep == nil || sep!.isNone {
                if name == "rsplit" && maxsplit >= 0 {
                    let parts = splitWhitespace(String(s.reversed()), maxsplit)
                    return .list(PyList(parts.reversed().map { if case .str(let x) = $0 { return .str(String(x.s.reversed())) }; return $0 }))
                }
                return .list(PyList(splitWhitespace(s, maxsplit)))
            }
            guard case .str(let sp) = sep! else { throw typeError("must be str or None, not \(typeName(sep!))") }
            if sp.isEmpty { throw err("ValueError", "empty separator") }
            var parts = s.splitByCodePoints(sp.s)
            if maxsplit >= 0 && parts.count - 1 > maxsplit {
                if name == "split" {
                    let head = Array(parts[0..<maxsplit])
                    parts = head + [parts[maxsplit...].joined(separator: sp.s)]
                } else {
                    let cut = parts.count - maxsplit
                    parts = [parts[0..<cut].joined(separator: sp.s)] + Array(parts[cut...])
                }
            }
            return .list(PyList(parts.map { .str($0) }))
        case "splitlines":
            let keep = try args.get(0, "keepends").map { try truthy($0) } ?? false
            var out: [Value] = []
            var cur = ""
            for c in s {
                if c == "\n" || c == "\r\n" || c == "\r" {
                    out.append(.str(keep ? cur + String(c) : cur)); cur = ""
                } else { cur.append(c) }
            }
            if !cur.isEmpty { out.append(.str(cur)) }
            return .list(PyList(out))
        case "join":
            try need(a, 1, "join")
            var out = ""
            var first = true
            var idx = 0
            try iterate(a[0]) { x in
                guard case .str(let t) = x else {
                    throw typeError("sequence item \(idx): expected str instance, \(typeName(x)) found")
                }
                if !first { out += s }
                out += t.s; first = false; idx += 1
                return true
            }
            return .str(out)
        case "replace":
            try need(a, 2, "replace")
            let old = try strArg(a[0], "replace"), new = try strArg(a[1], "replace")
            let count = a.count > 2 ? try intArg(a[2]) : -1
            if count < 0 {
                if old.isEmpty {
                    return .str(new + s.unicodeScalars.map { String($0) + new }.joined())
                }
                return .str(s.replacingCodePoints(old, with: new))
            }
            var parts = s.splitByCodePoints(old)
            if parts.count - 1 > count {
                let head = parts[0...count].joined(separator: new)
                parts = [head] + [parts[(count + 1)...].joined(separator: old)]
                return .str(parts.joined(separator: old))
            }
            return .str(parts.joined(separator: new))
        case "startswith", "endswith":
            try need(a, 1, name)
            var sub = Substring(s)
            if a.count > 1 || a.count > 2 {
                let u = Array(s.unicodeScalars)
                var st = try optInt(a.count > 1 ? a[1] : nil) ?? 0
                var en = try optInt(a.count > 2 ? a[2] : nil) ?? u.count
                if st < 0 { st = max(0, st + u.count) }; if en < 0 { en = max(0, en + u.count) }
                st = min(st, u.count); en = min(en, u.count)
                var v = String.UnicodeScalarView(); if st < en { v.append(contentsOf: u[st..<en]) }
                sub = Substring(String(v))
            }
            func test(_ p: Value) throws -> Bool {
                guard case .str(let t) = p else { throw typeError("\(name) first arg must be str or a tuple of str, not \(typeName(p))") }
                return name == "startswith" ? String(sub).hasCodePointPrefix(t.s) : String(sub).hasCodePointSuffix(t.s)
            }
            if case .tuple(let t) = a[0] { return .bool(try t.items.contains { try test($0) }) }
            return .bool(try test(a[0]))
        case "find", "rfind", "index", "rindex":
            try need(a, 1, name)
            guard case .str(let subStr) = a[0] else { throw typeError("must be str, not \(typeName(a[0]))") }
            let sub = subStr.s
            let r = findSub(s, sub, try optInt(a.count > 1 ? a[1] : nil), try optInt(a.count > 2 ? a[2] : nil), reverse: name.hasPrefix("r"))
            if r < 0 && name.hasSuffix("index") { throw err("ValueError", "substring not found") }
            return .int(r)
        case "count":
            if a.isEmpty || a.count > 3 {
                throw typeError("count() takes \(a.isEmpty ? "at least 1 argument" : "at most 3 arguments") (\(a.count) given)")
            }
            guard case .str(let subStr) = a[0] else { throw typeError("must be str, not \(typeName(a[0]))") }
            let sub = subStr.s
            var text = s
            if a.count > 1 {
                // s[start:end], as find takes them
                let u = Array(s.unicodeScalars), n = u.count
                var st = try optInt(a[1]) ?? 0, en = try optInt(a.count > 2 ? a[2] : nil) ?? n
                if st < 0 { st = max(0, st + n) }
                if en < 0 { en = max(0, en + n) }
                en = min(en, n)
                if st > en { return .int(0) }
                var part = String.UnicodeScalarView()
                part.append(contentsOf: u[st..<en])
                text = String(part)
            }
            if sub.isEmpty { return .int(text.unicodeScalars.count + 1) }
            return .int(text.utf8Occurrences(of: sub).count)
        case "format": return .str(try strFormat(s, a, kw))
        case "format_map":
            guard case .dict(let d) = a[0] else { throw typeError("format_map requires a dict") }
            return .str(try strFormat(s, [], d.items.compactMap { if case .str(let k) = $0.0 { return (k.s, $0.1) }; return nil }))
        // code point by code point, by Unicode's properties as CPython's: Numeric_Type for the number tests, the
        // letter categories for isalpha, XID_Start/XID_Continue for isidentifier
        case "isdecimal": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal })
        case "isdigit":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { [.decimal, .digit].contains($0.properties.numericType) })
        case "isnumeric": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(isAlphaScalar))
        case "isalnum": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { isAlphaScalar($0) || $0.properties.numericType != nil })
        case "isspace": return .bool(!s.isEmpty && s.allSatisfy { $0.isWhitespace })
        case "isascii": return .bool(s.unicodeScalars.allSatisfy { $0.isASCII })
        case "isprintable": return .bool(s.unicodeScalars.allSatisfy(isPrintable))
        case "isupper": return .bool(s.contains { $0.isLetter } && !s.contains { $0.isLowercase })
        case "islower": return .bool(s.contains { $0.isLetter } && !s.contains { $0.isUppercase })
        case "isidentifier":
            guard let f = s.unicodeScalars.first, f.properties.isXIDStart || f == "_" else { return .bool(false) }
            return .bool(s.unicodeScalars.dropFirst().allSatisfy { $0.properties.isXIDContinue })
        case "istitle": return .bool(s == titleCase(s) && s.contains { $0.isLetter })
        case "title": return .str(titleCase(s))
        case "capitalize": return .str(s.isEmpty ? s : s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "swapcase": return .str(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
        case "center", "ljust", "rjust":
            try need(a, 1, name)
            let w = try intArg(a[0])
            var fill: Character = " "
            if a.count > 1, case .str(let f) = a[1] {
                if f.count != 1 { throw typeError("The fill character must be exactly one character long") }
                fill = f.s.first!
            }
            let n = s.unicodeScalars.count
            if w <= n { return .str(s) }
            let total = w - n
            try checkAllocation(count: w, stride: 1, negative: "")
            let f = String(fill)
            switch name {
            case "ljust": return .str(s + PyStr.repeating(f, total))
            case "rjust": return .str(PyStr.repeating(f, total) + s)
            default:
                let left = total / 2 + (total & w & 1)
                return .str(PyStr.repeating(f, left) + s + PyStr.repeating(f, total - left))
            }
        case "zfill":
            let w = try intArg(a[0])
            if w > s.unicodeScalars.count { try checkAllocation(count: w, stride: 1, negative: "") }
            var body = s
            var sign = ""
            if body.hasPrefix("-") || body.hasPrefix("+") { sign = String(body.removeFirst()) }
            return .str(sign + body.leftPad(w - sign.count, "0"))
        case "partition", "rpartition":
            let sep = try strArg(a[0], name)
            if sep.isEmpty { throw err("ValueError", "empty separator") }
            guard let r = s.utf8Occurrence(of: sep, last: name == "rpartition") else {
                return name == "partition" ? .tuple(PyTuple([.str(s), .str(""), .str("")])) : .tuple(PyTuple([.str(""), .str(""), .str(s)]))
            }
            let u = s.utf8
            let head = String(u[..<u.index(u.startIndex, offsetBy: r)])!
            let tail = String(u[u.index(u.startIndex, offsetBy: r + sep.utf8.count)...])!
            return .tuple(PyTuple([.str(head), .str(sep), .str(tail)]))
        case "encode":
            let encoding = try codecName(a.first ?? kw.first { $0.0 == "encoding" }?.1, "encode")
            let errors = try (a.count > 1 ? a[1] : kw.first { $0.0 == "errors" }?.1).map { try strArg($0, "encode") } ?? "strict"
            if encoding == "utf-8" { return .obj(PyBytes(Array(s.utf8))) }
            let limit: UInt32 = encoding == "ascii" ? 0x80 : 0x100
            var out: [UInt8] = []
            for (pos, u) in s.unicodeScalars.enumerated() {
                if u.value < limit { out.append(UInt8(u.value)); continue }
                switch errors {
                case "ignore": continue
                case "replace": out.append(63)
                default:
                    let codec = encoding == "ascii" ? "ascii" : "latin-1"
                    throw err("UnicodeEncodeError", "'\(codec)' codec can't encode character '\(asciiEscape(String(u)))' in position \(pos): ordinal not in range(\(limit))")
                }
            }
            return .obj(PyBytes(out))
        case "expandtabs":
            let ts = a.isEmpty ? 8 : try intArg(a[0])
            // CPython reads the tab size as a C int
            if ts > Int(Int32.max) { throw err("OverflowError", "Python int too large to convert to C int") }
            if ts < Int(Int32.min) { throw err("OverflowError", "Python int too large to convert to C int") }
            var out = ""; var col = 0
            for c in s {
                if c == "\t" {
                    let n = ts > 0 ? ts - col % ts : 0
                    try checkAllocation(count: out.utf8.count + n, stride: 1, negative: "")
                    out += String(repeating: " ", count: n); col += n
                }
                else if c == "\n" { out.append(c); col = 0 } else { out.append(c); col += 1 }
            }
            return .str(out)
        case "removeprefix": let p = try strArg(a[0], name); return .str(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix": let p = try strArg(a[0], name); return .str(s.hasSuffix(p) && !p.isEmpty ? String(s.dropLast(p.count)) : s)
        case "maketrans":
            let d = PyDict()
            if a.count >= 2, case .str(let x) = a[0], case .str(let y) = a[1] {
                for (c1, c2) in zip(x.s.unicodeScalars, y.s.unicodeScalars) { d.set(.int(Int(c1.value)), .int(Int(c2.value))) }
                if a.count > 2, case .str(let z) = a[2] { for c in z.s.unicodeScalars { d.set(.int(Int(c.value)), .none) } }
            } else if case .dict(let src)? = a.first {
                for (k, v) in src.items {
                    if case .str(let ks) = k { d.set(.int(Int(ks.s.unicodeScalars.first!.value)), v) } else { d.set(k, v) }
                }
            }
            return .dict(d)
        case "translate":
            var out = ""
            for u in s.unicodeScalars {
                let r = try? getItem(a[0], .int(Int(u.value)))
                switch r {
                case nil: out.unicodeScalars.append(u)
                case .none?: break
                case .int(let n)?: if let x = UnicodeScalar(UInt32(n)) { out.unicodeScalars.append(x) }
                case .str(let t)?: out += t.s
                default: out.unicodeScalars.append(u)
                }
            }
            return .str(out)
        default: throw err("AttributeError", "'str' object has no attribute '\(name)'")
        }
    }

    func titleCase(_ s: String) -> String {
        var out = ""
        var prevLetter = false
        for c in s {
            if c.isLetter { out += prevLetter ? c.lowercased() : c.uppercased(); prevLetter = true }
            else { out.append(c); prevLetter = false }
        }
        return out
    }
}
