// Arithmetic and bitwise operators with Python semantics: a fast Int path, BigInt on overflow, float mixing.
// Mirrors CPython's `Objects/longobject.c` and `Objects/floatobject.c` number protocols.
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    func big(_ v: Value) -> BigInt? {
        switch v {
        case .int(let i): return BigInt(i)
        case .bigBox(let b): return b.v
        case .bool(let b): return BigInt(b ? 1 : 0)
        default: return nil
        }
    }

    func isIntLike(_ v: Value) -> Bool {
        switch v { case .int, .bigBox, .bool: return true; default: return false }
    }

    func toDouble(_ v: Value) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .bigBox(let b):
            guard let d = b.toDouble else { throw err("OverflowError", "int too large to convert to float") }
            return d
        default: throw typeError("must be real number, not \(typeName(v))")
        }
    }

    func floorDivInt(_ x: Int, _ y: Int) -> Int {
        let q = x / y
        return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q
    }
    func modInt(_ x: Int, _ y: Int) -> Int {
        let m = x % y
        return (m != 0 && ((m < 0) != (y < 0))) ? m + y : m
    }
    func floorDivBig(_ x: BigInt, _ y: BigInt) -> BigInt { x.floorDiv(y) }
    func modBig(_ x: BigInt, _ y: BigInt) -> BigInt { x.floorMod(y) }
    func floatMod(_ x: Double, _ y: Double) -> Double {
        var m = fmod(x, y)
        if m != 0 { if (y < 0) != (m < 0) { m += y } } else { m = copysign(0, y) }
        return m
    }

    static let dunder: [BinOpKind: (String, String)] = [
        .add: ("__add__", "__radd__"), .sub: ("__sub__", "__rsub__"), .mul: ("__mul__", "__rmul__"),
        .div: ("__truediv__", "__rtruediv__"), .floordiv: ("__floordiv__", "__rfloordiv__"), .mod: ("__mod__", "__rmod__"),
        .pow: ("__pow__", "__rpow__"), .lshift: ("__lshift__", "__rlshift__"), .rshift: ("__rshift__", "__rrshift__"),
        .band: ("__and__", "__rand__"), .bor: ("__or__", "__ror__"), .bxor: ("__xor__", "__rxor__"), .matmul: ("__matmul__", "__rmatmul__"),
    ]

    func inplace(_ op: BinOpKind, _ a: Value, _ b: Value) throws -> Value {
        switch a {
        case .list(let l) where op == .add:
            l.items.append(contentsOf: try toArray(b)); return a
        case .list(let l) where op == .mul:
            guard case .int(let n) = b else { return try binop(op, a, b, inPlace: true) }
            let copies = try checkRepeat(l.items.count, n)
            let orig = l.items
            l.items = []
            if copies > 0 { l.items.reserveCapacity(orig.count * copies) }
            for _ in 0..<copies { l.items += orig }
            return a
        case .obj(let s as PySet) where !s.frozen && (op == .bor || op == .band || op == .sub || op == .bxor):
            if op == .bor, case .obj(let t as PySet) = b {  // merged into s's own table, as CPython's
                s.merge(t)
                return a
            }
            let r = try binop(op, a, b, inPlace: true)
            if case .obj(let rs as PySet) = r { s.replaceElements(with: rs) }
            return a
        case .dict(let d) where op == .bor:
            guard case .dict(let e) = b else { return try binop(op, a, b, inPlace: true) }
            for (k, v) in e.items { d.set(k, v) }
            return a
        case .obj(let i as PyInstance):
            let name = "__i" + String(Interpreter.dunder[op]!.0.dropFirst(2))
            if let f = i.cls.lookup(name) { return try callBound(f, a, [b], []) }
        default: break
        }
        return try binop(op, a, b, inPlace: true)
    }

    /// Sequence repetition larger than this raises MemoryError instead of trapping the process.
    /// Before `seq * n`: MemoryError when the result (`len * n` items of `stride` bytes) cannot be allocated
    /// (checkAllocation: an overflow, past four times the machine's memory, or refused by malloc), where Swift's
    /// allocation would end the process. Returns the number of copies to make: 0 for an empty sequence or n <= 0
    /// (`() * 2**53` makes nothing, at once).
    func checkRepeat(_ len: Int, _ n: Int, stride: Int = MemoryLayout<Value>.stride, tooLong: String? = nil) throws -> Int {
        guard n > 0, len > 0 else { return 0 }
        let (count, overflow) = len.multipliedReportingOverflow(by: n)
        // past Int's range: CPython's OverflowError for str and bytes, MemoryError for lists and tuples
        if overflow { throw tooLong.map { err("OverflowError", $0) } ?? err("MemoryError", nil) }
        // A deliberate limit below CPython's (which tries any size malloc accepts): 2^31 items. The copies are
        // made one by one, and a sequence of billions would take minutes to build where it did not end the
        // process.
        if count > 1 << 31 { throw err("MemoryError", nil) }
        try checkAllocation(count: count, stride: stride, negative: "")
        return n
    }

    /// `a op b`; `inPlace` only changes the message of the final TypeError (`+=` rather than `+`, as CPython's).
    func binop(_ op: BinOpKind, _ a: Value, _ b: Value, inPlace: Bool = false) throws -> Value {
        // ints (and bools) with overflow to BigInt
        if case .int(let x) = a, case .int(let y) = b { return try intOp(op, x, y) }
        if let (x, y) = floatOperands(a, b), let v = BinOp.floatFast(op, x, y) { return v }
        if isIntLike(a) && isIntLike(b) {
            if case .bool(let x) = a, case .bool(let y) = b, op == .band || op == .bor || op == .bxor {
                switch op {
                case .band: return .bool(x && y)
                case .bor: return .bool(x || y)
                default: return .bool(x != y)
                }
            }
            if let x = asInt(a), let y = asInt(b) { return try intOp(op, x, y) }
            // a big int and a machine word: + - * without making the word a big int
            if case .bigBox(let x) = a, let y = asInt(b) {
                switch op {
                case .add: return .bigOrInt(x + y)
                case .sub: return .bigOrInt(x - y)
                case .mul: return .bigOrInt(x * y)
                default: break
                }
            } else if case .bigBox(let y) = b, let x = asInt(a) {
                switch op {
                case .add: return .bigOrInt(y + x)
                case .mul: return .bigOrInt(y * x)
                default: break
                }
            }
            return try bigOp(op, big(a)!, big(b)!)
        }
        if let x = numeric(a), let y = numeric(b) {
            // at least one float
            let xf = try toDouble(a), yf = try toDouble(b)
            _ = x; _ = y
            return try floatOp(op, xf, yf, a, b)
        }
        switch (a, b) {
        case (.str(let x), .str(let y)) where op == .add: return .str(x.concat(y))
        case (.str(let x), _) where op == .mod: return .str(try percentFormat(x.s, b))
        case (.str(let x), .int(let n)) where op == .mul, (.int(let n), .str(let x)) where op == .mul:
            return try checkRepeat(x.s.utf8.count, n, stride: 1, tooLong: "repeated string is too long") > 0 ? .str(x.repeated(n)) : PyStr.empty
        case (.list(let x), .list(let y)) where op == .add: return .list(PyList(x.items + y.items))
        case (.list(let x), .int(let n)) where op == .mul, (.int(let n), .list(let x)) where op == .mul:
            let copies = try checkRepeat(x.items.count, n)
            var r: [Value] = []
            if copies > 0 { r.reserveCapacity(x.items.count * copies); for _ in 0..<copies { r += x.items } }
            return .list(PyList(r))
        case (.tuple(let x), .tuple(let y)) where op == .add: return .tuple(PyTuple(x.items + y.items))
        case (.tuple(let x), .int(let n)) where op == .mul, (.int(let n), .tuple(let x)) where op == .mul:
            let copies = try checkRepeat(x.items.count, n)
            var r: [Value] = []
            if copies > 0 { r.reserveCapacity(x.items.count * copies); for _ in 0..<copies { r += x.items } }
            return .tuple(PyTuple(r))
        case (.dict(let x), .dict(let y)) where op == .bor:
            let d = x.copy(); for (k, v) in y.items { d.set(k, v) }; return .dict(d)
        case (.obj(let x as PySet), .obj(let y as PySet)):
            let r = PySet(frozen: x.frozen)
            switch op {
            case .bor:  // CPython copies x, then merges y in
                r.merge(x)
                r.merge(y)
            case .band: for e in x.elements where y.contains(e) { r.add(e) }
            case .sub: for e in x.elements where !y.contains(e) { r.add(e) }
            case .bxor:
                for e in x.elements where !y.contains(e) { r.add(e) }
                for e in y.elements where !x.contains(e) { r.add(e) }
            default: return try binopFallback(op, a, b, inPlace: inPlace)
            }
            return .obj(r)
        case (.obj(let x as PyBytes), .obj(let y as PyBytes)) where op == .add: return .obj(PyBytes(x.b + y.b))
        case (.obj(let x), .obj(let y)) where op == .add && (x is PyByteArray || y is PyByteArray):
            // bytes and bytearray mix: the result takes the left operand's type; `a += b` extends a bytearray
            guard let l = bufferBytes(x), let r = bufferBytes(y) else { break }
            if let ba = x as? PyByteArray {
                if inPlace { ba.b += r; return a }
                return .obj(PyByteArray(l + r))
            }
            return .obj(PyBytes(l + r))
        case (.obj(let x as PyByteArray), .int(let n)) where op == .mul:
            let copies = try checkRepeat(x.b.count, n, stride: 1, tooLong: "repeated bytes are too long")
            var r: [UInt8] = []; r.reserveCapacity(x.b.count * copies); for _ in 0..<copies { r += x.b }
            if inPlace { x.b = r; return a }
            return .obj(PyByteArray(r))
        case (.obj(let x as PyBytes), .int(let n)) where op == .mul:
            let copies = try checkRepeat(x.b.count, n, stride: 1, tooLong: "repeated bytes are too long")
            var r: [UInt8] = []; r.reserveCapacity(x.b.count * copies); for _ in 0..<copies { r += x.b }
            return .obj(PyBytes(r))
        case (.obj(let x as PyBytes), _) where op == .mod:
            // formatted as Latin-1 text, so that every byte (of the format and of bytes arguments to %s) is a code
            // point of its own and comes back as the same byte
            func latin1(_ v: Value) -> Value {
                if case .obj(let o) = v, let raw = bufferBytes(o) {
                    return .str(PyStr(String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))))
                }
                return v
            }
            let args: Value
            if case .tuple(let t) = b { args = .tuple(PyTuple(t.items.map(latin1))) } else { args = latin1(b) }
            let format = String(String.UnicodeScalarView(x.b.map { Unicode.Scalar($0) }))
            let text = try percentFormat(format, args)
            return .obj(PyBytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }))
        default: break
        }
        return try binopFallback(op, a, b, inPlace: inPlace)
    }

    func binopFallback(_ op: BinOpKind, _ a: Value, _ b: Value, inPlace: Bool = false) throws -> Value {
        let (l, r) = Interpreter.dunder[op]!
        if case .obj(let i as PyInstance) = a, let f = i.cls.lookup(l) {
            let res = try callBound(f, a, [b], [])
            if case .obj(let o) = res, o === notImplemented {} else { return res }
        }
        if case .obj(let i as PyInstance) = b, let f = i.cls.lookup(r) {
            let res = try callBound(f, b, [a], [])
            if case .obj(let o) = res, o === notImplemented {} else { return res }
        }
        let (l2, r2) = (builtinBase(a, unless: l), builtinBase(b, unless: r))
        if l2 != nil || r2 != nil { return try binop(op, l2 ?? a, r2 ?? b, inPlace: inPlace) }
        if op == .add, case .str = a { throw typeError("can only concatenate str (not \"\(typeName(b))\") to str") }
        if op == .add, case .obj(let o) = a, o is PyBytes { throw typeError("can't concat \(typeName(b)) to bytes") }
        if op == .add, case .list = a { throw typeError("can only concatenate list (not \"\(typeName(b))\") to list") }
        if op == .add, case .tuple = a { throw typeError("can only concatenate tuple (not \"\(typeName(b))\") to tuple") }
        if op == .mul {
            switch (a, b) {
            case (.str, _), (.list, _), (.tuple, _), (_, .str), (_, .list), (_, .tuple):
                let other = isSeq(a) ? b : a
                throw typeError("can't multiply sequence by non-int of type '\(typeName(other))'")
            default: break
            }
        }
        let sym = inPlace ? op.rawValue + "=" : op == .pow ? "** or pow()" : op.rawValue
        throw typeError("unsupported operand type(s) for \(sym): '\(typeName(a))' and '\(typeName(b))'")
    }

    func isSeq(_ v: Value) -> Bool { switch v { case .str, .list, .tuple: return true; default: return false } }

    func asInt(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    func intOp(_ op: BinOpKind, _ x: Int, _ y: Int) throws -> Value {
        switch op {
        case .add: let (v, o) = x.addingReportingOverflow(y); return o ? .bigOrInt(BigInt(x) + y) : .int(v)
        case .sub: let (v, o) = x.subtractingReportingOverflow(y); return o ? .bigOrInt(BigInt(x) - y) : .int(v)
        case .mul: let (v, o) = x.multipliedReportingOverflow(by: y); return o ? .bigOrInt(BigInt(x) * y) : .int(v)
        case .div:
            if y == 0 { throw err("ZeroDivisionError", "division by zero") }
            // (magnitude, not abs: abs(Int.min) traps)
            if x.magnitude < (1 << 53) && y.magnitude < (1 << 53) { return .float(Double(x) / Double(y)) }
            return .float(BigInt(x).trueDiv(BigInt(y))!)   // |x / y| < 2^64: never overflows
        case .floordiv:
            if y == 0 { throw err("ZeroDivisionError", "integer division or modulo by zero") }
            if x == Int.min && y == -1 { return .big(-BigInt(x)) }
            return .int(floorDivInt(x, y))
        case .mod:
            if y == 0 { throw err("ZeroDivisionError", "integer modulo by zero") }
            if y == -1 { return .int(0) }
            return .int(modInt(x, y))
        case .pow:
            if y < 0 {
                if x == 0 { throw err("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
                return .float(pow(Double(x), Double(y)))
            }
            var result = 1, base = x, e = y
            var overflow = false
            while e > 0 {
                if e & 1 == 1 { let (r, o) = result.multipliedReportingOverflow(by: base); if o { overflow = true; break }; result = r }
                e >>= 1
                if e > 0 { let (b2, o) = base.multipliedReportingOverflow(by: base); if o { overflow = true; break }; base = b2 }
            }
            if !overflow { return .int(result) }
            if y > 10_000_000 { throw err("OverflowError", "exponent too large") }
            return .bigOrInt(BigInt(x).power(y))
        case .lshift:
            if y < 0 { throw err("ValueError", "negative shift count") }
            if y < 63 && x == (x << y) >> y { return .int(x << y) }
            if y > 100_000_000 { throw err("OverflowError", "too many digits in integer") }
            return .bigOrInt(BigInt(x) << y)
        case .rshift:
            if y < 0 { throw err("ValueError", "negative shift count") }
            return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
        case .band: return .int(x & y)
        case .bor: return .int(x | y)
        case .bxor: return .int(x ^ y)
        case .matmul: return try binopFallback(op, .int(x), .int(y))
        }
    }

    func bigOp(_ op: BinOpKind, _ x: BigInt, _ y: BigInt) throws -> Value {
        switch op {
        case .add: return .bigOrInt(x + y)
        case .sub: return .bigOrInt(x - y)
        case .mul: return .bigOrInt(x * y)
        case .div:
            if y.isZero { throw err("ZeroDivisionError", "division by zero") }
            guard let r = x.trueDiv(y) else { throw err("OverflowError", "integer division result too large for a float") }
            return .float(r)
        case .floordiv:
            if y.isZero { throw err("ZeroDivisionError", "integer division or modulo by zero") }
            return .bigOrInt(floorDivBig(x, y))
        case .mod:
            if y.isZero { throw err("ZeroDivisionError", "integer modulo by zero") }
            return .bigOrInt(modBig(x, y))
        case .pow:
            if y.isNegative {   // a float, as CPython's (float(x) ** float(y))
                if x.isZero { throw err("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
                return try floatOp(.pow, try toDouble(.bigBox(x)), Double(y), .bigBox(x), .bigBox(y))
            }
            if let b = x.asInt, b == 0 || b == 1 { return .int(b) }
            if let b = x.asInt, b == -1 { return .int(y.lowBits & 1 == 0 ? 1 : -1) }
            guard let e = Int(exactly: y), e < 10_000_000 else { throw err("OverflowError", "exponent too large") }
            return .bigOrInt(x.power(e))
        case .lshift:
            if y.isNegative { throw err("ValueError", "negative shift count") }
            if x.isZero { return .int(0) }
            guard let s = Int(exactly: y), s <= 100_000_000 else { throw err("OverflowError", "too many digits in integer") }
            return .bigOrInt(x << s)
        case .rshift:
            if y.isNegative { throw err("ValueError", "negative shift count") }
            guard let s = Int(exactly: y) else { return .int(x.isNegative ? -1 : 0) }
            return .bigOrInt(x >> s)
        case .band: return .bigOrInt(x & y)
        case .bor: return .bigOrInt(x | y)
        case .bxor: return .bigOrInt(x ^ y)
        case .matmul: return try binopFallback(op, .big(x), .big(y))
        }
    }

    /// `x // y` for floats, step by step as CPython's `_float_div_mod` (so a zero quotient keeps the sign of x / y).
    func floatFloorDiv(_ x: Double, _ y: Double) -> Double {
        let mod = fmod(x, y)
        var div = (x - mod) / y
        if mod != 0, (y < 0) != (mod < 0) { div -= 1.0 }
        if div == 0 { return Double(signOf: x / y, magnitudeOf: 0) }
        var q = div.rounded(.down)
        if div - q > 0.5 { q += 1.0 }
        return q
    }

    func floatOp(_ op: BinOpKind, _ x: Double, _ y: Double, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            if y == 0 { throw err("ZeroDivisionError", "float division by zero") }
            return .float(x / y)
        case .floordiv:
            if y == 0 { throw err("ZeroDivisionError", "float floor division by zero") }
            return .float(floatFloorDiv(x, y))
        case .mod:
            if y == 0 { throw err("ZeroDivisionError", "float modulo") }
            return .float(floatMod(x, y))
        case .pow:
            if x == 0 && y < 0 { throw err("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() { throw err("ValueError", "complex results are not supported") }
            let r = pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw err("OverflowError", "(34, 'Numerical result out of range')") }
            return .float(r)
        default:
            return try binopFallback(op, a, b)
        }
    }

    func unary(_ op: UnaryKind, _ v: Value) throws -> Value {
        switch (op, v) {
        case (.neg, .int(let i)): return i == Int.min ? .big(-BigInt(i)) : .int(-i)
        case (.neg, .bigBox(let b)): return .bigOrInt(-b.v)
        case (.neg, .float(let d)): return .float(-d)
        case (.neg, .bool(let b)): return .int(b ? -1 : 0)
        case (.pos, .int), (.pos, .float), (.pos, .bigBox): return v
        case (.pos, .bool(let b)): return .int(b ? 1 : 0)
        case (.inv, .int(let i)): return .int(~i)
        case (.inv, .bigBox(let b)): return .bigOrInt(~b)
        case (.inv, .bool(let b)): return .int(b ? -2 : -1)
        case (_, .obj(let i as PyInstance)):
            let name = op == .neg ? "__neg__" : op == .pos ? "__pos__" : "__invert__"
            if let f = i.cls.lookup(name) { return try callBound(f, v, [], []) }
        default: break
        }
        let sym = op == .neg ? "-" : op == .pos ? "+" : "~"
        throw typeError("bad operand type for unary \(sym): '\(typeName(v))'")
    }
}

/// The bytes of a bytes or bytearray object (the buffer types `+` mixes).
func bufferBytes(_ o: PyObject) -> [UInt8]? {
    if let b = o as? PyBytes { return b.b }
    if let b = o as? PyByteArray { return b.b }
    return nil
}
