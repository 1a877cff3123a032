// repr/str of every value, float repr (shortest round-trip, CPython's rules), format specs, % and str.format.
// Mirrors CPython's `Objects/floatobject.c` (float_repr), `Python/formatter_unicode.c` and `Objects/unicodeobject.c`.
import Foundation

func floatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    let desc = d.description   // shortest round-trip digits
    var neg = false
    var s = Substring(desc)
    if s.hasPrefix("-") { neg = true; s = s.dropFirst() }
    var mant = s, e = 0
    if let ei = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mant = s[..<ei]
        e = Int(s[s.index(after: ei)...].replacingOccurrences(of: "+", with: "")) ?? 0
    }
    var digits = ""
    var point = mant.count
    if let dot = mant.firstIndex(of: ".") {
        point = mant.distance(from: mant.startIndex, to: dot)
        digits = String(mant[..<dot]) + String(mant[mant.index(after: dot)...])
    } else { digits = String(mant) }
    while digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
    while digits.hasSuffix("0") { digits.removeLast() }
    if digits.isEmpty { return neg ? "-0.0" : "0.0" }
    let x = point + e - 1
    var out = neg ? "-" : ""
    let nd = digits.count
    if x >= -5 + 1 && x < 16 {
        // fixed notation
        if x < 0 {
            out += "0." + String(repeating: "0", count: -x - 1) + digits
        } else if nd <= x + 1 {
            out += digits + String(repeating: "0", count: x + 1 - nd) + ".0"
        } else {
            let i = digits.index(digits.startIndex, offsetBy: x + 1)
            out += String(digits[..<i]) + "." + String(digits[i...])
        }
    } else {
        out += String(digits.first!)
        if nd > 1 { out += "." + String(digits.dropFirst()) }
        out += "e" + (x < 0 ? "-" : "+") + (abs(x) < 10 ? "0" : "") + String(abs(x))
    }
    return out
}

func strRepr(_ s: String, quote: Character? = nil) -> String {
    let useDouble = s.contains("'") && !s.contains("\"")
    let q: Character = quote ?? (useDouble ? "\"" : "'")
    var out = String(q)
    for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if Character(u) == q { out += "\\" + String(q) }
            else if !isPrintable(u) {
                out += u.value < 0x100 ? "\\x" + hex2(Int(u.value))
                    : u.value < 0x10000 ? "\\u" + String(format: "%04x", u.value) : "\\U" + String(format: "%08x", u.value)
            }
            else { out.unicodeScalars.append(u) }
        }
    }
    out.append(q)
    return out
}

/// CPython's `Py_UNICODE_ISPRINTABLE`: everything but the categories Other (Cc, Cf, Cs, Co, Cn) and Separator
/// (Zl, Zp, Zs), the space excepted. What repr escapes and `str.isprintable` tests.
@inline(__always) func isPrintable(_ u: Unicode.Scalar) -> Bool {
    if u.value < 0x7f { return u.value >= 0x20 }
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default: return true
    }
}

func hex2(_ v: Int) -> String { let h = String(v, radix: 16); return h.count == 1 ? "0" + h : h }

func bytesRepr(_ b: [UInt8], _ prefix: String = "b") -> String {
    let useDouble = b.contains(39) && !b.contains(34)
    let q: UInt8 = useDouble ? 34 : 39
    var out = prefix + String(UnicodeScalar(q))
    for c in b {
        switch c {
        case 92: out += "\\\\"
        case 10: out += "\\n"
        case 13: out += "\\r"
        case 9: out += "\\t"
        default:
            if c == q { out += "\\" + String(UnicodeScalar(q)) }
            else if c < 0x20 || c >= 0x7f { out += "\\x" + hex2(Int(c)) }
            else { out.append(Character(UnicodeScalar(c))) }
        }
    }
    return out + String(UnicodeScalar(q))
}

func asciiEscape(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        if u.value < 128 { out.unicodeScalars.append(u) }
        else if u.value < 256 { out += "\\x" + hex2(Int(u.value)) }
        else if u.value < 0x10000 { out += "\\u" + String(format: "%04x", u.value) }
        else { out += "\\U" + String(format: "%08x", u.value) }
    }
    return out
}

extension Interpreter {
    public func repr(_ v: Value) throws -> String {
        var seen = Set<ObjectIdentifier>()
        return try repr(v, &seen)
    }

    func repr(_ v: Value, _ seen: inout Set<ObjectIdentifier>) throws -> String {
        if let b = builtinBase(v, unless: "__repr__") { return try repr(b, &seen) }
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigBox(let b): return try decimalString(b)
        case .float(let d): return floatRepr(d)
        case .str(let s): return s.repr
        case .list(let l):
            if seen.contains(ObjectIdentifier(l)) { return "[...]" }
            seen.insert(ObjectIdentifier(l)); defer { seen.remove(ObjectIdentifier(l)) }
            return "[" + (try l.items.map { try repr($0, &seen) }).joined(separator: ", ") + "]"
        case .tuple(let t):
            if t.items.count == 1 { return "(" + (try repr(t.items[0], &seen)) + ",)" }
            return "(" + (try t.items.map { try repr($0, &seen) }).joined(separator: ", ") + ")"
        case .dict(let d):
            if seen.contains(ObjectIdentifier(d)) { return "{...}" }
            seen.insert(ObjectIdentifier(d)); defer { seen.remove(ObjectIdentifier(d)) }
            return "{" + (try d.items.map { try repr($0.0, &seen) + ": " + repr($0.1, &seen) }).joined(separator: ", ") + "}"
        case .obj(let o):
            if let s = o as? PySet {
                if s.d.count == 0 { return s.frozen ? "frozenset()" : "set()" }
                let inner = "{" + (try s.elements.map { try repr($0, &seen) }).joined(separator: ", ") + "}"
                return s.frozen ? "frozenset(" + inner + ")" : inner
            }
            if let dv = o as? PyDictView {
                return dv.typeName + "(" + (try repr(.list(PyList(dv.elements)), &seen)) + ")"
            }
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__repr__") {
                    let r = try callBound(f, v, [], [])
                    guard case .str(let s) = r else { throw typeError("__repr__ returned non-string (type \(typeName(r)))") }
                    return s.s
                }
                if i.cls.isException {
                    let args = excArgs(i)
                    if args.count == 1 { return i.cls.name + "(" + (try repr(args[0], &seen)) + ")" }
                    return i.cls.name + "(" + (try args.map { try repr($0, &seen) }).joined(separator: ", ") + ")"
                }
                if let dd = i.payload as? DefaultDictPayload {
                    let f = try repr(dd.factory, &seen)
                    return "defaultdict(" + f + ", " + (try repr(.dict(dd.d), &seen)) + ")"
                }
                if let nr = i.payload as? NativeRepr { return nr.repr }
                return "<\(i.cls.module).\(i.cls.name) object at \(addr(o))>"
            }
            if let c = o as? PyClass {
                // a metaclass's own __repr__ (enum's "<enum 'Color'>"), as type(C).__repr__(C)
                if let meta = c.meta, let f = meta.mro.first(where: { $0.module != "builtins" && $0.dict["__repr__"] != nil })?.dict["__repr__"] {
                    let r = try callBound(f, v, [], [])
                    guard case .str(let s) = r else { throw typeError("__repr__ returned non-string (type \(typeName(r)))") }
                    return s.s
                }
                return c.module == "builtins" ? "<class '\(c.name)'>" : "<class '\(c.module).\(c.name)'>"
            }
            if let f = o as? PyFunction { return "<function \(f.qualname) at \(addr(o))>" }
            if let b = o as? PyBuiltin { return "<built-in function \(b.name)>" }
            if let m = o as? PyBoundMethod {
                var n = "?"
                if case .obj(let f as PyFunction) = m.fn { n = f.qualname }
                return "<bound method \(n) of \(try repr(m.receiver, &seen))>"
            }
            if let m = o as? PyNativeMethod { return "<built-in method \(m.name) of \(typeName(m.receiver)) object at \(addr(o))>" }
            if let m = o as? PyModule { return "<module '\(m.name)'>" }
            if let b = o as? PyBytes { return bytesRepr(b.b) }
            if let b = o as? PyByteArray { return "bytearray(" + bytesRepr(b.b) + ")" }
            if let r = o as? PyRange { return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))" }
            if let s = o as? PySlice { return "slice(\(try repr(s.start, &seen)), \(try repr(s.stop, &seen)), \(try repr(s.step, &seen)))" }
            if o === ellipsisObject { return "Ellipsis" }
            if o === notImplemented { return "NotImplemented" }
            if let f = o as? PyFile { return "<_io.TextIOWrapper name='\(f.name)' mode='\(f.writable ? "w" : "r")' encoding='utf-8'>" }
            if let it = o as? PyIterator { return "<\(it.kind) object at \(addr(o))>" }
            return "<\(o.typeName) object at \(addr(o))>"
        }
    }

    func addr(_ o: AnyObject) -> String {
        "0x" + String(UInt(bitPattern: ObjectIdentifier(o)), radix: 16)  // as CPython's %p: the address, unpadded
    }

    func excArgs(_ i: PyInstance) -> [Value] {
        if case .tuple(let t)? = i.dict["args"] { return t.items }
        return []
    }

    public func str(_ v: Value) throws -> String {
        switch v {
        case .str(let s): return s.s
        case .int(let i):
            // small ints are common in str() (digits, counters): their strings are made once (CPython caches the
            // small int objects; here the text is what costs)
            if i >= 0 && i < 256 { return smallIntStrings[i] }
            return String(i)
        default: break
        }
        if let b = builtinBase(v, unless: "__str__"), builtinBase(v, unless: "__repr__") != nil { return try str(b) }
        switch v {
        case .str(let s): return s.s
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__str__") {
                let r = try callBound(f, v, [], [])
                guard case .str(let s) = r else { throw typeError("__str__ returned non-string (type \(typeName(r)))") }
                return s.s
            }
            if i.cls.isException {
                if let nr = i.payload as? NativeRepr { return nr.repr }
                let args = excArgs(i)
                if args.isEmpty { return "" }
                if args.count == 2, let m = syntaxErrorMessage(i) {
                    // CPython's SyntaxError_str: "msg (file, line n)", the file's base name
                    guard case .int(let line)? = i.dict["lineno"] else { return m }
                    guard case .str(let file)? = i.dict["filename"] else { return "\(m) (line \(line))" }
                    return "\(m) (\(file.s.split(separator: "/").last.map(String.init) ?? file.s), line \(line))"
                }
                if args.count == 1 {
                    if i.cls.isSubclass(of: excClass("KeyError")) { return try repr(args[0]) }
                    return try str(args[0])
                }
                return try repr(.tuple(PyTuple(args)))
            }
            return try repr(v)
        default: return try repr(v)
        }
    }

    // MARK: format specs

    struct Spec {
        var fill: Character = " "
        var align: Character? = nil
        var sign: Character = "-"
        var alt = false
        var zero = false
        var width = 0
        var grouping: Character? = nil
        var precision: Int? = nil
        var type: Character? = nil
    }

    func parseSpec(_ s: String) throws -> Spec {
        var sp = Spec()
        let c = Array(s)
        var i = 0
        if c.count >= 2 && "<>=^".contains(c[1]) { sp.fill = c[0]; sp.align = c[1]; i = 2 }
        else if c.count >= 1 && "<>=^".contains(c[0]) { sp.align = c[0]; i = 1 }
        if i < c.count && "+- ".contains(c[i]) { sp.sign = c[i]; i += 1 }
        if i < c.count && c[i] == "#" { sp.alt = true; i += 1 }
        if i < c.count && c[i] == "0" { sp.zero = true; i += 1 }
        var w = ""
        while i < c.count && c[i].isNumber { w.append(c[i]); i += 1 }
        if !w.isEmpty {
            guard let n = Int(w) else { throw err("ValueError", "Too many decimal digits in format string") }
            sp.width = n
            try checkAllocation(count: n, stride: 1, negative: "")
        }
        if i < c.count && (c[i] == "," || c[i] == "_") { sp.grouping = c[i]; i += 1 }
        if i < c.count && c[i] == "." {
            i += 1
            var p = ""
            while i < c.count && c[i].isNumber { p.append(c[i]); i += 1 }
            if p.isEmpty { throw err("ValueError", "Format specifier missing precision") }
            guard let n = Int(p) else { throw err("ValueError", "Too many decimal digits in format string") }
            sp.precision = n
        }
        if i < c.count { sp.type = c[i]; i += 1 }
        if i < c.count { throw err("ValueError", "Invalid format specifier '\(s)' for object of type 'str'") }
        return sp
    }

    func group(_ digits: String, _ sep: Character, _ every: Int = 3) -> String {
        var out: [Character] = []
        let d = Array(digits)
        for (i, ch) in d.enumerated() {
            if i > 0 && (d.count - i) % every == 0 { out.append(sep) }
            out.append(ch)
        }
        return String(out)
    }

    func pad(_ body: String, _ sign: String, _ sp: Spec, numeric: Bool) -> String {
        var align = sp.align ?? (numeric ? ">" : "<")
        var fill = sp.fill
        if sp.zero && sp.align == nil { fill = "0"; align = "=" }
        if sp.width <= 0 { return sign + body }
        let len = body.unicodeScalars.count + sign.unicodeScalars.count
        if len >= sp.width { return sign + body }
        let n = sp.width - len
        let f = String(fill)
        switch align {
        case "<": return sign + body + PyStr.repeating(f, n)
        case "^": return PyStr.repeating(f, n / 2) + sign + body + PyStr.repeating(f, n - n / 2)
        case "=": return sign + PyStr.repeating(f, n) + body
        default: return PyStr.repeating(f, n) + sign + body
        }
    }

    public func format(_ v: Value, _ spec: String) throws -> String {
        if case .obj(let i as PyInstance) = v, let f = i.cls.lookup("__format__") {
            let r = try callBound(f, v, [.str(spec)], [])
            guard case .str(let s) = r else { throw typeError("__format__ must return a str") }
            return s.s
        }
        if spec.isEmpty { return try str(v) }
        let sp = try parseSpec(spec)
        switch v {
        case .int, .bigBox, .bool:
            if case .bool(let b) = v, sp.type == nil { return pad(b ? "True" : "False", "", sp, numeric: false) }
            if let t = sp.type, "eEfFgG%".contains(t) { return try formatFloat(try toDouble(v), sp) }
            if sp.precision != nil { throw err("ValueError", "Precision not allowed in integer format specifier") }
            let b = big(v)!
            let neg = b.sign == .minus && !b.isZero
            let mag = neg ? -b : b
            var body: String
            var prefix = ""
            switch sp.type {
            case "x": body = String(mag, radix: 16); prefix = sp.alt ? "0x" : ""
            case "X": body = String(mag, radix: 16).uppercased(); prefix = sp.alt ? "0X" : ""
            case "o": body = String(mag, radix: 8); prefix = sp.alt ? "0o" : ""
            case "b": body = String(mag, radix: 2); prefix = sp.alt ? "0b" : ""
            case "c": body = String(Character(UnicodeScalar(UInt32(Int(mag))) ?? " "))
            case "d", "n", nil: body = try decimalString(mag)
            case let t?: throw err("ValueError", "Unknown format code '\(t)' for object of type 'int'")
            }
            if let g = sp.grouping { body = group(body, g, sp.type == nil || sp.type == "d" ? 3 : 4) }
            let sign = neg ? "-" : (sp.sign == "+" ? "+" : sp.sign == " " ? " " : "")
            if sp.zero && sp.align == nil && sp.grouping != nil {
                // zero padding participates in grouping
                var digits = body.replacingOccurrences(of: String(sp.grouping!), with: "")
                while group(digits, sp.grouping!).count + sign.count + prefix.count < sp.width { digits = "0" + digits }
                return sign + prefix + group(digits, sp.grouping!)
            }
            if sp.zero && sp.align == nil { return sign + prefix + body.leftPad(sp.width - sign.count - prefix.count, "0") }
            return pad(prefix + body, sign, sp, numeric: true)
        case .float(let d):
            return try formatFloat(d, sp)
        case .str(let s):
            if let t = sp.type, t != "s" { throw err("ValueError", "Unknown format code '\(t)' for object of type 'str'") }
            var body = s.s
            if let p = sp.precision { body = String(body.prefix(p)) }
            return pad(body, "", sp, numeric: false)
        default:
            return pad(try str(v), "", sp, numeric: false)
        }
    }

    func formatFloat(_ d: Double, _ spIn: Spec) throws -> String {
        var sp = spIn
        let neg = d.sign == .minus && !(d.isNaN)
        let mag = abs(d)
        var body: String
        let t = sp.type
        // CPython's limit: the precision is a C int
        let precision = sp.precision ?? 6
        if precision > Int(Int32.max) { throw err("ValueError", "precision too big") }
        if mag.isInfinite || mag.isNaN {
            body = mag.isNaN ? "nan" : "inf"
            if t == "F" || t == "E" || t == "G" { body = body.uppercased() }
            if t == "%" { body += "%" }
        } else {
            switch t {
            case "f", "F": body = try cFormat("%.\(precision)f", mag)
            case "e", "E": body = try cFormat("%.\(precision)\(t!)", mag)
            case "g", "G":
                body = try cFormat("%\(sp.alt ? "#" : "").\(precision)\(t!)", mag)
            case "%": body = try cFormat("%.\(precision)f", mag * 100) + "%"
            case nil:
                if let p = sp.precision {
                    body = try cFormat("%.\(max(p, 1))g", mag)
                    if !body.contains(".") && !body.contains("e") && !body.contains("inf") {
                        // Python's repr-like general format keeps a decimal point only when exponent is used
                    }
                } else { body = floatRepr(mag) }
            case let tt?: throw err("ValueError", "Unknown format code '\(tt)' for object of type 'float'")
            }
        }
        if let g = sp.grouping {
            let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let ip = String(parts[0])
            if ip.allSatisfy({ $0.isNumber }) {
                body = group(ip, g) + (parts.count > 1 ? "." + parts[1] : "")
            }
        }
        let sign = neg ? "-" : (sp.sign == "+" ? "+" : sp.sign == " " ? " " : "")
        if sp.zero && sp.grouping != nil { sp.zero = true }
        return pad(body, sign, sp, numeric: true)
    }

    /// One double through C's printf (`%.Nf`, `%.Ne`, `%#.Ng`): sized first, so that a precision of millions is
    /// a checked allocation (MemoryError) rather than Foundation's formatter, which traps past its buffer.
    /// The corresponding C function is `vsnprintf`.
    func cFormat(_ format: String, _ x: Double) throws -> String {
        let n = withVaList([x]) { vsnprintf(nil, 0, format, $0) }
        if n < 0 { throw err("ValueError", "precision too big") }
        try checkAllocation(count: Int(n) + 1, stride: 1, negative: "")
        var buf = [CChar](repeating: 0, count: Int(n) + 1)
        _ = buf.withUnsafeMutableBufferPointer { b in withVaList([x]) { vsnprintf(b.baseAddress, b.count, format, $0) } }
        return String(decoding: buf[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: % formatting

    /// `fmt % arg`. The format is read as UTF-8 bytes: every directive is ASCII, so the literal text between them is
    /// copied as it is, without splitting it into characters.
    func percentFormat(_ fmt: String, _ arg: Value) throws -> String {
        var fmt = fmt
        return try fmt.withUTF8 { try percentFormat(bytes: $0, arg) }
    }

    private func percentFormat(bytes c: UnsafeBufferPointer<UInt8>, _ arg: Value) throws -> String {
        var args: [Value]
        var mapping: PyDict? = nil
        switch arg {
        case .tuple(let t): args = t.items
        case .dict(let d): args = [arg]; mapping = d
        default:
            // a tuple subclass's instance (time.struct_time) is the arguments, as a tuple is
            if case .obj(let o as PyInstance) = arg, let b = o.payload as? BuiltinBase, case .tuple(let t) = b.value { args = t.items }
            else { args = [arg] }
        }
        var ai = 0
        func nextArg() throws -> Value {
            if ai >= args.count { throw typeError("not enough arguments for format string") }
            ai += 1
            return args[ai - 1]
        }
        let percent = UInt8(ascii: "%")
        var i = 0
        /// The decimal digits at `i` (none: 0), read past; `what` names the field in the overflow error.
        func number(_ what: String) throws -> Int {
            var n = 0
            while i < c.count, c[i] &- UInt8(ascii: "0") < 10 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (r, o2) = m.addingReportingOverflow(Int(c[i] &- UInt8(ascii: "0")))
                if o1 || o2 { throw err("ValueError", "\(what) too big") }
                n = r; i += 1
            }
            return n
        }
        var out: [UInt8] = []
        out.reserveCapacity(c.count + 16)
        var usedMapping = false
        while i < c.count {
            if c[i] != percent {
                var j = i + 1
                while j < c.count && c[j] != percent { j += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: c[i..<j]))
                i = j
                continue
            }
            i += 1
            if i >= c.count { throw err("ValueError", "incomplete format") }
            var key: String? = nil
            if c[i] == UInt8(ascii: "(") {
                var j = i + 1; var depth = 1
                while j < c.count && depth > 0 {
                    if c[j] == UInt8(ascii: "(") { depth += 1 } else if c[j] == UInt8(ascii: ")") { depth -= 1 }
                    j += 1
                }
                if depth > 0 { throw err("ValueError", "incomplete format key") }
                key = String(decoding: UnsafeBufferPointer(rebasing: c[(i + 1)..<(j - 1)]), as: UTF8.self)
                i = j
            }
            var sp = Spec()
            var left = false
            flags: while i < c.count {
                switch c[i] {
                case UInt8(ascii: "-"): left = true
                case UInt8(ascii: "+"): sp.sign = "+"
                case UInt8(ascii: " "): if sp.sign != "+" { sp.sign = " " }
                case UInt8(ascii: "#"): sp.alt = true
                case UInt8(ascii: "0"): sp.zero = true
                default: break flags
                }
                i += 1
            }
            if i < c.count && c[i] == UInt8(ascii: "*") {
                let wv = try nextArg()
                guard isIntLike(wv) else { throw typeError("* wants int") }
                guard case .int(var w) = wv, w != Int.min else { throw err("OverflowError", "Python int too large to convert to C ssize_t") }
                // a negative width from * means left-justified, as C's printf
                if w < 0 { left = true; w = -w }
                sp.width = w; i += 1
            } else {
                sp.width = try number("width")
            }
            try checkAllocation(count: sp.width, stride: 1, negative: "")
            if i < c.count && c[i] == UInt8(ascii: ".") {
                i += 1
                if i < c.count && c[i] == UInt8(ascii: "*") {
                    let pv = try nextArg()
                    guard isIntLike(pv) else { throw typeError("* wants int") }
                    guard case .int(let p) = pv, p <= Int(Int32.max), p >= Int(Int32.min) else {
                        throw err("OverflowError", "Python int too large to convert to C int")
                    }
                    sp.precision = max(p, 0); i += 1
                } else {
                    sp.precision = try number("precision")
                }
            }
            while i < c.count && (c[i] == UInt8(ascii: "h") || c[i] == UInt8(ascii: "l") || c[i] == UInt8(ascii: "L")) { i += 1 }
            if i >= c.count { throw err("ValueError", "incomplete format") }
            let tb = c[i]; i += 1
            if tb == percent { out.append(percent); continue }
            var v: Value
            if let key {
                guard let m = mapping else { throw typeError("format requires a mapping") }
                guard let x = m.get(.str(key)) else { throw errValue("KeyError", .str(key)) }
                // CPython's arguments are then the mapping's item, used up: a later `%s` finds none left
                v = x; usedMapping = true; ai = args.count
            } else { v = try nextArg() }
            if left { sp.align = "<"; sp.zero = false }
            // the plain `%s` and `%d` of an int or a str: no padding, no conversion to look up
            if sp.width == 0 && sp.precision == nil && sp.sign == "-" && !sp.alt {
                if tb == UInt8(ascii: "s") || tb == UInt8(ascii: "d") || tb == UInt8(ascii: "i") {
                    if case .int(let n) = v { out.append(contentsOf: String(n).utf8); continue }
                }
                if tb == UInt8(ascii: "s"), case .str(let s) = v { out.append(contentsOf: s.s.utf8); continue }
            }
            let piece: String
            switch tb {
            case UInt8(ascii: "s"):
                var s = try str(v); if let p = sp.precision { s = String(s.unicodeScalars.prefix(p)) }
                piece = pad(s, "", sp.noZero, numeric: !left)
            case UInt8(ascii: "r"):
                var s = try repr(v); if let p = sp.precision { s = String(s.unicodeScalars.prefix(p)) }
                piece = pad(s, "", sp.noZero, numeric: !left)
            case UInt8(ascii: "a"): piece = pad(asciiEscape(try repr(v)), "", sp.noZero, numeric: !left)
            case UInt8(ascii: "d"), UInt8(ascii: "i"), UInt8(ascii: "u"):
                var iv = v
                if case .float(let d) = v {
                    if !d.isFinite { throw err("OverflowError", "cannot convert float \(d.isNaN ? "NaN" : "infinity") to integer") }
                    iv = .bigOrInt(BigInt(d.rounded(.towardZero)))
                }
                // an object with __int__ or __index__ (an IntEnum member), as CPython's PyNumber_Long
                if case .obj(let inst as PyInstance) = v, let f = inst.cls.lookup("__int__") ?? inst.cls.lookup("__index__") {
                    iv = try callBound(f, v, [], [])
                } else if case .obj(let inst as PyInstance) = v, let b = inst.payload as? BuiltinBase {
                    iv = b.value   // an instance of an int (or float) subclass
                    if case .float(let d) = iv {
                        if !d.isFinite { throw err("OverflowError", "cannot convert float \(d.isNaN ? "NaN" : "infinity") to integer") }
                        iv = .bigOrInt(BigInt(d.rounded(.towardZero)))
                    }
                }
                let t = Character(UnicodeScalar(tb))
                guard isIntLike(iv) else { throw typeError("%\(t) format: a real number is required, not \(typeName(v))") }
                var s2 = sp; s2.type = "d"; s2.precision = nil
                piece = try format(iv, specString(s2))
            case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"):
                var v = v
                let t = Character(UnicodeScalar(tb))
                if case .obj(let inst as PyInstance) = v, let b = inst.payload as? BuiltinBase, isIntLike(b.value) { v = b.value }
                guard isIntLike(v) else { throw typeError("%\(t) format: an integer is required, not \(typeName(v))") }
                var s2 = sp; s2.type = t
                piece = try format(v, specString(s2))
            case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "g"), UInt8(ascii: "G"):
                guard let d = numeric(v) else { throw typeError("must be real number, not \(typeName(v))") }
                var s2 = sp; s2.type = Character(UnicodeScalar(tb)); if s2.precision == nil { s2.precision = 6 }
                piece = try formatFloat(d, s2)
            case UInt8(ascii: "c"):
                if case .str(let s) = v, s.s.unicodeScalars.count == 1 {
                    piece = pad(s.s, "", sp, numeric: !left)
                } else if isIntLike(v) {
                    guard case .int(let n) = v, n >= 0, n < 0x110000 else { throw err("OverflowError", "%c arg not in range(0x110000)") }
                    // a lone surrogate has no Swift scalar: shown as U+FFFD, as elsewhere in this str
                    let u = UnicodeScalar(UInt32(n)) ?? "\u{FFFD}"
                    piece = pad(String(Character(u)), "", sp, numeric: !left)
                } else {
                    throw typeError("%c requires int or char")
                }
            default:
                // the character and its index counted in code points, as CPython reports them
                let at = i - 1
                var end = at + 1
                while end < c.count && c[end] & 0xC0 == 0x80 { end += 1 }
                let scalar = String(decoding: UnsafeBufferPointer(rebasing: c[at..<end]), as: UTF8.self).unicodeScalars.first?.value ?? 0
                let index = String(decoding: UnsafeBufferPointer(rebasing: c[0..<at]), as: UTF8.self).unicodeScalars.count
                let shown = scalar >= 32 && scalar < 127 ? String(UnicodeScalar(UInt8(scalar))) : "?"
                throw err("ValueError", "unsupported format character '\(shown)' (0x\(String(scalar, radix: 16))) at index \(index)")
            }
            out.append(contentsOf: piece.utf8)
        }
        if ai < args.count && mapping == nil && !usedMapping {
            throw typeError("not all arguments converted during string formatting")
        }
        return String(decoding: out, as: UTF8.self)
    }

    func specString(_ sp: Spec) -> String {
        var s = ""
        if let a = sp.align { s += String(sp.fill) + String(a) }
        if sp.sign != "-" { s.append(sp.sign) }
        if sp.alt { s += "#" }
        if sp.zero { s += "0" }
        if sp.width > 0 { s += String(sp.width) }
        if let p = sp.precision { s += "." + String(p) }
        if let t = sp.type { s.append(t) }
        return s
    }

    // MARK: str.format

    func strFormat(_ fmt: String, _ args: [Value], _ kw: [(String, Value)]) throws -> String {
        var out = ""
        let c = Array(fmt)
        var i = 0
        var auto = 0
        while i < c.count {
            let ch = c[i]
            if ch == "{" {
                if i + 1 < c.count && c[i + 1] == "{" { out += "{"; i += 2; continue }
                var j = i + 1
                var depth = 1
                while j < c.count {
                    if c[j] == "{" { depth += 1 } else if c[j] == "}" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                if j >= c.count { throw err("ValueError", "Single '{' encountered in format string") }
                let field = String(c[(i + 1)..<j])
                i = j + 1
                // split field name, conversion, spec
                var name = field, conv: Character? = nil, spec = ""
                if let ci = field.firstIndex(of: ":") {
                    name = String(field[..<ci]); spec = String(field[field.index(after: ci)...])
                }
                if let bi = name.firstIndex(of: "!") {
                    let after = name[name.index(after: bi)...]
                    conv = after.first
                    name = String(name[..<bi])
                }
                if spec.contains("{") { spec = try strFormatNested(spec, args, kw, &auto) }
                // resolve the name: first part is index or keyword, then .attr / [key]
                var head = name
                var rest = ""
                if let k = name.firstIndex(where: { $0 == "." || $0 == "[" }) { head = String(name[..<k]); rest = String(name[k...]) }
                var v: Value
                if head.isEmpty {
                    if auto >= args.count { throw err("IndexError", "Replacement index \(auto) out of range for positional args tuple") }
                    v = args[auto]; auto += 1
                } else if let n = Int(head) {
                    if n >= args.count { throw err("IndexError", "Replacement index \(n) out of range for positional args tuple") }
                    v = args[n]
                } else {
                    guard let kv = kw.first(where: { $0.0 == head }) else { throw errValue("KeyError", .str(head)) }
                    v = kv.1
                }
                var r = Substring(rest)
                while !r.isEmpty {
                    if r.first == "." {
                        r = r.dropFirst()
                        let end = r.firstIndex(where: { $0 == "." || $0 == "[" }) ?? r.endIndex
                        v = try getAttr(v, String(r[..<end])); r = r[end...]
                    } else if r.first == "[" {
                        let end = r.firstIndex(of: "]") ?? r.endIndex
                        let key = String(r[r.index(after: r.startIndex)..<end])
                        v = try getItem(v, Int(key).map { .int($0) } ?? .str(key))
                        r = end < r.endIndex ? r[r.index(after: end)...] : r[end...]
                    } else { break }
                }
                if conv == "r" { v = .str(try repr(v)) } else if conv == "s" { v = .str(try str(v)) } else if conv == "a" { v = .str(asciiEscape(try repr(v))) }
                out += try format(v, spec)
            } else if ch == "}" {
                if i + 1 < c.count && c[i + 1] == "}" { out += "}"; i += 2; continue }
                throw err("ValueError", "Single '}' encountered in format string")
            } else { out.append(ch); i += 1 }
        }
        return out
    }

    func strFormatNested(_ spec: String, _ args: [Value], _ kw: [(String, Value)], _ auto: inout Int) throws -> String {
        var out = ""
        var it = Array(spec)[...]
        while let ch = it.first {
            it = it.dropFirst()
            if ch == "{" {
                var name = ""
                while let d = it.first, d != "}" { name.append(d); it = it.dropFirst() }
                it = it.dropFirst()
                if name.isEmpty { out += try str(args[auto]); auto += 1 }
                else if let n = Int(name) { out += try str(args[n]) }
                else if let kv = kw.first(where: { $0.0 == name }) { out += try str(kv.1) }
            } else { out.append(ch) }
        }
        return out
    }
}

extension Interpreter.Spec {
    var noZero: Interpreter.Spec { var s = self; s.zero = false; return s }
}

extension String {
    func leftPad(_ n: Int, _ c: Character) -> String {
        let k = unicodeScalars.count
        return k >= n ? self : PyStr.repeating(String(c), n - k) + self
    }
}

final class NativeRepr { let repr: String; init(_ r: String) { repr = r } }
