// re (over NSRegularExpression), logging, urllib.parse and collections.
// Mirror CPython's `Lib/re`, `Lib/logging/__init__.py`, `Lib/urllib/parse.py`, `Lib/collections/__init__.py`.
import Foundation

final class RegexPayload {
    let re: NSRegularExpression
    let pattern: String
    let flags: Int
    /// A bytes pattern: it matches bytes, each byte a code point of the same number (Latin-1), and gives bytes.
    let isBytes: Bool
    /// A bytes pattern that is plain text (no special character, no IGNORECASE or VERBOSE): its bytes, searched
    /// without ICU (`Modules/RegexReplace.swift`).
    let literal: [UInt8]?
    init(_ r: NSRegularExpression, _ p: String, _ f: Int, bytes: Bool = false) {
        re = r; pattern = p; flags = f; isBytes = bytes
        let special = Set(".^$*+?{}[]\\|()".utf8)
        literal = bytes && !p.isEmpty && f & (2 | 64) == 0 && !p.utf8.contains(where: { special.contains($0) }) ? latin1Bytes(p) : nil
    }

    /// A matched piece as the pattern's kind of value: a str, or bytes for a bytes pattern.
    func out(_ s: String) -> Value { isBytes ? .obj(PyBytes(latin1Bytes(s))) : .str(s) }
    /// The pattern as the program wrote it (str or bytes).
    var patternValue: Value { out(pattern) }
}

/// Bytes as the string of the code points of the same numbers (what a bytes pattern is matched against).
func latin1String(_ b: [UInt8]) -> String {
    if !b.contains(where: { $0 >= 0x80 }) { return String(decoding: b, as: UTF8.self) }
    return String(decoding: b.map { UInt16($0) }, as: UTF16.self)
}

/// The inverse of `latin1String`.
func latin1Bytes(_ s: String) -> [UInt8] {
    let u = Array(s.utf8)
    if !u.contains(where: { $0 >= 0x80 }) { return u }
    return s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
}

final class MatchPayload {
    let m: NSTextCheckingResult
    let s: String
    let ns: NSString
    let re: RegexPayload
    /// UTF-16 offsets are code point offsets: a bytes pattern's subject (one unit per byte) or ASCII text.
    let unitsAreCodePoints: Bool
    /// `codePoints`: the subject's code point count when known (a PyStr keeps it): equal to its UTF-16 length,
    /// the text has no surrogate pairs and offsets need no walk (a walk per `start()` made finditer quadratic).
    init(_ m: NSTextCheckingResult, _ s: String, _ re: RegexPayload, codePoints: Int? = nil) {
        self.m = m; self.s = s; ns = s as NSString; self.re = re
        unitsAreCodePoints = re.isBytes || (codePoints ?? s.utf8.count) == ns.length || s.utf8.count == ns.length
    }
    func group(_ k: Int) -> Value {
        guard k <= m.numberOfRanges - 1 else { return .none }
        let r = m.range(at: k)
        if r.location == NSNotFound { return .none }
        return re.out(ns.substring(with: r))
    }
    /// UTF-16 offset to code point offset.
    func cp(_ utf16: Int) -> Int {
        if unitsAreCodePoints { return utf16 }
        let idx = String.Index(utf16Offset: utf16, in: s)
        return s.unicodeScalars.distance(from: s.unicodeScalars.startIndex, to: idx)
    }
}

extension Interpreter {
    func compileRegex(_ p: Value, _ flags: Int) throws -> RegexPayload {
        if case .obj(let i as PyInstance) = p, let r = i.payload as? RegexPayload { return r }
        let pat: String, isBytes: Bool
        switch p {
        case .str(let x): pat = x.s; isBytes = false
        case .obj(let b as PyBytes): pat = latin1String(b.b); isBytes = true
        default: throw typeError("first argument must be string or compiled pattern")
        }
        let key = (isBytes ? "b\u{0}" : "") + pat + "\u{0}" + String(flags)
        if let c = regexCache[key] { return c }
        // only \n ends a line for `.`, `^` and `$`, as in Python (ICU would also take \r, \u{85}, \u{2028}, ...)
        var opts: NSRegularExpression.Options = [.useUnixLineSeparators]
        if flags & 2 != 0 { opts.insert(.caseInsensitive) }
        if flags & 8 != 0 { opts.insert(.anchorsMatchLines) }
        if flags & 16 != 0 { opts.insert(.dotMatchesLineSeparators) }
        if flags & 64 != 0 { opts.insert(.allowCommentsAndWhitespace) }
        // a bytes pattern's \w, \d, \s and \b are ASCII's, as CPython's
        var icu = Interpreter.pythonRegexToICU(pat, ascii: flags & 256 != 0 || isBytes)
        if icu.isEmpty { icu = "(?:)" }   // ICU refuses an empty pattern; Python's matches the empty string
        do {
            let r = RegexPayload(try NSRegularExpression(pattern: icu, options: opts), pat, flags, bytes: isBytes)
            regexCache[key] = r
            return r
        } catch {
            throw err("re.error", "bad pattern \(isBytes ? try repr(p) : strRepr(pat))")
        }
    }


    /// A match object; `string` is the value searched (for a bytes pattern, the bytes themselves, not a copy).
    func makeMatch(_ m: NSTextCheckingResult?, _ s: String, _ re: RegexPayload, _ subject: Value? = nil) -> Value {
        guard let m else { return .none }
        let inst = PyInstance(matchClass!)
        var codePoints: Int? = nil
        if case .str(let p)? = subject { codePoints = p.count }
        inst.payload = MatchPayload(m, s, re, codePoints: codePoints)
        inst.dict["string"] = subject ?? re.out(s)
        return .obj(inst)
    }

    func matchPayload(_ v: Value) throws -> MatchPayload {
        if case .obj(let i as PyInstance) = v, let p = i.payload as? MatchPayload { return p }
        throw typeError("expected a match object")
    }

    func groupIndex(_ p: MatchPayload, _ v: Value) throws -> Int {
        switch v {
        case .int(let k):
            if k < 0 || k >= p.m.numberOfRanges { throw err("IndexError", "no such group") }
            return k
        case .str(let name):
            // find the group number by name: NSTextCheckingResult has range(withName:)
            let r = p.m.range(withName: name.s)
            for k in 0..<p.m.numberOfRanges where NSEqualRanges(p.m.range(at: k), r) && k > 0 { return k }
            throw err("IndexError", "no such group")
        default: throw err("IndexError", "no such group")
        }
    }

    func regexSearch(_ r: RegexPayload, _ s: String, anchored: Bool, full: Bool, pos: Int = 0) -> NSTextCheckingResult? {
        let ns = s as NSString
        let start = pos == 0 ? 0 : (String(s.unicodeScalars.prefix(pos)) as NSString).length
        var opts: NSRegularExpression.MatchingOptions = []
        if anchored || full { opts.insert(.anchored) }
        let range = NSRange(location: start, length: ns.length - start)
        if full {
            let m = r.re.firstMatch(in: s, options: opts, range: range)
            if let m, m.range.location + m.range.length == ns.length { return m }
            // retry with an explicit end anchor
            if let r2 = try? NSRegularExpression(pattern: "(?:" + r.re.pattern + ")\\z", options: r.re.options) {
                return r2.firstMatch(in: s, options: opts, range: range)
            }
            return nil
        }
        return r.re.firstMatch(in: s, options: opts, range: range)
    }


    /// `re.RegexFlag`: an int subclass whose instances are CPython 3.11's flag members and their combinations
    /// (`re.IGNORECASE|re.MULTILINE`). Mirrors `re._constants.RegexFlag` (an `enum.IntFlag` with `global_enum`).
    func makeRegexFlagClass(_ m: PyModule) -> PyClass {
        // definition order, which CPython's names of combined flags follow
        let members: [(String, String, Int)] = [("ASCII", "A", 256), ("IGNORECASE", "I", 2), ("LOCALE", "L", 4),
            ("UNICODE", "U", 32), ("MULTILINE", "M", 8), ("DOTALL", "S", 16), ("VERBOSE", "X", 64),
            ("TEMPLATE", "T", 1), ("DEBUG", "", 128)]
        let allBits = 511
        var cache: [Int: Value] = [:]
        let cls = nativeClass("RegexFlag", module: "re", base: typeClasses["int"]!, methods: [:])
        func valueOf(_ i: Interpreter, _ v: Value) -> Int? {
            if case .obj(let o as PyInstance) = v, let b = o.payload as? BuiltinBase, case .int(let x) = b.value { return x }
            if case .int(let x) = v { return x }
            if case .bool(let x) = v { return x ? 1 : 0 }
            return nil
        }
        /// The member names in `v`, and the bits no member has (`re.IGNORECASE|0x400`); nil names: none at all.
        func name(_ v: Int) -> String? {
            if v == 0 { return "NOFLAG" }
            var names = members.filter { v & $0.2 != 0 }.map { $0.0 }
            let rest = v & ~allBits
            if names.isEmpty { return nil }
            if rest != 0 { names.append("0x" + String(rest, radix: 16)) }
            return names.joined(separator: "|")
        }
        func make(_ raw: Int) -> Value {
            // CPython's KEEP boundary: a negative value keeps its bits within the members' mask
            let v = raw >= 0 ? raw : max(allBits + 1, 1 << (Int.bitWidth - raw.leadingZeroBitCount)) + raw
            if let c = cache[v] { return c }
            let inst = PyInstance(cls)
            inst.payload = BuiltinBase(.int(v))
            let n: Value = name(v).map { .str($0) } ?? .none
            inst.dict["_value_"] = .int(v); inst.dict["value"] = .int(v)
            inst.dict["_name_"] = n; inst.dict["name"] = n
            if v <= allBits { cache[v] = .obj(inst) }
            return .obj(inst)
        }
        func repr(_ v: Int) -> String {
            guard let n = name(v) else { return "re.RegexFlag(\(v))" }
            return n.split(separator: "|").map { $0.first!.isNumber ? String($0) : "re." + $0 }.joined(separator: "|")
        }
        cls.native = { i, a, _ in
            try i.need(a, 1, "RegexFlag")
            guard let v = valueOf(i, a[0]) else { throw i.err("ValueError", "\(try i.repr(a[0])) is not a valid re.RegexFlag") }
            return make(v)
        }
        cls.dict["__repr__"] = .obj(PyBuiltin("__repr__") { i, a, _ in .str(repr(valueOf(i, a[0]) ?? 0)) })
        cls.dict["__str__"] = .obj(PyBuiltin("__str__") { i, a, _ in .str(repr(valueOf(i, a[0]) ?? 0)) })
        cls.dict["__format__"] = .obj(PyBuiltin("__format__") { i, a, _ in
            let v = valueOf(i, a[0]) ?? 0
            if a.count > 1, case .str(let s) = a[1], !s.s.isEmpty { return .str(try i.format(.int(v), s.s)) }
            return .str(repr(v))
        })
        for (op, f) in [("__or__", { (x: Int, y: Int) in x | y }), ("__and__", { $0 & $1 }), ("__xor__", { $0 ^ $1 })] {
            let rop = "__r" + op.dropFirst(2)
            for n in [op, rop] {
                cls.dict[n] = .obj(PyBuiltin(n) { i, a, _ in
                    try i.need(a, 2, n)
                    guard let x = valueOf(i, a[0]), let y = valueOf(i, a[1]) else { return .obj(notImplemented) }
                    return make(f(x, y))
                })
            }
        }
        cls.dict["__invert__"] = .obj(PyBuiltin("__invert__") { i, a, _ in make(~(valueOf(i, a[0]) ?? 0)) })
        cls.dict["__neg__"] = .obj(PyBuiltin("__neg__") { i, a, _ in try i.unary(.neg, .int(valueOf(i, a[0]) ?? 0)) })
        cls.dict["__pos__"] = .obj(PyBuiltin("__pos__") { i, a, _ in .int(valueOf(i, a[0]) ?? 0) })
        cls.dict["__abs__"] = .obj(PyBuiltin("__abs__") { i, a, _ in .int(abs(valueOf(i, a[0]) ?? 0)) })
        cls.dict["__contains__"] = .obj(PyBuiltin("__contains__") { i, a, _ in
            try i.need(a, 2, "__contains__")
            guard case .obj(let o as PyInstance) = a[1], o.cls === cls, let y = valueOf(i, a[1]) else {
                throw i.typeError("unsupported operand type(s) for 'in': '\(i.typeName(a[1]))' and 'RegexFlag'")
            }
            return .bool((valueOf(i, a[0]) ?? 0) & y == y)
        })
        cls.dict["__iter__"] = .obj(PyBuiltin("__iter__") { i, a, _ in
            let v = valueOf(i, a[0]) ?? 0
            return .obj(try i.getIter(.list(PyList(members.filter { v & $0.2 != 0 }.map { make($0.2) }))))
        })
        cls.dict["__len__"] = .obj(PyBuiltin("__len__") { i, a, _ in
            let v = valueOf(i, a[0]) ?? 0
            return .int(members.filter { v & $0.2 != 0 }.count)
        })
        cls.dict["__reduce__"] = .obj(PyBuiltin("__reduce__") { i, a, _ in
            .tuple(PyTuple([.obj(cls), .tuple(PyTuple([.int(valueOf(i, a[0]) ?? 0)]))]))
        })
        // a member is its own copy, as Enum's __copy__/__deepcopy__
        cls.dict["__copy__"] = .obj(PyBuiltin("__copy__") { _, a, _ in a[0] })
        cls.dict["__deepcopy__"] = .obj(PyBuiltin("__deepcopy__") { _, a, _ in a[0] })
        cls.dict["NOFLAG"] = make(0)
        m.set("NOFLAG", make(0))
        for (long, short, v) in members {
            cls.dict[long] = make(v)
            m.set(long, make(v))
            if !short.isEmpty { m.set(short, make(v)) }
        }
        m.set("RegexFlag", .obj(cls))
        return cls
    }

    func makeRe() -> PyModule {
        let m = PyModule(name: "re")
        _ = makeRegexFlagClass(m)
        m.fn("purge") { i, _, _ in i.regexCache.removeAll(); return .none }
        let errCls = PyClass(name: "error", bases: [excClass("Exception")], dict: [:])
        errCls.module = "re"
        excClasses["re.error"] = errCls
        m.set("error", .obj(errCls))
        func flagsOf(_ a: [Value], _ at: Int, _ kw: [(String, Value)]) throws -> Int {
            if a.count > at { return try intArg(a[at]) }
            if let f = kw.first(where: { $0.0 == "flags" }) { return try intArg(f.1) }
            return 0
        }
        matchClass = nativeClass("Match", module: "re", methods: [
            "group": { i, a, _ in try i.need(a, 1, "group");
                let p = try i.matchPayload(a[0])
                if a.count <= 1 { return p.group(0) }
                if a.count == 2 { return p.group(try i.groupIndex(p, a[1])) }
                return .tuple(PyTuple(try a.dropFirst().map { p.group(try i.groupIndex(p, $0)) }))
            },
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__"); let p = try i.matchPayload(a[0]); return p.group(try i.groupIndex(p, a[1])) },
            "groups": { i, a, _ in try i.need(a, 1, "groups");
                let p = try i.matchPayload(a[0])
                let def = a.count > 1 ? a[1] : .none
                return .tuple(PyTuple((1..<max(1, p.m.numberOfRanges)).map { let g = p.group($0); return g.isNone ? def : g }))
            },
            "groupdict": { i, a, _ in try i.need(a, 1, "groupdict");
                let p = try i.matchPayload(a[0])
                let d = PyDict()
                let pat = p.re.pattern
                var rest = Substring(pat)
                while let r = rest.range(of: "(?P<") {
                    rest = rest[r.upperBound...]
                    if let e = rest.firstIndex(of: ">") {
                        let name = String(rest[..<e])
                        let nr = p.m.range(withName: name)
                        d.set(.str(name), nr.location == NSNotFound ? .none : p.re.out(p.ns.substring(with: nr)))
                    }
                }
                return .dict(d)
            },
            "start": { i, a, _ in try i.need(a, 1, "start");
                let p = try i.matchPayload(a[0])
                let r = p.m.range(at: a.count > 1 ? try i.groupIndex(p, a[1]) : 0)
                return .int(r.location == NSNotFound ? -1 : p.cp(r.location))
            },
            "end": { i, a, _ in try i.need(a, 1, "end");
                let p = try i.matchPayload(a[0])
                let r = p.m.range(at: a.count > 1 ? try i.groupIndex(p, a[1]) : 0)
                return .int(r.location == NSNotFound ? -1 : p.cp(r.location + r.length))
            },
            "span": { i, a, _ in try i.need(a, 1, "span");
                let p = try i.matchPayload(a[0])
                let r = p.m.range(at: a.count > 1 ? try i.groupIndex(p, a[1]) : 0)
                if r.location == NSNotFound { return .tuple(PyTuple([.int(-1), .int(-1)])) }
                return .tuple(PyTuple([.int(p.cp(r.location)), .int(p.cp(r.location + r.length))]))
            },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                let p = try i.matchPayload(a[0])
                let r = p.m.range
                return .str("<re.Match object; span=(\(p.cp(r.location)), \(p.cp(r.location + r.length))), match=\(try i.repr(p.group(0)))>")
            },
            "__bool__": { _, _, _ in .bool(true) },
        ])
        func patternPayload(_ i: Interpreter, _ v: Value) throws -> RegexPayload {
            if case .obj(let o as PyInstance) = v, let r = o.payload as? RegexPayload { return r }
            throw i.typeError("expected a compiled pattern")
        }
        let patternClass = nativeClass("Pattern", module: "re", methods: [
            "match": { i, a, _ in try i.need(a, 2, "match"); let r = try patternPayload(i, a[0]); let s = try i.regexSubject(r, a[1]).s; return i.makeMatch(i.regexSearch(r, s, anchored: true, full: false, pos: a.count > 2 ? try i.intArg(a[2]) : 0), s, r, a[1]) },
            "search": { i, a, _ in try i.need(a, 2, "search"); let r = try patternPayload(i, a[0]); let s = try i.regexSubject(r, a[1]).s; return i.makeMatch(i.regexSearch(r, s, anchored: false, full: false, pos: a.count > 2 ? try i.intArg(a[2]) : 0), s, r, a[1]) },
            "fullmatch": { i, a, _ in try i.need(a, 2, "fullmatch"); let r = try patternPayload(i, a[0]); let s = try i.regexSubject(r, a[1]).s; return i.makeMatch(i.regexSearch(r, s, anchored: true, full: true), s, r, a[1]) },
            "findall": { i, a, _ in try i.need(a, 2, "findall"); let r = try patternPayload(i, a[0]); return .list(PyList(i.findallValues(r, try i.regexSubject(r, a[1])))) },
            "finditer": { i, a, _ in try i.need(a, 2, "finditer");
                let r = try patternPayload(i, a[0]); let s = try i.regexSubject(r, a[1]).s
                let ms = r.re.matches(in: s, range: NSRange(location: 0, length: (s as NSString).length)).map { i.makeMatch($0, s, r, a[1]) }
                return .obj(try i.getIter(.list(PyList(ms))))
            },
            "sub": { i, a, kw in try i.need(a, 1, "sub");
                let r = try patternPayload(i, a[0])
                let c = a.count > 3 ? try i.intArg(a[3]) : try i.intArg(kw.first { $0.0 == "count" }?.1 ?? .int(0))
                return try i.regexSub(r, a[1], try i.regexSubject(r, a[2]), count: c).0
            },
            "subn": { i, a, _ in try i.need(a, 3, "subn");
                let r = try patternPayload(i, a[0])
                let (s, n) = try i.regexSub(r, a[1], try i.regexSubject(r, a[2]), count: a.count > 3 ? try i.intArg(a[3]) : 0)
                return .tuple(PyTuple([s, .int(n)]))
            },
            "split": { i, a, kw in try i.need(a, 2, "split");
                let r = try patternPayload(i, a[0]); let s = try i.regexSubject(r, a[1])
                let maxsplit = a.count > 2 ? try i.intArg(a[2]) : try i.intArg(kw.first { $0.0 == "maxsplit" }?.1 ?? .int(0))
                return .list(PyList(i.regexSplit(r, s, maxsplit)))
            },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__"); let r = try patternPayload(i, a[0])
                // CPython's pattern_repr: the pattern's repr cut at 200 characters, then the flags other than UNICODE
                var text = String(try i.repr(r.patternValue).unicodeScalars.prefix(200))
                var flags = r.flags & ~32
                var names: [String] = []
                for (n, v) in [("TEMPLATE", 1), ("IGNORECASE", 2), ("LOCALE", 4), ("MULTILINE", 8), ("DOTALL", 16),
                               ("VERBOSE", 64), ("DEBUG", 128), ("ASCII", 256)] where flags & v != 0 {
                    names.append("re." + n); flags &= ~v
                }
                if flags != 0 { names.append("0x" + String(flags, radix: 16)) }
                if !names.isEmpty { text += ", " + names.joined(separator: "|") }
                return .str("re.compile(\(text))")
            },
        ])
        patternClass.dict["pattern"] = Value.none
        // exported as CPython's re.Pattern; the value codec rebuilds a sent pattern from its pattern and flags
        m.set("Pattern", .obj(patternClass))
        m.set("Match", .obj(matchClass!))
        m.fn("compile") { i, a, kw in try i.need(a, 1, "compile");
            let r = try i.compileRegex(a[0], try flagsOf(a, 1, kw))
            let inst = PyInstance(patternClass)
            inst.payload = r
            inst.dict["pattern"] = r.patternValue
            // a str pattern is matched as Unicode unless re.ASCII says otherwise: CPython's flags show re.UNICODE
            var flags = r.flags
            if case .str = a[0], flags & 256 == 0 { flags |= 32 }
            inst.dict["flags"] = .int(flags)
            return .obj(inst)
        }
        for name in ["match", "search", "fullmatch", "findall", "finditer"] {
            m.fn(name) { i, a, kw in
                try i.need(a, 2, name)
                let r = try i.compileRegex(a[0], try flagsOf(a, 2, kw))
                let inst = PyInstance(patternClass); inst.payload = r
                return try i.callBound(patternClass.dict[name]!, .obj(inst), [a[1]], [])
            }
        }
        m.fn("sub") { i, a, kw in
            try i.need(a, 3, "sub")
            let r = try i.compileRegex(a[0], try flagsOf(a, 4, kw))
            let c = a.count > 3 ? try i.intArg(a[3]) : try i.intArg(kw.first { $0.0 == "count" }?.1 ?? .int(0))
            return try i.regexSub(r, a[1], try i.regexSubject(r, a[2]), count: c).0
        }
        m.fn("subn") { i, a, kw in try i.need(a, 3, "subn");
            let r = try i.compileRegex(a[0], try flagsOf(a, 4, kw))
            let (s, n) = try i.regexSub(r, a[1], try i.regexSubject(r, a[2]), count: a.count > 3 ? try i.intArg(a[3]) : 0)
            return .tuple(PyTuple([s, .int(n)]))
        }
        m.fn("split") { i, a, kw in try i.need(a, 1, "split");
            let r = try i.compileRegex(a[0], try flagsOf(a, 3, kw))
            let maxsplit = a.count > 2 ? try i.intArg(a[2]) : try i.intArg(kw.first { $0.0 == "maxsplit" }?.1 ?? .int(0))
            return .list(PyList(i.regexSplit(r, try i.regexSubject(r, a[1]), maxsplit)))
        }
        m.fn("escape") { i, a, _ in try i.need(a, 1, "escape");
            // the characters special in a pattern, and only those (CPython 3.7's _special_chars_map)
            let special = Set("()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}".unicodeScalars)
            if case .obj(let b as PyBytes) = a[0] {
                var out: [UInt8] = []
                for x in b.b { if special.contains(Unicode.Scalar(x)) { out.append(92) }; out.append(x) }
                return .obj(PyBytes(out))
            }
            let s = try i.strArg(a[0], "escape")
            var out = String.UnicodeScalarView()
            for c in s.unicodeScalars { if special.contains(c) { out.append("\\") }; out.append(c) }
            return .str(String(out))
        }
        return m
    }


    // MARK: logging

    func makeLogging() throws -> PyModule {
        let m = PyModule(name: "logging")
        let levels: [(String, Int)] = [("CRITICAL", 50), ("FATAL", 50), ("ERROR", 40), ("WARNING", 30), ("WARN", 30), ("INFO", 20), ("DEBUG", 10), ("NOTSET", 0)]
        for (n, v) in levels { m.set(n, .int(v)) }
        func levelName(_ l: Int) -> String {
            switch l { case 50: return "CRITICAL"; case 40: return "ERROR"; case 30: return "WARNING"; case 20: return "INFO"; case 10: return "DEBUG"; case 0: return "NOTSET"; default: return "Level \(l)" }
        }
        func levelValue(_ i: Interpreter, _ v: Value) throws -> Int {
            if case .str(let s) = v {
                guard let l = levels.first(where: { $0.0 == s.s.uppercased() }) else { throw i.err("ValueError", "Unknown level: \(strRepr(s.s))") }
                return l.1
            }
            return try i.intArg(v)
        }
        let formatterClass = nativeClass("Formatter", module: "logging", methods: [
            "__init__": { _, a, kw in
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                inst.dict["_fmt"] = a.count > 1 ? a[1] : (kw.first { $0.0 == "fmt" }?.1 ?? .str("%(message)s"))
                inst.dict["datefmt"] = a.count > 2 ? a[2] : (kw.first { $0.0 == "datefmt" }?.1 ?? .none)
                return .none
            },
        ])
        m.set("Formatter", .obj(formatterClass))
        let handlerClass = nativeClass("StreamHandler", module: "logging", methods: [
            "__init__": { i, a, kw in try i.need(a, 1, "__init__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                inst.dict["stream"] = a.count > 1 ? a[1] : (kw.first { $0.0 == "stream" }?.1 ?? .obj(i.errf))
                inst.dict["level"] = .int(0)
                inst.dict["formatter"] = Value.none
                return .none
            },
            "setFormatter": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0] { inst.dict["formatter"] = a[1] }
                return .none
            },
            "setLevel": { i, a, _ in try i.need(a, 2, "setLevel");
                if case .obj(let inst as PyInstance) = a[0] { inst.dict["level"] = .int(try levelValue(i, a[1])) }
                return .none
            },
            "flush": { _, _, _ in .none },
            "close": { _, _, _ in .none },
        ])
        m.set("StreamHandler", .obj(handlerClass))
        m.set("Handler", .obj(handlerClass))
        let fileHandlerClass = PyClass(name: "FileHandler", bases: [handlerClass], dict: [
            "__init__": .obj(PyBuiltin("__init__") { i, a, kw in try i.need(a, 1, "__init__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                var mode: Value = .str("a")
                if a.count > 2 { mode = a[2] } else if let mm = kw.first(where: { $0.0 == "mode" }) { mode = mm.1 }
                inst.dict["stream"] = try i.openFile([a[1], mode], [])
                inst.dict["level"] = .int(0)
                inst.dict["formatter"] = Value.none
                return .none
            }),
        ])
        fileHandlerClass.module = "logging"
        m.set("FileHandler", .obj(fileHandlerClass))
        let loggers = PyDict()
        var loggerClass: PyClass! = nil
        func getLogger(_ name: String) -> Value {
            if let l = loggers.get(.str(name)) { return l }
            let inst = PyInstance(loggerClass)
            inst.dict["name"] = .str(name)
            inst.dict["level"] = .int(name == "root" ? 30 : 0)
            inst.dict["handlers"] = .list(PyList([]))
            inst.dict["propagate"] = .bool(true)
            inst.dict["disabled"] = .bool(false)
            loggers.set(.str(name), .obj(inst))
            return .obj(inst)
        }
        func effectiveLevel(_ l: PyInstance) -> Int {
            var cur: PyInstance? = l
            while let c = cur {
                if case .int(let lv)? = c.dict["level"], lv != 0 { return lv }
                guard case .str(let n)? = c.dict["name"], n != "root" else { break }
                if let dot = n.s.range(of: ".", options: .backwards), case .obj(let p as PyInstance) = getLogger(String(n.s[..<dot.lowerBound])) { cur = p }
                else if case .obj(let r as PyInstance) = getLogger("root") { cur = r } else { break }
            }
            return 30
        }
        func formatRecord(_ i: Interpreter, _ fmtr: Value, _ rec: PyDict) throws -> String {
            var fmt = "%(levelname)s:%(name)s:%(message)s"
            var datefmt: String? = nil
            if case .obj(let f as PyInstance) = fmtr {
                if case .str(let s)? = f.dict["_fmt"] { fmt = s.s }
                if case .str(let d)? = f.dict["datefmt"] { datefmt = d.s }
                if f.cls.lookup("format") != nil, !(f.cls.lookup("format").map { if case .obj(let o) = $0 { return o is PyBuiltin }; return false } ?? true) {
                    return try i.str(try i.callMethod(fmtr, "format", [.dict(rec)], []))
                }
            }
            if fmt.contains("asctime") {
                let now = clockNanos()
                var t = time_t(now / 1_000_000_000)
                var tmv = tm()
                localtime_r(&t, &tmv)
                var buf = [Int8](repeating: 0, count: 128)
                let n = strftime(&buf, 128, datefmt ?? "%Y-%m-%d %H:%M:%S", &tmv)
                var s = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if datefmt == nil { s += String(format: ",%03d", Int((now / 1_000_000) % 1000)) }
                rec.set(.str("asctime"), .str(s))
            }
            return try i.percentFormat(fmt, .dict(rec))
        }
        func log(_ i: Interpreter, _ loggerV: Value, _ level: Int, _ a: [Value], _ kw: [(String, Value)]) throws {
            guard case .obj(let lg as PyInstance) = loggerV else { return }
            if level < effectiveLevel(lg) { return }
            var msg = try i.str(a.first ?? .str(""))
            if a.count > 1 {
                let args: Value = a.count == 2 && { if case .dict = a[1] { return true }; return false }() ? a[1] : .tuple(PyTuple(Array(a.dropFirst())))
                msg = try i.percentFormat(msg, args)
            }
            if let ei = kw.first(where: { $0.0 == "exc_info" }), try i.truthy(ei.1), let h = i.handling {
                msg += "\n" + i.formatTraceback(h).trimmingTrailing()
            }
            let rec = PyDict()
            rec.set(.str("message"), .str(msg))
            rec.set(.str("msg"), .str(msg))
            rec.set(.str("levelname"), .str(levelName(level)))
            rec.set(.str("levelno"), .int(level))
            rec.set(.str("name"), lg.dict["name"] ?? .str("root"))
            rec.set(.str("process"), .int(Int(getpid())))
            // as CPython's LogRecord: the current process's name when multiprocessing is imported
            var processName = Value.str("MainProcess")
            if let mp = i.modules["multiprocessing"], let cp = try? i.getAttr(mp, "current_process"),
               let p = try? i.call(cp, [], []), let n = try? i.getAttr(p, "name") {
                processName = n
            }
            rec.set(.str("processName"), processName)
            rec.set(.str("thread"), .int(1))
            rec.set(.str("threadName"), .str("MainThread"))
            rec.set(.str("funcName"), .str("<module>"))
            rec.set(.str("lineno"), .int(0))
            rec.set(.str("module"), .str("__main__"))
            rec.set(.str("filename"), .str(i.mainFile))
            rec.set(.str("pathname"), .str(i.mainFile))
            rec.set(.str("created"), .float(Double(clockNanos()) / 1e9))
            rec.set(.str("relativeCreated"), .float(0))
            rec.set(.str("msecs"), .float(Double((clockNanos() / 1_000_000) % 1000)))
            var cur: PyInstance? = lg
            var handled = false
            while let c = cur {
                if case .list(let hs)? = c.dict["handlers"] {
                    for h in hs.items {
                        guard case .obj(let hi as PyInstance) = h else { continue }
                        if case .int(let hl)? = hi.dict["level"], level < hl { continue }
                        if hi.dict["stream"] == nil, hi.cls.lookup("emit") != nil {
                            _ = try i.callMethod(h, "emit", [.dict(rec)], []); handled = true; continue
                        }
                        let text = try formatRecord(i, hi.dict["formatter"] ?? .none, rec)
                        _ = try i.callMethod(hi.dict["stream"] ?? .obj(i.errf), "write", [.str(text + "\n")], [])
                        handled = true
                    }
                }
                if case .bool(false)? = c.dict["propagate"] { break }
                guard case .str(let n)? = c.dict["name"], n != "root" else { break }
                if let dot = n.s.range(of: ".", options: .backwards), case .obj(let p as PyInstance) = getLogger(String(n.s[..<dot.lowerBound])) { cur = p }
                else if case .obj(let r as PyInstance) = getLogger("root") { cur = r } else { break }
            }
            if !handled && level >= 30 {
                try i.fileWrite(i.errf, msg + "\n")
            }
        }
        var methods: [String: NativeFn] = [
            "setLevel": { i, a, _ in try i.need(a, 2, "setLevel");
                if case .obj(let inst as PyInstance) = a[0] { inst.dict["level"] = .int(try levelValue(i, a[1])) }
                return .none
            },
            "addHandler": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0], case .list(let hs)? = inst.dict["handlers"] { hs.items.append(a[1]) }
                return .none
            },
            "removeHandler": { i, a, _ in try i.need(a, 2, "removeHandler");
                if case .obj(let inst as PyInstance) = a[0], case .list(let hs)? = inst.dict["handlers"] {
                    hs.items.removeAll { i.identical($0, a[1]) }
                }
                return .none
            },
            "hasHandlers": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0], case .list(let hs)? = inst.dict["handlers"] { return .bool(!hs.items.isEmpty) }
                return .bool(false)
            },
            "getEffectiveLevel": { _, a, _ in
                if case .obj(let inst as PyInstance) = a[0] { return .int(effectiveLevel(inst)) }
                return .int(30)
            },
            "isEnabledFor": { i, a, _ in try i.need(a, 2, "isEnabledFor");
                if case .obj(let inst as PyInstance) = a[0] { return .bool(try i.intArg(a[1]) >= effectiveLevel(inst)) }
                return .bool(false)
            },
            "log": { i, a, kw in try i.need(a, 2, "log"); try log(i, a[0], try levelValue(i, a[1]), Array(a.dropFirst(2)), kw); return .none },
            "exception": { i, a, kw in try i.need(a, 1, "exception"); try log(i, a[0], 40, Array(a.dropFirst()), kw + [("exc_info", .bool(true))]); return .none },
        ]
        for (n, l) in [("debug", 10), ("info", 20), ("warning", 30), ("warn", 30), ("error", 40), ("critical", 50), ("fatal", 50)] {
            methods[n] = { i, a, kw in try i.need(a, 1, "function"); try log(i, a[0], l, Array(a.dropFirst()), kw); return .none }
        }
        loggerClass = nativeClass("Logger", module: "logging", methods: methods)
        m.set("Logger", .obj(loggerClass))
        m.fn("getLogger") { _, a, kw in
            var name = "root"
            if case .str(let n)? = a.first ?? kw.first(where: { $0.0 == "name" })?.1 { name = n.isEmpty ? "root" : n.s }
            return getLogger(name)
        }
        m.fn("basicConfig") { i, a, kw in
            guard case .obj(let root as PyInstance) = getLogger("root"), case .list(let hs)? = root.dict["handlers"] else { return .none }
            let force = try kw.first { $0.0 == "force" }.map { try i.truthy($0.1) } ?? false
            if !hs.items.isEmpty && !force { return .none }
            if force { hs.items = [] }
            if let lv = kw.first(where: { $0.0 == "level" }) { root.dict["level"] = .int(try levelValue(i, lv.1)) }
            var stream: Value = .obj(i.errf)
            if let s = kw.first(where: { $0.0 == "stream" }) { stream = s.1 }
            if let fnm = kw.first(where: { $0.0 == "filename" }) {
                let mode = kw.first { $0.0 == "filemode" }?.1 ?? .str("a")
                stream = try i.openFile([fnm.1, mode], [])
            }
            let h = PyInstance(handlerClass)
            h.dict["stream"] = stream
            h.dict["level"] = .int(0)
            let f = PyInstance(formatterClass)
            f.dict["_fmt"] = kw.first { $0.0 == "format" }?.1 ?? .str("%(levelname)s:%(name)s:%(message)s")
            f.dict["datefmt"] = kw.first { $0.0 == "datefmt" }?.1 ?? Value.none
            h.dict["formatter"] = .obj(f)
            hs.items.append(.obj(h))
            return .none
        }
        for (n, l) in [("debug", 10), ("info", 20), ("warning", 30), ("warn", 30), ("error", 40), ("critical", 50)] {
            m.fn(n) { i, a, kw in
                guard case .obj(let root as PyInstance) = getLogger("root"), case .list(let hs)? = root.dict["handlers"] else { return .none }
                if hs.items.isEmpty { _ = try i.call(m.get("basicConfig")!, [], []) }
                try log(i, .obj(root), l, a, kw)
                return .none
            }
        }
        m.fn("exception") { i, a, kw in
            guard case .obj(let root as PyInstance) = getLogger("root") else { return .none }
            try log(i, .obj(root), 40, a, kw + [("exc_info", .bool(true))]); return .none
        }
        m.fn("getLevelName") { _, a, _ in
            if case .int(let l) = a[0] { return .str(levelName(l)) }
            if case .str(let s) = a[0], let l = levels.first(where: { s == $0.0 }) { return .int(l.1) }
            return .str("Level \(a[0])")
        }
        m.fn("disable") { _, _, _ in .none }
        return m
    }

    // MARK: urllib.parse

    func makeUrlParse() -> PyModule {
        let m = PyModule(name: "urllib.parse")
        let fields = ["scheme", "netloc", "path", "params", "query", "fragment"]
        let prClass = nativeClass("ParseResult", module: "urllib.parse", methods: [
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .str("") }
                return .str("ParseResult(" + (try fields.map { "\($0)=\(try i.repr(inst.dict[$0] ?? .str("")))" }).joined(separator: ", ") + ")")
            },
            "geturl": { i, a, _ in try i.need(a, 1, "geturl");
                guard case .obj(let inst as PyInstance) = a[0] else { return .str("") }
                func f(_ n: String) -> String { if case .str(let s)? = inst.dict[n] { return s.s }; return "" }
                var u = ""
                if !f("scheme").isEmpty { u += f("scheme") + ":" }
                if !f("netloc").isEmpty { u += "//" + f("netloc") }
                u += f("path")
                if !f("params").isEmpty { u += ";" + f("params") }
                if !f("query").isEmpty { u += "?" + f("query") }
                if !f("fragment").isEmpty { u += "#" + f("fragment") }
                _ = i
                return .str(u)
            },
            "__iter__": { i, a, _ in try i.need(a, 1, "__iter__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                return .obj(try i.getIter(.tuple(PyTuple(fields.map { inst.dict[$0] ?? .str("") }))))
            },
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                return try i.getItem(.tuple(PyTuple(fields.map { inst.dict[$0] ?? .str("") })), a[1])
            },
        ])
        func parse(_ url: String) -> PyInstance {
            var rest = Substring(url)
            var scheme = "", netloc = "", params = "", query = "", fragment = ""
            if let c = rest.firstIndex(of: ":"), rest[..<c].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }), !rest[..<c].isEmpty, rest[..<c].first!.isLetter {
                scheme = rest[..<c].lowercased(); rest = rest[rest.index(after: c)...]
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
                netloc = String(rest[..<end]); rest = rest[end...]
            }
            if let h = rest.firstIndex(of: "#") { fragment = String(rest[rest.index(after: h)...]); rest = rest[..<h] }
            if let q = rest.firstIndex(of: "?") { query = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
            if let sc = rest.lastIndex(of: ";"), !rest[sc...].contains("/") { params = String(rest[rest.index(after: sc)...]); rest = rest[..<sc] }
            let inst = PyInstance(prClass)
            for (k, v) in zip(fields, [scheme, netloc, String(rest), params, query, fragment]) { inst.dict[k] = .str(v) }
            let host = netloc.split(separator: "@").last.map { String($0) } ?? ""
            let hostOnly = host.split(separator: ":").first.map { String($0).lowercased() }
            inst.dict["hostname"] = hostOnly.map { .str($0) } ?? Value.none
            if let p = host.split(separator: ":").dropFirst().first, let n = Int(p) { inst.dict["port"] = .int(n) } else { inst.dict["port"] = Value.none }
            return inst
        }
        m.fn("urlparse") { i, a, _ in try i.need(a, 1, "urlparse"); return .obj(parse(try i.strArg(a[0], "urlparse"))) }
        m.fn("urljoin") { i, a, _ in try i.need(a, 2, "urljoin");
            let base = try i.strArg(a[0], "urljoin"), ref = try i.strArg(a[1], "urljoin")
            if ref.isEmpty { return .str(base) }
            if let u = URL(string: ref, relativeTo: URL(string: base)) { return .str(u.absoluteString) }
            return .str(ref)
        }
        m.fn("quote") { i, a, _ in try i.need(a, 1, "quote");
            let s = try i.strArg(a[0], "quote")
            var safe = "/"
            if a.count > 1, case .str(let sf) = a[1] { safe = sf.s }
            var out = ""
            for b in s.utf8 {
                let c = Character(UnicodeScalar(b))
                if (c.isASCII && (c.isLetter || c.isNumber)) || "_.-~".contains(c) || safe.contains(c) { out.append(c) }
                else { out += String(format: "%%%02X", b) }
            }
            return .str(out)
        }
        m.fn("unquote") { i, a, _ in try i.need(a, 1, "unquote"); return .str(try i.strArg(a[0], "unquote").removingPercentEncoding ?? "") }
        m.fn("urlencode") { i, a, _ in try i.need(a, 1, "urlencode");
            guard case .dict(let d) = a[0] else { throw i.typeError("not a valid non-string sequence or mapping object") }
            return .str(try d.items.map { try i.str($0.0) + "=" + (try i.str($0.1)).replacingOccurrences(of: " ", with: "+") }.joined(separator: "&"))
        }
        m.fn("parse_qs") { i, a, _ in try i.need(a, 1, "parse_qs");
            let d = PyDict()
            for pair in try i.strArg(a[0], "parse_qs").split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                guard kv.count == 2 else { continue }
                if case .list(let l)? = d.get(.str(kv[0])) { l.items.append(.str(kv[1])) } else { d.set(.str(kv[0]), .list(PyList([.str(kv[1])]))) }
            }
            return .dict(d)
        }
        return m
    }

    // MARK: collections

    func makeCollections() -> PyModule {
        let m = PyModule(name: "collections")
        let ddClass = nativeClass("defaultdict", module: "collections", methods: [
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                return try p.get(i, a[1])
            },
            "__setitem__": { i, a, _ in try i.need(a, 3, "__setitem__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                try i.checkHashable(a[1]); p.d.set(a[1], a[2]); return .none
            },
            "__delitem__": { i, a, _ in try i.need(a, 2, "__delitem__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                if p.d.remove(a[1]) == nil { throw i.errValue("KeyError", a[1]) }
                return .none
            },
            "__contains__": { _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .bool(false) }
                return .bool(p.d.get(a[1]) != nil)
            },
            "__len__": { _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .int(0) }
                return .int(p.d.count)
            },
            "__iter__": { i, a, _ in try i.need(a, 1, "__iter__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                return .obj(try i.getIter(.dict(p.d)))
            },
            "__eq__": { i, a, _ in try i.need(a, 2, "__eq__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .bool(false) }
                if case .obj(let o as PyInstance) = a[1], let q = o.payload as? DefaultDictPayload { return .bool(try i.eq(.dict(p.d), .dict(q.d))) }
                return .bool(try i.eq(.dict(p.d), a[1]))
            },
        ])
        // every other dict method forwards to the underlying dict
        for name in dictMethods {
            ddClass.dict[name] = .obj(PyBuiltin(name) { i, a, kw in try i.need(a, 1, "function");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                return try i.dictMethod(p.d, name, Array(a.dropFirst()), kw)
            })
        }
        ddClass.native = { i, a, kw in
            let inst = PyInstance(ddClass)
            let d = PyDict()
            if a.count > 1 { try i.dictUpdate(d, a[1]) }
            for (k, v) in kw { d.set(.str(k), v) }
            inst.payload = DefaultDictPayload(d, a.first ?? .none)
            return .obj(inst)
        }
        m.set("defaultdict", .obj(ddClass))
        m.set("OrderedDict", builtins["dict"]!)
        m.set("Counter", .obj(makeCounterClass(ddClass)))
        m.fn("namedtuple") { i, a, kw in try i.need(a, 2, "namedtuple");
            let name = try i.strArg(a[0], "namedtuple")
            var fields: [String] = []
            if case .str(let s) = a[1] { fields = s.s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init) }
            else { fields = try i.toArray(a[1]).map { try i.strArg($0, "namedtuple") } }
            let cls = PyClass(name: name, bases: [i.objectClass], dict: [:])
            cls.module = "__main__"
            cls.dict["_fields"] = .tuple(PyTuple(fields.map { .str($0) }))
            let fieldsCopy = fields
            cls.dict["__init__"] = .obj(PyBuiltin("__init__") { i, b, kw in try i.need(b, 1, "__init__");
                guard case .obj(let inst as PyInstance) = b[0] else { return .none }
                let vals = Array(b.dropFirst())
                if vals.count > fieldsCopy.count { throw i.typeError("\(name).__new__() takes \(fieldsCopy.count + 1) positional arguments but \(vals.count + 1) were given") }
                for (k, f) in fieldsCopy.enumerated() {
                    if k < vals.count { inst.dict[f] = vals[k] }
                    else if let v = kw.first(where: { $0.0 == f }) { inst.dict[f] = v.1 }
                    else { throw i.typeError("\(name).__new__() missing 1 required positional argument: '\(f)'") }
                }
                return .none
            })
            func tupleOf(_ v: Value) -> [Value] {
                guard case .obj(let inst as PyInstance) = v else { return [] }
                return fieldsCopy.map { inst.dict[$0] ?? Value.none }
            }
            cls.dict["__repr__"] = .obj(PyBuiltin("__repr__") { i, b, _ in try i.need(b, 1, "__repr__"); return
                .str(name + "(" + (try zip(fieldsCopy, tupleOf(b[0])).map { "\($0.0)=\(try i.repr($0.1))" }).joined(separator: ", ") + ")")
            })
            cls.dict["__iter__"] = .obj(PyBuiltin("__iter__") { i, b, _ in try i.need(b, 1, "__iter__"); return .obj(try i.getIter(.tuple(PyTuple(tupleOf(b[0]))))) })
            cls.dict["__getitem__"] = .obj(PyBuiltin("__getitem__") { i, b, _ in try i.need(b, 2, "__getitem__"); return try i.getItem(.tuple(PyTuple(tupleOf(b[0]))), b[1]) })
            cls.dict["__len__"] = .obj(PyBuiltin("__len__") { _, _, _ in .int(fieldsCopy.count) })
            cls.dict["__eq__"] = .obj(PyBuiltin("__eq__") { i, b, _ in try i.need(b, 2, "__eq__");
                // two of this class: field by field, stopping at the first difference
                if case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1], y.cls === cls {
                    if x === y { return .bool(true) }
                    for f in fieldsCopy where !(try i.eq(x.dict[f] ?? .none, y.dict[f] ?? .none)) { return .bool(false) }
                    return .bool(true)
                }
                let other: Value
                if case .obj(let o as PyInstance) = b[1], o.cls === cls { other = .tuple(PyTuple(tupleOf(b[1]))) } else { other = b[1] }
                return .bool(try i.eq(.tuple(PyTuple(tupleOf(b[0]))), other))
            })
            // A namedtuple is immutable, and its hash (a tuple of its fields, nested ones included) is asked for
            // at every dict lookup where it is a key: computed once and kept with the instance (pyperformance mdp,
            // whose states are namedtuple keys, spent most of its time rehashing them).
            cls.dict["__hash__"] = .obj(PyBuiltin("__hash__") { i, b, _ in
                if case .obj(let inst as PyInstance) = b[0], let cached = inst.payload as? NamedTupleHash { return .int(cached.hash) }
                let t = Value.tuple(PyTuple(tupleOf(b[0])))
                // a list inside, nested namedtuples included: CPython's TypeError (once: the hash is kept)
                if case .tuple(let items) = t { for x in items.items { _ = try i.hashValue(x) } }
                let h = t.hashValue
                guard case .obj(let inst as PyInstance) = b[0] else { return .int(h) }
                if inst.payload == nil { inst.payload = NamedTupleHash(h) }
                return .int(h)
            })
            // the tuple operations (a namedtuple is a tuple in CPython): ordering against tuples and namedtuples,
            // +, *, in, count, index; NotImplemented for anything else, so that the other side can answer
            func asTuple(_ v: Value) -> Value? {
                if case .tuple = v { return v }
                if case .obj(let o as PyInstance) = v, o.cls.lookup("_fields") != nil, o.cls.lookup("_asdict") != nil,
                   case .tuple(let f)? = o.cls.lookup("_fields") {
                    return .tuple(PyTuple(f.items.map { if case .str(let n) = $0 { return o.dict[n.s] ?? .none }; return .none }))
                }
                return nil
            }
            for (op, sym, swap, orEqual) in [("__lt__", "<", false, false), ("__le__", "<=", false, true),
                                             ("__gt__", ">", true, false), ("__ge__", ">=", true, true)] {
                cls.dict[op] = .obj(PyBuiltin(op) { i, b, _ in try i.need(b, 2, op)
                    guard let x = asTuple(b[0]), let y = asTuple(b[1]) else { return .obj(notImplemented) }
                    let (l, r) = swap ? (y, x) : (x, y)
                    if try i.less(l, r, sym) { return .bool(true) }
                    return .bool(orEqual ? try i.eq(l, r) : false)
                })
            }
            cls.dict["__add__"] = .obj(PyBuiltin("__add__") { i, b, _ in try i.need(b, 2, "__add__")
                guard let x = asTuple(b[0]), let y = asTuple(b[1]) else { return .obj(notImplemented) }
                return try i.binop(.add, x, y)
            })
            cls.dict["__radd__"] = .obj(PyBuiltin("__radd__") { i, b, _ in try i.need(b, 2, "__radd__")
                guard let x = asTuple(b[0]), let y = asTuple(b[1]) else { return .obj(notImplemented) }
                return try i.binop(.add, y, x)
            })
            for op in ["__mul__", "__rmul__"] {
                cls.dict[op] = .obj(PyBuiltin(op) { i, b, _ in try i.need(b, 2, op)
                    guard let x = asTuple(b[0]), i.isIntLike(b[1]) else { return .obj(notImplemented) }
                    return try i.binop(.mul, x, b[1])
                })
            }
            cls.dict["__contains__"] = .obj(PyBuiltin("__contains__") { i, b, _ in try i.need(b, 2, "__contains__")
                return .bool(try tupleOf(b[0]).contains { try i.eq($0, b[1]) })
            })
            cls.dict["count"] = .obj(PyBuiltin("count") { i, b, _ in try i.need(b, 2, "count")
                return .int(try tupleOf(b[0]).filter { try i.eq($0, b[1]) }.count)
            })
            cls.dict["index"] = .obj(PyBuiltin("index") { i, b, _ in try i.need(b, 2, "index")
                guard let k = try tupleOf(b[0]).firstIndex(where: { try i.eq($0, b[1]) }) else {
                    throw i.err("ValueError", "tuple.index(x): x not in tuple")
                }
                return .int(k)
            })
            cls.dict["_asdict"] = .obj(PyBuiltin("_asdict") { _, b, _ in
                let d = PyDict(); for (f, v) in zip(fieldsCopy, tupleOf(b[0])) { d.set(.str(f), v) }; return .dict(d)
            })
            cls.dict["_replace"] = .obj(PyBuiltin("_replace") { i, b, kw in try i.need(b, 1, "_replace");
                var vals = tupleOf(b[0])
                for (k, v) in kw { if let idx = fieldsCopy.firstIndex(of: k) { vals[idx] = v } }
                return try i.call(.obj(cls), vals, [])
            })
            _ = kw
            return .obj(cls)
        }
        let dequeClass = nativeClass("deque", module: "collections", methods: [:])
        dequeClass.native = { i, a, kw in
            // a deque is a list with the deque methods; printed as deque([...])
            let inst = PyInstance(dequeClass)
            let l = PyList(a.isEmpty ? [] : try i.toArray(a[0]))
            inst.dict["_items"] = .list(l)
            if let ml = kw.first(where: { $0.0 == "maxlen" })?.1 ?? (a.count > 1 ? a[1] : nil) { inst.dict["maxlen"] = ml } else { inst.dict["maxlen"] = Value.none }
            return .obj(inst)
        }
        func items(_ v: Value) -> PyList {
            if case .obj(let inst as PyInstance) = v, case .list(let l)? = inst.dict["_items"] { return l }
            return PyList([])
        }
        func trim(_ i: Interpreter, _ v: Value, front: Bool) {
            guard case .obj(let inst as PyInstance) = v, case .int(let ml)? = inst.dict["maxlen"] else { return }
            let l = items(v)
            while l.items.count > ml { if front { l.items.removeFirst() } else { l.items.removeLast() } }
        }
        let dq: [String: NativeFn] = [
            "append": { i, a, _ in try i.need(a, 2, "append"); items(a[0]).items.append(a[1]); trim(i, a[0], front: true); return .none },
            "appendleft": { i, a, _ in try i.need(a, 2, "appendleft"); items(a[0]).items.insert(a[1], at: 0); trim(i, a[0], front: false); return .none },
            "pop": { i, a, _ in try i.need(a, 1, "pop");
                let l = items(a[0]); if l.items.isEmpty { throw i.err("IndexError", "pop from an empty deque") }
                return l.items.removeLast()
            },
            "popleft": { i, a, _ in try i.need(a, 1, "popleft");
                let l = items(a[0]); if l.items.isEmpty { throw i.err("IndexError", "pop from an empty deque") }
                return l.items.removeFirst()
            },
            "extend": { i, a, _ in try i.need(a, 2, "extend"); items(a[0]).items += try i.toArray(a[1]); trim(i, a[0], front: true); return .none },
            "extendleft": { i, a, _ in try i.need(a, 2, "extendleft"); for x in try i.toArray(a[1]) { items(a[0]).items.insert(x, at: 0) }; return .none },
            "clear": { _, a, _ in items(a[0]).items.removeAll(); return .none },
            "rotate": { i, a, _ in try i.need(a, 1, "rotate");
                let l = items(a[0]); let n = l.items.count
                if n == 0 { return .none }
                let k = ((a.count > 1 ? try i.intArg(a[1]) : 1) % n + n) % n
                l.items = Array(l.items[(n - k)...] + l.items[..<(n - k)])
                return .none
            },
            "__len__": { _, a, _ in .int(items(a[0]).items.count) },
            "__iter__": { i, a, _ in try i.need(a, 1, "__iter__"); return .obj(try i.getIter(.list(items(a[0])))) },
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__"); return try i.getItem(.list(items(a[0])), a[1]) },
            "__setitem__": { i, a, _ in try i.need(a, 3, "__setitem__"); try i.setItem(.list(items(a[0])), a[1], a[2]); return .none },
            "__contains__": { i, a, _ in try i.need(a, 2, "__contains__"); return .bool(try i.contains(.list(items(a[0])), a[1])) },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                var s = "deque(" + (try i.repr(.list(items(a[0]))))
                if case .obj(let inst as PyInstance) = a[0], case .int(let ml)? = inst.dict["maxlen"] { s += ", maxlen=\(ml)" }
                return .str(s + ")")
            },
            "__eq__": { i, a, _ in try i.need(a, 2, "__eq__"); return .bool(try i.eq(.list(items(a[0])), .list(items(a[1])))) },
            "count": { i, a, _ in try i.need(a, 2, "count"); return try i.listMethod(items(a[0]), "count", [a[1]], []) },
            "remove": { i, a, _ in try i.need(a, 2, "remove"); return try i.listMethod(items(a[0]), "remove", [a[1]], []) },
            "index": { i, a, _ in try i.need(a, 2, "index"); return try i.listMethod(items(a[0]), "index", [a[1]], []) },
            "reverse": { _, a, _ in items(a[0]).items.reverse(); return .none },
            "copy": { i, a, _ in try i.need(a, 1, "copy"); return try i.call(.obj(dequeClass), [.list(items(a[0]))], []) },
        ]
        for (k, f) in dq { dequeClass.dict[k] = .obj(PyBuiltin(k, f)) }
        m.set("deque", .obj(dequeClass))
        return m
    }
}

extension Interpreter {
    /// `collections.Counter`: a dict of counts (missing keys count 0) with `most_common`, `update`, `elements`
    /// and `total`. Mirrors CPython's `Lib/collections/__init__.py` Counter (without the multiset operators).
    func makeCounterClass(_ dd: PyClass) -> PyClass {
        func payload(_ v: Value) -> PyDict {
            if case .obj(let i as PyInstance) = v, let p = i.payload as? DefaultDictPayload { return p.d }
            return PyDict()
        }
        func add(_ i: Interpreter, _ d: PyDict, _ src: Value, _ sign: Int) throws {
            if case .dict(let m) = src {
                for (k, v) in m.items { d.set(k, try i.binop(sign > 0 ? .add : .sub, d.get(k) ?? .int(0), v)) }
                return
            }
            if case .obj(let o as PyInstance) = src, let p = o.payload as? DefaultDictPayload {
                for (k, v) in p.d.items { d.set(k, try i.binop(sign > 0 ? .add : .sub, d.get(k) ?? .int(0), v)) }
                return
            }
            try i.iterate(src) { x in
                try i.checkHashable(x)
                d.set(x, try i.binop(.add, d.get(x) ?? .int(0), .int(sign)))
                return true
            }
        }
        func ordered(_ i: Interpreter, _ d: PyDict) throws -> [(Value, Value)] {
            var items = d.items
            var idx = Array(0..<items.count)
            idx = try i.mergeSort(idx) { a, b in try i.less(items[b].1, items[a].1, "<") }
            items = idx.map { items[$0] }
            return items
        }
        let c = nativeClass("Counter", module: "collections", base: dd, methods: [
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__");
                let d = payload(a[0])
                try i.checkHashable(a[1])
                return d.get(a[1]) ?? .int(0)
            },
            "most_common": { i, a, _ in try i.need(a, 1, "most_common");
                var items = try ordered(i, payload(a[0]))
                if a.count > 1, !a[1].isNone { items = Array(items.prefix(max(0, try i.intArg(a[1])))) }
                return .list(PyList(items.map { .tuple(PyTuple([$0.0, $0.1])) }))
            },
            "update": { i, a, kw in try i.need(a, 1, "update");
                let d = payload(a[0])
                if a.count > 1 { try add(i, d, a[1], 1) }
                for (k, v) in kw { d.set(.str(k), try i.binop(.add, d.get(.str(k)) ?? .int(0), v)) }
                return .none
            },
            "subtract": { i, a, _ in
                if a.count > 1 { try add(i, payload(a[0]), a[1], -1) }
                return .none
            },
            "elements": { i, a, _ in try i.need(a, 1, "elements");
                var out: [Value] = []
                for (k, v) in payload(a[0]).items { for _ in 0..<max(0, (try? i.intArg(v)) ?? 0) { out.append(k) } }
                return .obj(try i.getIter(.list(PyList(out))))
            },
            "total": { i, a, _ in try i.need(a, 1, "total");
                var t: Value = .int(0)
                for (_, v) in payload(a[0]).items { t = try i.binop(.add, t, v) }
                return t
            },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                let items = try ordered(i, payload(a[0]))
                if items.isEmpty { return .str("Counter()") }
                return .str("Counter({" + (try items.map { try i.repr($0.0) + ": " + i.repr($0.1) }).joined(separator: ", ") + "})")
            },
        ])
        c.native = { i, a, kw in
            let inst = PyInstance(c)
            let d = PyDict()
            inst.payload = DefaultDictPayload(d, .none)
            if let src = a.first { try add(i, d, src, 1) }
            for (k, v) in kw { d.set(.str(k), v) }
            return .obj(inst)
        }
        return c
    }
}

/// A namedtuple instance's hash, computed at its first `hash()` (see namedtuple's `__hash__`).
final class NamedTupleHash {
    let hash: Int
    init(_ h: Int) { hash = h }
}
