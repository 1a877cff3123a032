// re: patterns, matches and the RegexFlag class; the Python-visible API. Mirrors CPython's `Lib/re` and the
// pattern and match objects of `Modules/_sre/sre.c`. A pattern runs on mpsh's own backtracking matcher
// (`Modules/Regex/`: CPython's sre, re-implemented over code points) when its parser reads it, which is every
// pattern but \N{...} names, the inline L flag (and u in a bytes pattern), group references inside a lookbehind,
// repeat counts of 2^31 or more and some malformed inline-flag groups; those few go to Foundation's
// NSRegularExpression (ICU) through `RegexSyntax.swift`'s translation. Either way a match is code point offsets
// (`RegexSpans`) over the subject (`RegexText`).
// (logging, urllib.parse and collections, once in this file, are in Modules/Logging.swift, UrlParse.swift and
// Collections.swift.)
import Foundation

final class RegexPayload {
    let pattern: String
    let flags: Int
    /// A bytes pattern: it matches bytes, each byte a code point of the same number (Latin-1), and gives bytes.
    let isBytes: Bool
    /// A bytes pattern that is plain text (no special character, no IGNORECASE or VERBOSE): its bytes, searched
    /// without the matcher (`Modules/RegexReplace.swift`).
    let literal: [UInt8]?
    /// The pattern compiled for the matcher (`Modules/Regex/`), or nil: ICU's translation (`icu`) runs it.
    let program: RegexProgram?
    let icu: NSRegularExpression?
    /// The global flags the pattern sets itself (`(?i)` at its start), as flag bits.
    let inlineFlags: Int
    /// Capturing groups, and the numbers of the named ones.
    let groupCount: Int
    let names: [String: Int]
    /// The matcher the last search used, free again.
    @exclusivity(unchecked) var matcher: RegexMatcher?
    /// The last non-ASCII str searched, and its code points.
    @exclusivity(unchecked) var wideSubject: (PyStr, [UInt32])?

    init(program: RegexProgram?, icu: NSRegularExpression?, _ p: String, _ f: Int, bytes: Bool) {
        self.program = program; self.icu = icu
        pattern = p; flags = f; isBytes = bytes
        let special = Set(".^$*+?{}[]\\|()".utf8)
        literal = bytes && !p.isEmpty && f & (2 | 64) == 0 && !p.utf8.contains(where: { special.contains($0) }) ? latin1Bytes(p) : nil
        inlineFlags = program?.inlineFlags ?? 0
        if let program {
            groupCount = program.groupCount; names = program.names
        } else {
            (groupCount, names) = RegexPayload.icuGroups(p, icu)
        }
    }

    /// The group count and names of a pattern ICU runs: its groups read from the pattern text.
    static func icuGroups(_ p: String, _ icu: NSRegularExpression?) -> (Int, [String: Int]) {
        let c = Array(p.unicodeScalars)
        var names: [String: Int] = [:]
        var n = 0, k = 0
        while k < c.count {
            switch c[k] {
            case "\\": k += 2; continue
            case "[":
                k += 1
                if k < c.count && c[k] == "^" { k += 1 }
                if k < c.count && c[k] == "]" { k += 1 }
                while k < c.count && c[k] != "]" { k += c[k] == "\\" ? 2 : 1 }
            case "(":
                if k + 1 < c.count && c[k + 1] == "?" {
                    if k + 3 < c.count && c[k + 2] == "P" && c[k + 3] == "<" {
                        n += 1
                        var e = k + 4, name = String.UnicodeScalarView()
                        while e < c.count && c[e] != ">" { name.append(c[e]); e += 1 }
                        names[String(name)] = n
                    }
                } else {
                    n += 1
                }
            default: break
            }
            k += 1
        }
        return (icu?.numberOfCaptureGroups ?? n, names)
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

/// The module functions' patterns by str and flags (a str keeps its hash: no rehashing of the pattern per call).
final class RegexStrCache {
    struct Key: Hashable {
        let s: PyStr
        let flags: Int
        func hash(into h: inout Hasher) { h.combine(s.hash); h.combine(flags) }
        static func == (a: Key, b: Key) -> Bool { a.flags == b.flags && PyStr.equal(a.s, b.s) }
    }
    var map: [Key: RegexPayload] = [:]
}

/// A match: its groups' code point offsets, and the subject they index.
final class MatchPayload {
    let spans: RegexSpans
    let text: RegexText
    let re: RegexPayload
    let pos: Int
    let endpos: Int
    init(_ spans: RegexSpans, _ text: RegexText, _ re: RegexPayload, pos: Int, endpos: Int) {
        self.spans = spans; self.text = text; self.re = re; self.pos = pos; self.endpos = endpos
    }
    var groupCount: Int { spans.groupCount }
    func group(_ k: Int) -> Value {
        guard k <= groupCount else { return .none }
        let a = spans.caps[2 * k], b = spans.caps[2 * k + 1]
        if a < 0 || b < 0 { return .none }
        return text.slice(a, b)
    }
    func span(_ k: Int) -> (Int, Int) {
        let a = spans.caps[2 * k], b = spans.caps[2 * k + 1]
        return a < 0 || b < 0 ? (-1, -1) : (a, b)
    }
}

extension Interpreter {
    func compileRegex(_ p: Value, _ flags: Int) throws -> RegexPayload {
        if case .obj(let i as PyInstance) = p, let r = i.payload as? RegexPayload { return r }
        let pat: String, isBytes: Bool, units: [UInt32]
        switch p {
        case .str(let x): pat = x.s; isBytes = false; units = x.codePoints
        case .obj(let b as PyBytes): pat = latin1String(b.b); isBytes = true; units = b.b.map { UInt32($0) }
        default: throw typeError("first argument must be string or compiled pattern")
        }
        // a str pattern without flags is its own key; every other key begins with U+0000, which such a pattern then
        // may not
        let key = !isBytes && flags == 0 && pat.utf8.first != 0 ? pat : "\u{0}" + (isBytes ? "b" : "s") + String(flags) + "\u{0}" + pat
        if let c = regexCache[key] { return c }
        var parser = RegexParser(units, flags: flags, isBytes: isBytes)
        do {
            let node = try parser.parse()
            let prog = RegexProgram(node, groups: parser.groups - 1, names: parser.names)
            prog.inlineFlags = parser.inlineBits
            let r = RegexPayload(program: prog, icu: nil, pat, flags, bytes: isBytes)
            regexCache[key] = r
            return r
        } catch let e as RegexSyntaxError {
            // CPython's words: the message, the position, and line and column in a pattern of several lines
            var msg = e.position < 0 ? e.message : "\(e.message) at position \(e.position)"
            if e.position >= 0 && units.contains(10) {
                let before = units.prefix(e.position)
                let line = before.filter { $0 == 10 }.count + 1
                let col = e.position - (before.lastIndex(of: 10) ?? -1)
                msg += " (line \(line), column \(col))"
            }
            throw err("re.error", msg)
        } catch is RegexTooDeep {
            throw err("RecursionError", "maximum recursion depth exceeded")
        } catch {
            // a pattern the matcher does not take: ICU's translation
        }
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
            let r = RegexPayload(program: nil, icu: try NSRegularExpression(pattern: icu, options: opts), pat, flags, bytes: isBytes)
            regexCache[key] = r
            return r
        } catch {
            throw err("re.error", "bad pattern \(isBytes ? try repr(p) : strRepr(pat))")
        }
    }

    /// A match object; `pos` and `endpos` as the search had them.
    func makeMatch(_ m: RegexSpans?, _ text: RegexText, _ re: RegexPayload, pos: Int = 0, endpos: Int? = nil) -> Value {
        guard let m else { return .none }
        let inst = PyInstance(matchClass!)
        inst.payload = MatchPayload(m, text, re, pos: pos, endpos: endpos ?? text.count)
        return .obj(inst)
    }

    func matchPayload(_ v: Value) throws -> MatchPayload {
        if case .obj(let i as PyInstance) = v, let p = i.payload as? MatchPayload { return p }
        throw typeError("expected a match object")
    }

    func groupIndex(_ p: MatchPayload, _ v: Value) throws -> Int {
        switch v {
        case .int(let k):
            if k < 0 || k > p.groupCount { throw err("IndexError", "no such group") }
            return k
        case .str(let name):
            if let k = p.re.names[name.s] { return k }
            throw err("IndexError", "no such group")
        default: throw err("IndexError", "no such group")
        }
    }

    /// The first match from `pos` to `endpos` (clamped as sre's state_init clamps them).
    func regexSearch(_ r: RegexPayload, _ text: RegexText, anchored: Bool, full: Bool, pos: Int = 0, endpos: Int? = nil) -> RegexSpans? {
        let end = min(max(endpos ?? text.count, 0), text.count)
        let start = min(max(pos, 0), text.count)
        if let prog = r.program {
            return prog.first(text, from: start, end: end, anchored: anchored, full: full, cached: &r.matcher)
        }
        guard let re = r.icu, start <= end else { return nil }
        let s = text.string
        let map = RegexICU.offsets(text)
        let u0 = RegexICU.utf16(start, map), u1 = RegexICU.utf16(end, map)
        var opts: NSRegularExpression.MatchingOptions = []
        if anchored || full { opts.insert(.anchored) }
        let range = NSRange(location: u0, length: u1 - u0)
        if full {
            if let m = re.firstMatch(in: s, options: opts, range: range), m.range.location + m.range.length == u1 {
                return RegexICU.spans(m, map)
            }
            // retry with an explicit end anchor
            if let r2 = try? NSRegularExpression(pattern: "(?:" + re.pattern + ")\\z", options: re.options),
               let m = r2.firstMatch(in: s, options: opts, range: range) {
                return RegexICU.spans(m, map)
            }
            return nil
        }
        return re.firstMatch(in: s, options: opts, range: range).map { RegexICU.spans($0, map) }
    }

    /// Every match from `pos` to `endpos`, in order; `body` returns false to stop.
    func regexEach(_ r: RegexPayload, _ text: RegexText, pos: Int = 0, endpos: Int? = nil,
                   _ body: (RegexSpans) throws -> Bool) throws {
        let end = min(max(endpos ?? text.count, 0), text.count)
        let start = min(max(pos, 0), text.count)
        if let prog = r.program {
            try prog.forEach(text, from: start, end: end, cached: &r.matcher, body)
            return
        }
        guard let re = r.icu, start <= end else { return }
        let map = RegexICU.offsets(text)
        let u0 = RegexICU.utf16(start, map), u1 = RegexICU.utf16(end, map)
        for m in re.matches(in: text.string, range: NSRange(location: u0, length: u1 - u0)) {
            if try !body(RegexICU.spans(m, map)) { return }
        }
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
        // str patterns by identity-free key: the str's cached hash, not the text hashed again on every call
        let strCache = RegexStrCache()
        func compiled(_ i: Interpreter, _ p: Value, _ flags: Int) throws -> RegexPayload {
            guard case .str(let s) = p else { return try i.compileRegex(p, flags) }
            let key = RegexStrCache.Key(s: s, flags: flags)
            if let r = strCache.map[key] { return r }
            let r = try i.compileRegex(p, flags)
            if strCache.map.count >= 512 { strCache.map.removeAll() }
            strCache.map[key] = r
            return r
        }
        m.fn("purge") { i, _, _ in i.regexCache.removeAll(); strCache.map.removeAll(); return .none }
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
                return .tuple(PyTuple((1..<max(1, p.groupCount + 1)).map { let g = p.group($0); return g.isNone ? def : g }))
            },
            "groupdict": { i, a, _ in try i.need(a, 1, "groupdict");
                let p = try i.matchPayload(a[0])
                let def = a.count > 1 ? a[1] : .none
                let d = PyDict()
                for (name, k) in p.re.names.sorted(by: { $0.value < $1.value }) {
                    let g = p.group(k)
                    d.set(.str(name), g.isNone ? def : g)
                }
                return .dict(d)
            },
            "start": { i, a, _ in try i.need(a, 1, "start");
                let p = try i.matchPayload(a[0])
                return .int(p.span(a.count > 1 ? try i.groupIndex(p, a[1]) : 0).0)
            },
            "end": { i, a, _ in try i.need(a, 1, "end");
                let p = try i.matchPayload(a[0])
                return .int(p.span(a.count > 1 ? try i.groupIndex(p, a[1]) : 0).1)
            },
            "span": { i, a, _ in try i.need(a, 1, "span");
                let p = try i.matchPayload(a[0])
                let (x, y) = p.span(a.count > 1 ? try i.groupIndex(p, a[1]) : 0)
                return .tuple(PyTuple([.int(x), .int(y)]))
            },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                let p = try i.matchPayload(a[0])
                let (x, y) = p.span(0)
                return .str("<re.Match object; span=(\(x), \(y)), match=\(try i.repr(p.group(0)))>")
            },
            "__bool__": { _, _, _ in .bool(true) },
        ])
        func patternPayload(_ i: Interpreter, _ v: Value) throws -> RegexPayload {
            if case .obj(let o as PyInstance) = v, let r = o.payload as? RegexPayload { return r }
            throw i.typeError("expected a compiled pattern")
        }
        let patternClass = nativeClass("Pattern", module: "re", methods: [
            "match": { i, a, kw in try i.need(a, 2, "match"); let r = try patternPayload(i, a[0]); let t = try i.regexText(r, a[1])
                let (pos, end) = try i.regexRange(a, kw)
                return i.makeMatch(i.regexSearch(r, t, anchored: true, full: false, pos: pos, endpos: end), t, r, pos: pos, endpos: end)
            },
            "search": { i, a, kw in try i.need(a, 2, "search"); let r = try patternPayload(i, a[0]); let t = try i.regexText(r, a[1])
                let (pos, end) = try i.regexRange(a, kw)
                return i.makeMatch(i.regexSearch(r, t, anchored: false, full: false, pos: pos, endpos: end), t, r, pos: pos, endpos: end)
            },
            "fullmatch": { i, a, kw in try i.need(a, 2, "fullmatch"); let r = try patternPayload(i, a[0]); let t = try i.regexText(r, a[1])
                let (pos, end) = try i.regexRange(a, kw)
                return i.makeMatch(i.regexSearch(r, t, anchored: true, full: true, pos: pos, endpos: end), t, r, pos: pos, endpos: end)
            },
            "findall": { i, a, kw in try i.need(a, 2, "findall"); let r = try patternPayload(i, a[0])
                let (pos, end) = try i.regexRange(a, kw)
                return .list(PyList(try i.findallValues(r, try i.regexText(r, a[1]), pos: pos, endpos: end)))
            },
            "finditer": { i, a, kw in try i.need(a, 2, "finditer");
                let r = try patternPayload(i, a[0]); let t = try i.regexText(r, a[1])
                let (pos, end) = try i.regexRange(a, kw)
                var ms: [Value] = []
                try i.regexEach(r, t, pos: pos, endpos: end) { ms.append(i.makeMatch($0, t, r, pos: pos, endpos: end)); return true }
                return .obj(try i.getIter(.list(PyList(ms))))
            },
            "sub": { i, a, kw in try i.need(a, 1, "sub");
                let r = try patternPayload(i, a[0])
                let c = a.count > 3 ? try i.intArg(a[3]) : try i.intArg(kw.first { $0.0 == "count" }?.1 ?? .int(0))
                return try i.regexSub(r, a[1], try i.regexText(r, a[2]), count: c).0
            },
            "subn": { i, a, kw in try i.need(a, 3, "subn");
                let r = try patternPayload(i, a[0])
                let c = a.count > 3 ? try i.intArg(a[3]) : try i.intArg(kw.first { $0.0 == "count" }?.1 ?? .int(0))
                let (s, n) = try i.regexSub(r, a[1], try i.regexText(r, a[2]), count: c)
                return .tuple(PyTuple([s, .int(n)]))
            },
            "split": { i, a, kw in try i.need(a, 2, "split");
                let r = try patternPayload(i, a[0]); let s = try i.regexText(r, a[1])
                let maxsplit = a.count > 2 ? try i.intArg(a[2]) : try i.intArg(kw.first { $0.0 == "maxsplit" }?.1 ?? .int(0))
                return .list(PyList(try i.regexSplit(r, s, maxsplit)))
            },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__"); let r = try patternPayload(i, a[0])
                // CPython's pattern_repr: the pattern's repr cut at 200 characters, then the flags other than UNICODE
                var text = String(try i.repr(r.patternValue).unicodeScalars.prefix(200))
                var flags = (r.flags | r.inlineFlags) & ~32
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
        // attributes computed from the payloads: Match.lastindex, lastgroup, pos, endpos, regs; Pattern.groups, groupindex
        func property(_ cls: PyClass, _ name: String, _ get: @escaping (Interpreter, Value) throws -> Value) {
            cls.dict[name] = .obj(PyProperty(.obj(PyBuiltin(name) { i, a, _ in try i.need(a, 1, name); return try get(i, a[0]) })))
        }
        property(matchClass!, "lastindex") { i, v in
            let p = try i.matchPayload(v)
            return p.spans.lastIndex > 0 ? .int(p.spans.lastIndex) : .none
        }
        property(matchClass!, "lastgroup") { i, v in
            let p = try i.matchPayload(v)
            guard p.spans.lastIndex > 0, let n = p.re.names.first(where: { $0.value == p.spans.lastIndex }) else { return .none }
            return .str(n.key)
        }
        property(matchClass!, "string") { i, v in try i.matchPayload(v).text.original }
        property(matchClass!, "pos") { i, v in .int(try i.matchPayload(v).pos) }
        property(matchClass!, "endpos") { i, v in .int(try i.matchPayload(v).endpos) }
        property(matchClass!, "regs") { i, v in
            let p = try i.matchPayload(v)
            return .tuple(PyTuple((0...p.groupCount).map { let (x, y) = p.span($0); return .tuple(PyTuple([.int(x), .int(y)])) }))
        }
        property(patternClass, "groups") { i, v in .int(try patternPayload(i, v).groupCount) }
        property(patternClass, "groupindex") { i, v in
            let d = PyDict()
            for (name, k) in try patternPayload(i, v).names.sorted(by: { $0.value < $1.value }) { d.set(.str(name), .int(k)) }
            return .dict(d)
        }
        // exported as CPython's re.Pattern; the value codec rebuilds a sent pattern from its pattern and flags
        m.set("Pattern", .obj(patternClass))
        m.set("Match", .obj(matchClass!))
        m.fn("compile") { i, a, kw in try i.need(a, 1, "compile");
            let r = try compiled(i, a[0], try flagsOf(a, 1, kw))
            let inst = PyInstance(patternClass)
            inst.payload = r
            inst.dict["pattern"] = r.patternValue
            // a str pattern is matched as Unicode unless re.ASCII says otherwise: CPython's flags show re.UNICODE
            var flags = r.flags | r.inlineFlags
            if case .str = a[0], flags & 256 == 0 { flags |= 32 }
            inst.dict["flags"] = .int(flags)
            return .obj(inst)
        }
        // the module's functions run the pattern directly (no Pattern object, no method call)
        for name in ["match", "search", "fullmatch"] {
            m.fn(name) { i, a, kw in
                try i.need(a, 2, name)
                let r = try compiled(i, a[0], try flagsOf(a, 2, kw))
                let t = try i.regexText(r, a[1])
                return i.makeMatch(i.regexSearch(r, t, anchored: name != "search", full: name == "fullmatch"), t, r)
            }
        }
        m.fn("findall") { i, a, kw in
            try i.need(a, 2, "findall")
            let r = try compiled(i, a[0], try flagsOf(a, 2, kw))
            return .list(PyList(try i.findallValues(r, try i.regexText(r, a[1]))))
        }
        m.fn("finditer") { i, a, kw in
            try i.need(a, 2, "finditer")
            let r = try compiled(i, a[0], try flagsOf(a, 2, kw))
            let t = try i.regexText(r, a[1])
            var ms: [Value] = []
            try i.regexEach(r, t) { ms.append(i.makeMatch($0, t, r)); return true }
            return .obj(try i.getIter(.list(PyList(ms))))
        }
        m.fn("sub") { i, a, kw in
            try i.need(a, 3, "sub")
            let r = try compiled(i, a[0], try flagsOf(a, 4, kw))
            let c = a.count > 3 ? try i.intArg(a[3]) : try i.intArg(kw.first { $0.0 == "count" }?.1 ?? .int(0))
            return try i.regexSub(r, a[1], try i.regexText(r, a[2]), count: c).0
        }
        m.fn("subn") { i, a, kw in try i.need(a, 3, "subn");
            let r = try compiled(i, a[0], try flagsOf(a, 4, kw))
            let c = a.count > 3 ? try i.intArg(a[3]) : try i.intArg(kw.first { $0.0 == "count" }?.1 ?? .int(0))
            let (s, n) = try i.regexSub(r, a[1], try i.regexText(r, a[2]), count: c)
            return .tuple(PyTuple([s, .int(n)]))
        }
        m.fn("split") { i, a, kw in try i.need(a, 1, "split");
            let r = try compiled(i, a[0], try flagsOf(a, 3, kw))
            let maxsplit = a.count > 2 ? try i.intArg(a[2]) : try i.intArg(kw.first { $0.0 == "maxsplit" }?.1 ?? .int(0))
            return .list(PyList(try i.regexSplit(r, try i.regexText(r, a[1]), maxsplit)))
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
}

/// ICU's matches in code point offsets (the patterns the matcher does not take).
enum RegexICU {
    /// For a subject with code points beyond U+FFFF: the code point offset of each UTF-16 offset; nil when they
    /// are the same.
    static func offsets(_ t: RegexText) -> [Int]? {
        if t.utf16IsCodePoints { return nil }
        guard case .wide(let w) = t.units else { return nil }
        var map: [Int] = []
        map.reserveCapacity(w.count + 16)
        for (k, c) in w.enumerated() { map.append(k); if c > 0xFFFF { map.append(k) } }
        map.append(w.count)
        return map
    }

    static func utf16(_ cp: Int, _ map: [Int]?) -> Int {
        guard let map else { return cp }
        var lo = 0, hi = map.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if map[mid] < cp { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    static func spans(_ m: NSTextCheckingResult, _ map: [Int]?) -> RegexSpans {
        var caps: [Int] = []
        var last = -1, lastEnd = -1
        for k in 0..<m.numberOfRanges {
            let r = m.range(at: k)
            if r.location == NSNotFound { caps += [-1, -1]; continue }
            let a = map.map { $0[r.location] } ?? r.location
            let b = map.map { $0[r.location + r.length] } ?? r.location + r.length
            caps += [a, b]
            if k > 0 && b > lastEnd { last = k; lastEnd = b }
        }
        return RegexSpans(caps: caps, lastIndex: last)
    }
}
