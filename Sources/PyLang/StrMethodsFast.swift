// The str methods programs call in their inner loops, over the str's UTF-8 bytes: strip, split on whitespace,
// join, startswith/endswith, find/index/count without bounds, and the isidentifier/isalnum/isalpha/isdigit tests of
// an ASCII str. `strMethod` (Methods.swift) keeps the general
// forms (bounds, tuples of prefixes, maxsplit, ...); these return nil for anything they do not take.
//
// Code points, never grapheme clusters: Swift's `Character` joins "e\u{301}" into one and its `isWhitespace`
// misses Python's \x1c-\x1f, so neither is used here.
import Foundation

/// Python's `str.isspace()` for one code point: Unicode White_Space plus the separators \x1c-\x1f.
@inline(__always)
func pyIsSpace(_ c: UInt32) -> Bool {
    if c < 0x80 { return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) }
    return Unicode.Scalar(c)?.properties.isWhitespace ?? false
}

extension PyStr {
    /// A new str of the bytes `range` of `b`, which hold `count` code points (or -1: count them).
    static func slice(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, count: Int = -1) -> PyStr {
        let part = UnsafeBufferPointer(rebasing: b[range])
        return PyStr(String(decoding: part, as: UTF8.self), count: count >= 0 ? count : codePointCount(part))
    }

    /// The code point index of byte offset `off` (a sequence's first byte).
    func codePointIndex(ofByte off: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        isASCII ? off : PyStr.codePointCount(UnsafeBufferPointer(rebasing: b[0..<off]))
    }
}

extension Interpreter {
    /// The fast forms of the hot str methods, or nil (then `strMethod` answers, with CPython's errors).
    func fastStrMethod(_ s: PyStr, _ name: String, _ a: [Value]) -> Value? {
        switch name {
        case "strip", "lstrip", "rstrip":
            guard a.count <= 1 else { return nil }
            var chars: PyStr?
            if let c = a.first {
                guard case .str(let cs) = c else { return c.isNone ? strip(s, nil, name) : nil }
                chars = cs
            }
            return strip(s, chars, name)
        case "join":
            guard a.count == 1 else { return nil }
            return join(s, a[0])
        case "isidentifier", "isalnum", "isalpha", "isdigit", "isdecimal", "isnumeric":
            // an ASCII str by its bytes (the general forms take the rest)
            guard a.isEmpty, s.isASCII else { return nil }
            let mode = name == "isidentifier" ? 0 : name == "isalnum" ? 1 : name == "isalpha" ? 2 : 3
            return .bool(s.withBytes { b in
                guard !b.isEmpty else { return false }
                for i in 0..<b.count {
                    let c = b[i], digit = c >= 48 && c <= 57, letter = (c | 0x20) >= 97 && (c | 0x20) <= 122
                    let ok = mode == 0 ? letter || c == 95 || (digit && i > 0) : mode == 1 ? letter || digit : mode == 2 ? letter : digit
                    if !ok { return false }
                }
                return true
            })
        case "startswith", "endswith":
            guard a.count == 1, case .str(let t) = a[0] else { return nil }
            return .bool(s.withBytes { b in
                t.withBytes { p in
                    guard p.count <= b.count else { return false }
                    if p.isEmpty { return true }
                    let at = name == "startswith" ? 0 : b.count - p.count
                    return memcmp(b.baseAddress! + at, p.baseAddress!, p.count) == 0
                }
            })
        case "find", "index":
            guard a.count == 1, case .str(let t) = a[0] else { return nil }
            let r = s.withBytes { b in
                t.withBytes { p -> Int in
                    let at = PyStr.find(b, p, from: 0)
                    return at < 0 ? -1 : s.codePointIndex(ofByte: at, b)
                }
            }
            // index's ValueError is raised by the general form
            return r < 0 && name == "index" ? nil : .int(r)
        case "count":
            guard a.count == 1, case .str(let t) = a[0], !t.isEmpty else { return nil }
            return .int(s.withBytes { b in
                t.withBytes { p -> Int in
                    var n = 0, at = PyStr.find(b, p, from: 0)
                    while at >= 0 { n += 1; at = PyStr.find(b, p, from: at + p.count) }
                    return n
                }
            })
        case "split":
            guard a.isEmpty || (a.count == 1 && a[0].isNone) else {
                guard a.count == 1, case .str(let sep) = a[0], !sep.isEmpty else { return nil }
                return splitOn(s, sep)
            }
            return splitSpace(s)
        default:
            return nil
        }
    }

    private func strip(_ s: PyStr, _ chars: PyStr?, _ name: String) -> Value {
        // the characters to strip: whitespace, an ASCII set as a bitmap, or a set of code points (built first,
        // then only read: `strips` captures constants, with no exclusivity checks)
        let isAsciiSet = chars.map { $0.isASCII } ?? false
        let masks: (UInt64, UInt64)
        let wide: Set<UInt32>
        if let chars, isAsciiSet {
            masks = chars.withBytes { c in
                var m: (UInt64, UInt64) = (0, 0)
                for x in c { if x < 64 { m.0 |= 1 << UInt64(x) } else { m.1 |= 1 << UInt64(x - 64) } }
                return m
            }
            wide = []
        } else if let chars {
            masks = (0, 0)
            wide = chars.withBytes { c in
                var w = Set<UInt32>()
                var i = 0
                while i < c.count { w.insert(PyStr.decode(c, i)); i += PyStr.sequenceLength(c[i]) }
                return w
            }
        } else {
            masks = (0, 0)
            wide = []
        }
        let whitespace = chars == nil
        @inline(__always) func strips(_ cp: UInt32) -> Bool {
            if whitespace { return pyIsSpace(cp) }
            if isAsciiSet {
                guard cp < 128 else { return false }
                return cp < 64 ? masks.0 & (1 << UInt64(cp)) != 0 : masks.1 & (1 << UInt64(cp - 64)) != 0
            }
            return wide.contains(cp)
        }
        return s.withBytes { b -> Value in
            var lo = 0, hi = b.count
            if name != "rstrip" {
                while lo < hi, strips(PyStr.decode(b, lo)) { lo += PyStr.sequenceLength(b[lo]) }
            }
            if name != "lstrip" {
                while hi > lo {
                    var start = hi - 1
                    while start > lo, b[start] & 0xC0 == 0x80 { start -= 1 }
                    guard strips(PyStr.decode(b, start)) else { break }
                    hi = start
                }
            }
            if lo == 0 && hi == b.count { return .str(s) }  // as CPython: the same str when nothing goes
            return .str(PyStr.slice(b, lo..<hi, count: s.isASCII ? hi - lo : -1))
        }
    }

    private func join(_ sep: PyStr, _ iterable: Value) -> Value? {
        let items: [Value]
        switch iterable {
        case .list(let l): items = l.items
        case .tuple(let t): items = t.items
        default: return nil
        }
        var total = 0, count = 0
        for x in items {
            guard case .str(let t) = x else { return nil }  // the general form raises CPython's TypeError
            total += t.utf8Count
            count += t.count
        }
        if items.count == 1, case .str(let only) = items[0] { return .str(only) }
        let sepBytes = sep.utf8Count
        total += sepBytes * max(0, items.count - 1)
        count += sep.count * max(0, items.count - 1)
        // written straight into the new String's storage (no byte array between)
        let joined = String(unsafeUninitializedCapacity: total) { out in
            var at = 0
            sep.withBytes { sb in
                for (i, x) in items.enumerated() {
                    if i > 0 && sepBytes > 0 {
                        _ = UnsafeMutableBufferPointer(rebasing: out[at..<(at + sepBytes)]).initialize(from: sb)
                        at += sepBytes
                    }
                    if case .str(let t) = x {
                        t.withBytes { b in
                            _ = UnsafeMutableBufferPointer(rebasing: out[at..<(at + b.count)]).initialize(from: b)
                            at += b.count
                        }
                    }
                }
            }
            return at
        }
        return .str(PyStr(joined, count: count))
    }

    private func splitSpace(_ s: PyStr) -> Value {
        var parts: [Value] = []
        s.withBytes { b in
            var i = 0
            while i < b.count {
                while i < b.count, pyIsSpace(PyStr.decode(b, i)) { i += PyStr.sequenceLength(b[i]) }
                guard i < b.count else { break }
                let start = i
                while i < b.count, !pyIsSpace(PyStr.decode(b, i)) { i += PyStr.sequenceLength(b[i]) }
                parts.append(.str(PyStr.slice(b, start..<i, count: s.isASCII ? i - start : -1)))
            }
        }
        return .list(PyList(parts))
    }

    private func splitOn(_ s: PyStr, _ sep: PyStr) -> Value {
        var parts: [Value] = []
        s.withBytes { b in
            sep.withBytes { p in
                var start = 0
                var at = PyStr.find(b, p, from: 0)
                while at >= 0 {
                    parts.append(.str(PyStr.slice(b, start..<at, count: s.isASCII ? at - start : -1)))
                    start = at + p.count
                    at = PyStr.find(b, p, from: start)
                }
                parts.append(.str(PyStr.slice(b, start..<b.count, count: s.isASCII ? b.count - start : -1)))
            }
        }
        return .list(PyList(parts))
    }
}
