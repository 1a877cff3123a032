// The builtin functions and the helpers they share (the builtin types are made in BuiltinTypes.swift).
// Mirrors CPython's `Python/bltinmodule.c` and `Objects/exceptions.c`.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for native functions: positional/keyword argument access with Python's error messages.
public struct Args {
    public let pos: [Value]
    public let kw: [(String, Value)]
    let fname: String
    public init(_ pos: [Value], _ kw: [(String, Value)], _ fname: String) { self.pos = pos; self.kw = kw; self.fname = fname }
    public func get(_ i: Int, _ name: String) -> Value? {
        if i < pos.count { return pos[i] }
        return kw.first { $0.0 == name }?.1
    }
    public func kwarg(_ name: String) -> Value? { kw.first { $0.0 == name }?.1 }
}

extension Interpreter {
    func def(_ name: String, _ fn: @escaping NativeFn) {
        builtins[name] = .obj(PyBuiltin(name, fn))
    }

    func need(_ a: [Value], _ n: Int, _ name: String) throws {
        if a.count < n {
            throw typeError("\(name)() takes exactly \(n) argument\(n == 1 ? "" : "s") (\(a.count) given)")
        }
    }

    func intArg(_ v: Value, _ what: String = "an integer") throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigBox: throw err("OverflowError", "Python int too large to convert to C ssize_t")
        default:
            // an instance of an int subclass (re.RegexFlag, a user's `class Port(int)`) is its int
            if case .obj(let o as PyInstance) = v, let b = o.payload as? BuiltinBase, isIntLike(b.value) { return try intArg(b.value, what) }
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
    }

    func newType(_ name: String, _ base: PyClass?, _ native: NativeFn?) -> PyClass {
        let c = PyClass(name: name, bases: base.map { [$0] } ?? [], dict: [:])
        c.native = native
        typeClasses[name] = c
        builtins[name] = .obj(c)
        return c
    }

    func dictUpdate(_ d: PyDict, _ src: Value) throws {
        if case .dict(let s) = src { for (k, v) in s.items { d.set(k, v) }; return }
        if case .obj(let i as PyInstance) = src, let dd = i.payload as? DefaultDictPayload { for (k, v) in dd.d.items { d.set(k, v) }; return }
        if case .obj(let i as PyInstance) = src, i.cls.lookup("keys") != nil {
            for k in try toArray(try callMethod(src, "keys", [], [])) { d.set(k, try getItem(src, k)) }
            return
        }
        var idx = 0
        try iterate(src) { item in
            let kv = try toArray(item)
            if kv.count != 2 {
                throw err("ValueError", "dictionary update sequence element #\(idx) has length \(kv.count); 2 is required")
            }
            try checkHashable(kv[0])
            d.set(kv[0], kv[1]); idx += 1
            return true
        }
    }

    func parseInt(_ s0: String, _ base: Int) throws -> Value {
        if base == 10, let v = asciiDecimal(s0) { return .int(v) }
        func bad() -> PyException { err("ValueError", "invalid literal for int() with base \(base): \(strRepr(s0))") }
        var s = Substring(Interpreter.asciiDigitsAndBlanks(s0).trimmingCharacters(in: " \t\n\r\u{0B}\u{0C}"))
        var neg = false
        if s.hasPrefix("-") { neg = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        var b = base
        var prefixed = false
        let low = s.prefix(2).lowercased()
        if (b == 16 || b == 0) && low == "0x" { s = s.dropFirst(2); b = 16; prefixed = true }
        else if (b == 8 || b == 0) && low == "0o" { s = s.dropFirst(2); b = 8; prefixed = true }
        else if (b == 2 || b == 0) && low == "0b" { s = s.dropFirst(2); b = 2; prefixed = true }
        // CPython's rules for `_`: between digits, or right after a base prefix; never last or doubled
        if s.hasSuffix("_") || s.contains("__") || (s.hasPrefix("_") && !prefixed) { throw bad() }
        let digits = String(s).replacingAll("_", "")
        // (Swift's Int(_:radix:) would take a second sign: `int("--1")`)
        if digits.isEmpty || digits.hasPrefix("-") || digits.hasPrefix("+") { throw bad() }
        // base 0 reads a literal as Python source does: no leading zeros on a nonzero decimal number
        if base == 0 && !prefixed && digits.hasPrefix("0") && digits.contains(where: { $0 != "0" }) { throw bad() }
        if b == 0 { b = 10 }
        if let v = Int(digits, radix: b) { return .int(neg ? -v : v) }
        if b < 2 || b > 36 { throw err("ValueError", "int() base must be >= 2 and <= 36, or 0") }
        try checkDigitLimit(digits.utf8.count, base: b)
        guard let big = bigFromString(digits, b) else { throw bad() }
        return .bigOrInt(neg ? -big : big)
    }

    /// `s` with every Unicode decimal digit (`٣`, `３`) as its ASCII digit and every other blank as a space, as
    /// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII` before it reads a number; ASCII text as it is.
    static func asciiDigitsAndBlanks(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.properties.numericType == .decimal, let d = u.properties.numericValue, d >= 0, d <= 9 {
                out.append(Unicode.Scalar(UInt8(48 + Int(d))))
            } else if u.properties.isWhitespace {
                out.append(" ")
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// `int(s)` for the common text: ASCII blanks, a sign, ASCII digits that fit a machine int, blanks; nil for
    /// anything else (underscores, other digits, a big int, an error), which `parseInt` then reads in full.
    private func asciiDecimal(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { b -> Int? in
            var i = 0
            let n = b.count
            func blank(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
            while i < n && blank(b[i]) { i += 1 }
            var neg = false
            if i < n && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) { neg = b[i] == UInt8(ascii: "-"); i += 1 }
            let start = i
            var v = 0
            while i < n, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(b[i] - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                v = a
                i += 1
            }
            if i == start { return nil }
            while i < n && blank(b[i]) { i += 1 }
            return i == n ? (neg ? -v : v) : nil
        }
    }

    func toInt(_ v: Value) throws -> Value {
        switch v {
        case .int, .bigBox: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            if d.isNaN { throw err("ValueError", "cannot convert float NaN to integer") }
            if d.isInfinite { throw err("OverflowError", "cannot convert float infinity to integer") }
            let t = d.rounded(.towardZero)
            if abs(t) < 9.2e18 { return .int(Int(t)) }
            return .bigOrInt(BigInt(t))
        case .str(let s): return try parseInt(s.s, 10)
        case .obj(let o as PyInstance):
            if let f = o.cls.lookup("__int__") { return try callBound(f, v, [], []) }
            if let f = o.cls.lookup("__index__") { return try callBound(f, v, [], []) }
            if let b = o.payload as? BuiltinBase, isIntLike(b.value) || { if case .float = b.value { return true }; return false }() {
                return try toInt(b.value)
            }
        case .obj(let b as PyBytes): return try parseInt(String(decoding: b.b, as: UTF8.self), 10)
        default: break
        }
        throw typeError("int() argument must be a string, a bytes-like object or a real number, not '\(typeName(v))'")
    }

    func minMax(_ a: [Value], _ kw: [(String, Value)], isMax: Bool) throws -> Value {
        let name = isMax ? "max" : "min"
        if a.isEmpty { throw typeError("\(name) expected at least 1 argument, got 0") }
        let items = a.count == 1 ? try toArray(a[0]) : a
        let key = kw.first { $0.0 == "key" }?.1
        if items.isEmpty {
            if let d = kw.first(where: { $0.0 == "default" }) { return d.1 }
            throw err("ValueError", "\(name)() arg is an empty sequence")
        }
        var best = items[0]
        var bestK = (key == nil || key!.isNone) ? best : try call(key!, [best], [])
        for x in items.dropFirst() {
            let k = (key == nil || key!.isNone) ? x : try call(key!, [x], [])
            let better = isMax ? try less(bestK, k, "<") : try less(k, bestK, "<")
            if better {
                best = x; bestK = k
            }
        }
        return best
    }

    func sortValues(_ items: inout [Value], key: Value?, reverse: Bool) throws {
        var keys: [Value]
        if let key, !key.isNone { keys = try items.map { try call(key, [$0], []) } } else { keys = items }
        var idx = Array(0..<items.count)
        var thrown: Error? = nil
        // stable merge sort over indices: Swift's sort is not guaranteed stable for all inputs before 5.x; use our own
        idx = try mergeSort(idx) { a, b in
            if thrown != nil { return false }
            do {
                return reverse ? try self.less(keys[b], keys[a], "<") : try self.less(keys[a], keys[b], "<")
            } catch { thrown = error; return false }
        }
        if let thrown { throw thrown }
        items = idx.map { items[$0] }
    }

    func mergeSort(_ a: [Int], _ less: (Int, Int) throws -> Bool) throws -> [Int] {
        if a.count <= 1 { return a }
        var src = a
        var dst = a
        var width = 1
        let n = a.count
        while width < n {
            var i = 0
            while i < n {
                let mid = min(i + width, n), hi = min(i + 2 * width, n)
                var l = i, r = mid, k = i
                while l < mid && r < hi {
                    if try less(src[r], src[l]) { dst[k] = src[r]; r += 1 } else { dst[k] = src[l]; l += 1 }
                    k += 1
                }
                while l < mid { dst[k] = src[l]; l += 1; k += 1 }
                while r < hi { dst[k] = src[r]; r += 1; k += 1 }
                i += 2 * width
            }
            swap(&src, &dst)
            width *= 2
        }
        return src
    }

    func hashValue(_ v: Value) throws -> Int {
        try checkHashable(v)
        switch v {
        case .int(let i):   // CPython's: modulo 2^61 - 1
            let h = i.magnitude < (1 << 61) - 1 ? i : BigInt(i).pyHash
            return h == -1 ? -2 : h
        case .bigBox(let b): return b.pyHash
        case .bool(let b): return b ? 1 : 0
        case .none: return 0x5f3759df
        case .float(let d):   // an integral float hashes as the equal int
            if let i = Int(exactly: d) { return try hashValue(.int(i)) }
            if let b = BigInt(exactly: d) { return b.pyHash }
            return pyFloatHash(d)
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__hash__") { return try intArg(try callBound(f, v, [], [])) }
            if let b = v.builtinBaseKey { return try hashValue(b) }
            return identityHash(i)
        default: return v.hashValue
        }
    }

    /// An object's hash by identity, as object's `__hash__` (CPython: id(x) >> 4).
    func identityHash(_ o: PyInstance) -> Int { Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o))) >> 4 }

    /// What `sys.stderr` holds now (the process's stderr until the program reassigns it or never imports sys).
    func currentStderr() -> Value {
        if let box = layerState["sys.stderr"] as? GlobalBox, let v = box.value, !v.isNone { return v }
        return .obj(errf)
    }

    func printTo(_ a: [Value], _ kw: [(String, Value)]) throws {
        var sep = " ", end = "\n"
        var file: Value = .none
        var flush = false
        for (k, v) in kw {
            switch k {
            case "sep": if case .str(let s) = v { sep = s.s } else if !v.isNone { throw typeError("sep must be None or a string, not \(typeName(v))") }
            case "end": if case .str(let s) = v { end = s.s } else if !v.isNone { throw typeError("end must be None or a string, not \(typeName(v))") }
            case "file": file = v
            case "flush": flush = try truthy(v)
            default: throw typeError("'\(k)' is an invalid keyword argument for print()")
            }
        }
        // no file: sys.stdout, whatever the program made it (None: print nothing), as CPython's print
        if file.isNone, let box = layerState["sys.stdout"] as? GlobalBox, let v = box.value {
            if v.isNone { return }
            file = v
        }
        if case .obj(let f as PyFile) = file {
            var s = ""
            for (i, x) in a.enumerated() {
                if i > 0 { s += sep }
                if case .str(let t) = x { s += t.s } else { s += try str(x) }
            }
            s += end
            try fileWrite(f, s)
            if flush || f === errf { fileFlush(f) }
            return
        }
        if file.isNone {
            var s = ""
            for (i, x) in a.enumerated() {
                if i > 0 { s += sep }
                if case .str(let t) = x { s += t.s } else { s += try str(x) }
            }
            try fileWrite(out, s + end)
            if flush { fileFlush(out) }
            return
        }
        // any other object with a write method: one write per argument, separator and end, as CPython's
        for (i, x) in a.enumerated() {
            if i > 0 { _ = try callMethod(file, "write", [.str(sep)], []) }
            _ = try callMethod(file, "write", [x.isStr ? x : .str(try str(x))], [])
        }
        _ = try callMethod(file, "write", [.str(end)], [])
        if flush { _ = try callMethod(file, "flush", [], []) }
    }

    func setupBuiltins() {
        setupMemoryView()
        def("print") { i, a, kw in try i.printTo(a, kw); return .none }
        def("len") { i, a, _ in try i.need(a, 1, "len"); return .int(try i.len(a[0])) }
        def("repr") { i, a, _ in try i.need(a, 1, "repr"); return .str(try i.repr(a[0])) }
        def("ascii") { i, a, _ in try i.need(a, 1, "ascii"); return .str(asciiEscape(try i.repr(a[0]))) }
        def("abs") { i, a, _ in
            try i.need(a, 1, "abs")
            switch a[0] {
            case .int(let x): return x == Int.min ? .big(-BigInt(x)) : .int(abs(x))
            case .bigBox(let b): return .big(b.magnitude)
            case .float(let d): return .float(abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .obj(let o as PyInstance): if let f = o.cls.lookup("__abs__") { return try i.callBound(f, a[0], [], []) }
            default: break
            }
            throw i.typeError("bad operand type for abs(): '\(i.typeName(a[0]))'")
        }
        def("min") { i, a, kw in try i.minMax(a, kw, isMax: false) }
        def("max") { i, a, kw in try i.minMax(a, kw, isMax: true) }
        def("sum") { i, a, kw in
            try i.need(a, 1, "sum")
            var acc: Value = a.count > 1 ? a[1] : (kw.first { $0.0 == "start" }?.1 ?? .int(0))
            if case .str = acc { throw i.typeError("sum() can't sum strings [use ''.join(seq) instead]") }
            var fsum: Double? = nil
            // a big total that ints are added to in place: made here, seen by nobody else until the sum ends
            var owned: PyBig? = nil
            try i.iterate(a[0]) { x in
                if case .float(let d) = x, fsum != nil { fsum! += d; return true }
                if case .int(let s) = acc, case .int(let y) = x {
                    let (r, o) = s.addingReportingOverflow(y)
                    if !o { acc = .int(r); return true }
                    owned = BigInt(s) + y
                    acc = .none
                    return true
                }
                if let b = owned {
                    if case .int(let y) = x { b.addInPlace(y); return true }
                    acc = .bigOrInt(b)
                    owned = nil
                }
                if let f = fsum { acc = .float(f); fsum = nil }
                acc = try i.binop(.add, acc, x)
                if case .float(let d) = acc { fsum = d }
                return true
            }
            if let f = fsum { return .float(f) }
            if let b = owned { return .bigOrInt(b) }
            return acc
        }
        def("round") { i, a, kw in
            let args = Args(a, kw, "round")
            guard let x = args.get(0, "number") else { throw i.typeError("round() missing required argument 'number' (pos 1)") }
            let nd = args.get(1, "ndigits")
            switch x {
            case .int, .bigBox, .bool:
                guard let nd, !nd.isNone else { return try i.toInt(x) }
                // ndigits past the number's own digits: the answer is known without 10**-ndigits, which for
                // round(1, -10**12) could not be computed (it aborted allocating)
                let b = i.big(x)!
                let digits = (b.sign == .minus ? -b : b).description.count
                if case .bigBox(let big) = nd { return big.sign == .minus ? .int(0) : try i.toInt(x) }
                let n = try i.intArg(nd)
                if n >= 0 { return try i.toInt(x) }
                if n < -digits { return .int(0) }
                let p = BigInt(10).power(-n)
                let (q, r) = b.quotientAndRemainder(dividingBy: p)
                var qq = q
                let twice = (r.sign == .minus ? -r : r) * 2
                if twice > p || (twice == p && !(qq % 2).isZero) { qq += b.sign == .minus ? -1 : 1 }
                return .bigOrInt(qq * p)
            case .float(let d):
                guard let nd, !nd.isNone else {
                    if !d.isFinite { throw i.err(d.isNaN ? "ValueError" : "OverflowError", d.isNaN ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer") }
                    return try i.toInt(.float(d.rounded(.toNearestOrEven)))
                }
                if !d.isFinite { return .float(d) }
                // beyond ±400 digits a double is itself (no digits that far right) or 0.0 (none that far left)
                let n: Int
                if case .bigBox(let big) = nd { n = big.sign == .minus ? -400 : 400 } else { n = try i.intArg(nd) }
                if n >= 400 { return .float(d) }
                if n <= -400 { return .float(d.sign == .minus ? -0.0 : 0.0) }
                // correctly rounded: format with n digits using the shortest repr and round-half-even on the decimal string
                return .float(roundDouble(d, n))
            case .obj(let o as PyInstance):
                if let f = o.cls.lookup("__round__") { return try i.callBound(f, x, nd.map { [$0] } ?? [], []) }
            default: break
            }
            throw i.typeError("type \(i.typeName(x)) doesn't define __round__ method")
        }
        def("divmod") { i, a, _ in
            try i.need(a, 2, "divmod")
            // a user class's __divmod__, then the other operand's __rdivmod__ (Decimal, Fraction), as CPython's
            if case .obj(let x as PyInstance) = a[0], let f = x.cls.lookup("__divmod__") {
                let r = try i.callBound(f, a[0], [a[1]], [])
                if case .obj(let o) = r, o === notImplemented {} else { return r }
            }
            if case .obj(let y as PyInstance) = a[1], let f = y.cls.lookup("__rdivmod__") {
                let r = try i.callBound(f, a[1], [a[0]], [])
                if case .obj(let o) = r, o === notImplemented {} else { return r }
            }
            do {
                return .tuple(PyTuple([try i.binop(.floordiv, a[0], a[1]), try i.binop(.mod, a[0], a[1])]))
            } catch let e as PyException where e.exc.cls.isSubclass(of: i.excClass("TypeError")) {
                // CPython names divmod() itself, not the // it stands for here
                throw i.typeError("unsupported operand type(s) for divmod(): '\(i.typeName(a[0]))' and '\(i.typeName(a[1]))'")
            }
        }
        def("pow") { i, a, _ in
            if a.count == 3 {
                // pow(x, y, z) of a user class (Decimal): its __pow__ with the modulus
                if case .obj(let x as PyInstance) = a[0], let f = x.cls.lookup("__pow__") {
                    return try i.callBound(f, a[0], [a[1], a[2]], [])
                }
                guard let b = i.big(a[0]), let e = i.big(a[1]), let m = i.big(a[2]) else { throw i.typeError("pow() 3rd argument not allowed unless all arguments are integers") }
                if m.isZero { throw i.err("ValueError", "pow() 3rd argument cannot be 0") }
                guard let r = b.powMod(e, m) else { throw i.err("ValueError", "base is not invertible for the given modulus") }
                return .bigOrInt(r)
            }
            try i.need(a, 2, "pow")
            return try i.binop(.pow, a[0], a[1])
        }
        def("sorted") { i, a, kw in
            try i.need(a, 1, "sorted")
            var items = try i.toArray(a[0])
            let key = kw.first { $0.0 == "key" }?.1
            let rev = try kw.first { $0.0 == "reverse" }.map { try i.truthy($0.1) } ?? false
            try i.sortValues(&items, key: key, reverse: rev)
            return .list(PyList(items))
        }
        def("reversed") { i, a, _ in
            try i.need(a, 1, "reversed")
            if case .obj(let o as PyInstance) = a[0], let f = o.cls.lookup("__reversed__") { return try i.callBound(f, a[0], [], []) }
            if case .obj(let r as PyRange) = a[0] {
                guard let n = r.exactCount else { throw i.err("OverflowError", "Python int too large to convert to C ssize_t") }
                if n == 0 { return .obj(try i.getIter(.list(PyList([])))) }
                // the last item, one step before the first, and the negated step, all checked: the ends of a range
                // near Int.min or Int.max have no Int beyond them
                let (span, o1) = (n - 1).multipliedReportingOverflow(by: r.step)
                let (last, o2) = r.start.addingReportingOverflow(span)
                let (stop, o3) = r.start.subtractingReportingOverflow(r.step)
                let (step, o4) = (0).subtractingReportingOverflow(r.step)
                if o1 || o2 || o3 || o4 {
                    throw i.err("OverflowError", "reversed() of a range that reaches the 64-bit limits is not supported; build the reversed range by hand")
                }
                return .obj(try i.getIter(.obj(PyRange(last, stop, step))))
            }
            if case .dict(let d) = a[0] { return .obj(try i.getIter(.list(PyList(d.orderedKeys.reversed())))) }
            switch a[0] {
            case .list, .tuple, .str: break
            case .obj(let o) where o is PyBytes: break
            case .obj(let o as PyInstance) where o.cls.lookup("__getitem__") != nil && o.cls.lookup("__len__") != nil:
                var k = try i.len(a[0])
                return .obj(PyIterator("reversed") { k -= 1; return k >= 0 ? try i.getItem(a[0], .int(k)) : nil })
            default: throw i.typeError("'\(i.typeName(a[0]))' object is not reversible")
            }
            let items = try i.toArray(a[0])
            var k = items.count
            return .obj(PyIterator("list_reverseiterator") { k -= 1; return k >= 0 ? items[k] : nil })
        }
        def("enumerate") { i, a, kw in
            let args = Args(a, kw, "enumerate")
            guard let src = args.get(0, "iterable") else { throw i.typeError("enumerate() missing required argument 'iterable'") }
            let it = try i.getIter(src)
            var n: Value = .int(0)
            if let start = args.get(1, "start") {
                switch start {
                case .int, .bigBox: n = start
                default: n = .int(try i.intArg(start))
                }
            }
            return .obj(EnumerateIterator(it, from: n, i))
        }
        def("zip") { i, a, kw in
            let its = try a.map { try i.getIter($0) }
            let strict = try kw.first { $0.0 == "strict" }.map { try i.truthy($0.1) } ?? false
            return .obj(PyIterator("zip") {
                if its.isEmpty { return nil }
                var out: [Value] = []
                for (k, it) in its.enumerated() {
                    guard let v = try it.nextFn() else {
                        if strict && k > 0 {
                            throw i.err("ValueError", "zip() argument \(k + 1) is shorter than argument 1")
                        }
                        return nil
                    }
                    out.append(v)
                }
                return .tuple(PyTuple(out))
            })
        }
        def("map") { i, a, _ in
            guard a.count >= 2 else { throw i.typeError("map() must have at least two arguments.") }
            let f = a[0]
            let its = try a.dropFirst().map { try i.getIter($0) }
            return .obj(PyIterator("map") {
                var args: [Value] = []
                for it in its { guard let v = try it.nextFn() else { return nil }; args.append(v) }
                return try i.call(f, args, [])
            })
        }
        def("filter") { i, a, _ in
            try i.need(a, 2, "filter")
            let f = a[0]
            let it = try i.getIter(a[1])
            return .obj(PyIterator("filter") {
                while let v = try it.nextFn() {
                    if f.isNone ? try i.truthy(v) : try i.truthy(try i.call(f, [v], [])) { return v }
                }
                return nil
            })
        }
        def("any") { i, a, _ in
            try i.need(a, 1, "any")
            var r = false
            try i.iterate(a[0]) { x in if try i.truthy(x) { r = true; return false }; return true }
            return .bool(r)
        }
        def("all") { i, a, _ in
            try i.need(a, 1, "all")
            var r = true
            try i.iterate(a[0]) { x in if !(try i.truthy(x)) { r = false; return false }; return true }
            return .bool(r)
        }
        def("isinstance") { i, a, _ in
            try i.need(a, 2, "isinstance")
            return .bool(try i.isInstanceOf(a[0], a[1]))
        }
        def("issubclass") { i, a, _ in
            try i.need(a, 2, "issubclass")
            guard case .obj(let c as PyClass) = a[0] else { throw i.typeError("issubclass() arg 1 must be a class") }
            func check(_ t: Value) throws -> Bool {
                if case .obj(let d as PyClass) = t { return c.isSubclass(of: d) || d === i.objectClass }
                if case .tuple(let tu) = t { return try tu.items.contains { try check($0) } }
                throw i.typeError("issubclass() arg 2 must be a class, a tuple of classes, or a union")
            }
            return .bool(try check(a[1]))
        }
        def("iter") { i, a, _ in
            try i.need(a, 1, "iter")
            if a.count == 2 {
                let f = a[0], sentinel = a[1]
                return .obj(PyIterator("callable_iterator") {
                    let v = try i.call(f, [], [])
                    return try i.eq(v, sentinel) ? nil : v
                })
            }
            return .obj(try i.getIter(a[0]))
        }
        def("next") { i, a, _ in
            try i.need(a, 1, "next")
            guard case .obj(let o) = a[0] else { throw i.typeError("'\(i.typeName(a[0]))' object is not an iterator") }
            if let it = o as? PyIterator {
                if let v = try it.nextFn() { return v }
                if a.count > 1 { return a[1] }
                if let g = it as? GeneratorIterator { throw g.stopIteration() }
                throw i.err("StopIteration", nil)
            }
            if let inst = o as? PyInstance, let f = inst.cls.lookup("__next__") {
                do { return try i.callBound(f, a[0], [], []) }
                catch let e as PyException where e.exc.cls.name == "StopIteration" && a.count > 1 { return a[1] }
            }
            throw i.typeError("'\(i.typeName(a[0]))' object is not an iterator")
        }
        def("hash") { i, a, _ in try i.need(a, 1, "hash"); return .int(try i.hashValue(a[0])) }
        def("id") { i, a, _ in
            try i.need(a, 1, "id")
            // the object's address, as CPython's (never negative; the same number its repr shows in hex)
            if let o = a[0].objectRef { return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o)))) }
            return .int(a[0].hashValue & 0xffffffffffff)
        }
        def("chr") { i, a, _ in
            try i.need(a, 1, "chr")
            let n = try i.intArg(a[0])
            guard n >= 0 && n < 0x110000, let u = UnicodeScalar(UInt32(n)) else {
                if n >= 0xd800 && n < 0xe000 { return .str(PyStr.of([UInt32(n)])) }
                throw i.err("ValueError", "chr() arg not in range(0x110000)")
            }
            return .str(String(Character(u)))
        }
        def("ord") { i, a, _ in
            try i.need(a, 1, "ord")
            if case .str(let s) = a[0] {
                if s.count != 1 { throw i.typeError("ord() expected a character, but string of length \(s.count) found") }
                return .int(Int(s.codePoints[0]))
            }
            if case .obj(let b as PyBytes) = a[0], b.b.count == 1 { return .int(Int(b.b[0])) }
            throw i.typeError("ord() expected string of length 1, but \(i.typeName(a[0])) found")
        }
        for (name, radix, prefix) in [("hex", 16, "0x"), ("oct", 8, "0o"), ("bin", 2, "0b")] {
            def(name) { i, a, _ in
                try i.need(a, 1, name)
                guard let b = i.big(a[0]) else { throw i.typeError("'\(i.typeName(a[0]))' object cannot be interpreted as an integer") }
                let neg = b.sign == .minus && !b.isZero
                return .str((neg ? "-" : "") + prefix + String(neg ? -b : b, radix: radix))
            }
        }
        def("callable") { i, a, _ in
            try i.need(a, 1, "callable")
            guard case .obj(let o) = a[0] else { return .bool(false) }
            if let inst = o as? PyInstance { return .bool(inst.cls.lookup("__call__") != nil) }
            return .bool(o is PyFunction || o is PyBuiltin || o is PyBoundMethod || o is PyNativeMethod || o is PyClass)
        }
        def("getattr") { i, a, _ in
            try i.need(a, 2, "getattr")
            guard case .str(let n) = a[1] else { throw i.typeError("attribute name must be string, not '\(i.typeName(a[1]))'") }
            if a.count > 2 {
                do { return try i.getAttr(a[0], n.s) } catch let e as PyException where e.exc.cls.isSubclass(of: i.excClass("AttributeError")) { return a[2] }
            }
            return try i.getAttr(a[0], n.s)
        }
        def("setattr") { i, a, _ in
            try i.need(a, 3, "setattr")
            guard case .str(let n) = a[1] else { throw i.typeError("attribute name must be string, not '\(i.typeName(a[1]))'") }
            try i.setAttr(a[0], n.s, a[2]); return .none
        }
        def("delattr") { i, a, _ in try i.need(a, 2, "delattr");
            guard case .str(let n) = a[1] else { throw i.typeError("attribute name must be string") }
            try i.delAttr(a[0], n.s); return .none
        }
        def("hasattr") { i, a, _ in
            try i.need(a, 2, "hasattr")
            guard case .str(let n) = a[1] else { throw i.typeError("attribute name must be string, not '\(i.typeName(a[1]))'") }
            do { _ = try i.getAttr(a[0], n.s); return .bool(true) }
            catch let e as PyException where e.exc.cls.isSubclass(of: i.excClass("AttributeError")) { return .bool(false) }
        }
        def("vars") { i, a, _ in try i.need(a, 1, "vars"); return try i.getAttr(a[0], "__dict__") }
        def("dir") { i, a, _ in
            var names: Set<String> = []
            // a class's names, its bases' and, for a builtin type (or a class derived from one), its methods
            func classNames(_ c: PyClass) {
                for k in c.mro {
                    names.formUnion(k.dict.keys)
                    if let methods = builtinTypeMethods[k.name], i.typeClasses[k.name] === k { names.formUnion(methods) }
                }
            }
            switch a.first {
            case .obj(let o as PyInstance)?: names.formUnion(o.dict.keys); classNames(o.cls)
            case .obj(let c as PyClass)?: classNames(c)
            case .obj(let m as PyModule)?: names.formUnion(m.globals.keys)
            case let v?: classNames(i.typeOf(v))   // a value of a builtin type: its type's methods
            case nil: break
            }
            return .list(PyList(names.sorted().map { .str($0) }))
        }
        def("input") { i, a, _ in
            if let p = a.first { try i.fileWrite(i.out, try i.str(p)) }
            i.fileFlush(i.out)
            let line = try i.fileReadLine(i.stdinFile)
            if line.isEmpty { throw i.err("EOFError", "EOF when reading a line") }
            return .str(line.hasSuffix("\n") ? String(line.dropLast()) : line)
        }
        def("open") { i, a, kw in try i.openFile(a, kw) }
        // a call site `globals()` hands its frame over (`CallExpr.introspects`): this is only reached through
        // another name, and answers for the main module
        def("globals") { i, _, _ in .dict(i.globalsDict(of: i.mainModule())) }
        def("locals") { _, _, _ in .dict(PyDict()) }
        def("format") { i, a, _ in
            try i.need(a, 1, "format")
            var spec = ""
            if a.count > 1, case .str(let s) = a[1] { spec = s.s }
            return .str(try i.format(a[0], spec))
        }
        def("exit") { i, a, _ in throw try i.systemExit(a.first ?? .none) }
        builtins["quit"] = builtins["exit"]
        def("breakpoint") { _, _, _ in .none }
        // __import__(name, globals, locals, fromlist, level): the top-level package for a dotted name unless
        // fromlist names something, as CPython's
        def("__import__") { i, a, kw in
            let args = Args(a, kw, "__import__")
            guard case .str(let name)? = args.get(0, "name") else { throw i.typeError("__import__() argument 1 must be str") }
            let module = try i.importModule(name.s)
            var fromlist = false
            if let f = args.get(3, "fromlist"), !f.isNone { fromlist = try i.truthy(f) }
            guard !fromlist, let dot = name.s.firstIndex(of: ".") else { return module }
            return try i.importModule(String(name.s[..<dot]))
        }
        def("exec") { i, a, kw in try i.execOrEval("exec", a, kw) }
        def("eval") { i, a, kw in try i.execOrEval("eval", a, kw) }
    }

    func systemExit(_ code: Value) throws -> PyException {
        let e = errValue("SystemExit", code)
        if code.isNone { e.exc.dict["args"] = .tuple(PyTuple.empty) }
        e.exc.dict["code"] = code
        return e
    }

    func isInstanceOf(_ v: Value, _ t: Value) throws -> Bool {
        switch t {
        case .obj(let c as PyClass): return isInstance(v, c)
        case .tuple(let tu): return try tu.items.contains { try isInstanceOf(v, $0) }
        default: throw typeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
        }
    }
}

/// Python's round(x, n) for floats: round-half-even on the exact decimal value.
func roundDouble(_ d: Double, _ n: Int) -> Double {
    if n > 300 { return d }
    if n < -308 { return 0.0 * d }
    let s = String(format: "%.\(max(0, n))f", d)
    if n >= 0 { return Double(s) ?? d }
    let p = pow(10.0, Double(-n))
    let q = (d / p).rounded(.toNearestOrEven)
    return q * p
}


extension Interpreter {
    /// The one check before allocating a buffer whose size comes from the program (`bytes(n)`, a pool map's
    /// results): ValueError for a negative count (with CPython's message), MemoryError when `count * stride`
    /// overflows or exceeds four times the machine's memory, or when malloc refuses it. Swift's own allocation
    /// would end the process ("Fatal error: failed to allocate", SIGABRT) where CPython raises MemoryError.
    func checkAllocation(count: Int, stride: Int, negative: String) throws {
        if count < 0 { throw err("ValueError", negative) }
        try checkAllocation(bytes: count.multipliedReportingOverflow(by: max(stride, 1)))
    }

    /// The bytes of an iterable of ints, checked one by one as they come (CPython's ValueError at the first one out
    /// of range, before a huge iterable is walked to its end or gathered into memory).
    func byteValues(_ v: Value, _ message: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try iterate(v) { x in
            let n = try intArg(x)
            guard (0...255).contains(n) else { throw err("ValueError", message) }
            out.append(UInt8(n))
            return true
        }
        return out
    }

    /// For `list(range(...))` and the like: OverflowError for a range longer than an Int (CPython's), MemoryError
    /// for one whose items cannot be allocated, before any is made.
    func checkRangeAllocation(_ v: Value) throws {
        guard case .obj(let r as PyRange) = v else { return }
        guard let n = r.exactCount else { throw err("OverflowError", "Python int too large to convert to C ssize_t") }
        try checkAllocation(count: n, stride: MemoryLayout<Value>.stride, negative: "")
    }

    func checkAllocation(bytes: (partialValue: Int, overflow: Bool)) throws {
        if bytes.overflow { throw err("MemoryError", nil) }
        let n = bytes.partialValue
        if n < 1 << 26 { return }   // 64 MiB: no need to ask
        // Past four times the physical memory nothing can succeed, even where the kernel overcommits freely.
        let physical = sysconf(Int32(_SC_PHYS_PAGES)), page = sysconf(Int32(_SC_PAGESIZE))
        if physical > 0 && page > 0 && n / 4 > physical.multipliedReportingOverflow(by: page).partialValue {
            throw err("MemoryError", nil)
        }
        guard let probe = malloc(n) else { throw err("MemoryError", nil) }
        free(probe)
    }
}

/// A non-integral float's hash: its value modulo 2^61 - 1, as an int's (so `hash(0.5)` is `hash(Fraction(1, 2))`
/// and `hash(Decimal('0.5'))`). Mirrors CPython's `_Py_HashDouble`.
func pyFloatHash(_ d: Double) -> Int {
    if d.isNaN { return d.hashValue }
    if d.isInfinite { return d < 0 ? -314159 : 314159 }
    let modulus: UInt64 = (1 << 61) - 1
    var m = frexp(d.magnitude)
    var e = m.1
    var x: UInt64 = 0
    while m.0 != 0 {
        x = ((x << 28) & modulus) | x >> (61 - 28)
        m.0 *= 268435456.0
        e -= 28
        let y = UInt64(m.0)
        m.0 -= Double(y)
        x += y
        if x >= modulus { x -= modulus }
    }
    let s = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61)
    x = ((x << UInt64(s)) & modulus) | x >> UInt64(61 - s)
    var h = Int(x)
    if d < 0 { h = -h }
    return h == -1 ? -2 : h
}
