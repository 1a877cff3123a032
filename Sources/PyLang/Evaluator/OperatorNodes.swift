// Operators as nodes: binary and unary arithmetic with their int and float fast paths, boolean operators,
// comparisons (tested without making a bool where a condition needs one), conditional and named expressions.

enum BinOpKind: String {
    case add = "+", sub = "-", mul = "*", div = "/", floordiv = "//", mod = "%", pow = "**"
    case lshift = "<<", rshift = ">>", band = "&", bor = "|", bxor = "^", matmul = "@"
}

final class BinOp: Expr {
    let op: BinOpKind
    let l: Expr, r: Expr
    /// Operands read in place when they are int literals or (at run time) local names holding ints: the common
    /// `i % 1000`, `n - 1`, `x + y` need no node evaluation at all. Linked at the first evaluation.
    @exclusivity(unchecked) var lOp = IntOperand(), rOp = IntOperand()
    let lRef: Unmanaged<Expr>, rRef: Unmanaged<Expr>
    init(_ op: BinOpKind, _ l: Expr, _ r: Expr, line: Int) {
        self.op = op; self.l = l; self.r = r
        lRef = .passUnretained(l); rRef = .passUnretained(r)
        super.init(line: line)
    }
    /// `x op y` on two machine ints when no overflow or Python-specific sign rule is involved, else nil.
    @inline(__always)
    static func intFast(_ op: BinOpKind, _ x: Int, _ y: Int) -> Value? {
        switch op {
        case .add: let (v, o) = x.addingReportingOverflow(y); if !o { return .int(v) }
        case .sub: let (v, o) = x.subtractingReportingOverflow(y); if !o { return .int(v) }
        case .mul: let (v, o) = x.multipliedReportingOverflow(by: y); if !o { return .int(v) }
        case .mod: if y > 0 { let m = x % y; return .int(m < 0 ? m + y : m) }
        case .floordiv: if y > 0 { let q = x / y; return .int((x % y != 0 && x < 0) ? q - 1 : q) }
        case .band: return .int(x & y)
        case .bor: return .int(x | y)
        case .bxor: return .int(x ^ y)
        case .rshift: if y >= 0 { return .int(y < 64 ? x >> y : (x < 0 ? -1 : 0)) }
        case .lshift:
            // no bit lost: shifting back gives x (a wider result is a big int, from `binop`)
            if y >= 0 && y < 63 { let v = x << y; if v >> y == x { return .int(v) } }
        default: break
        }
        return nil
    }
    override func eval(_ f: Frame) throws -> Value {
        if let x = lOp.int(f), let y = rOp.int(f), let v = BinOp.intFast(op, x, y) {
            return v
        }
        // `dx * dx`, `dt * vx`: two local floats (or a float literal), CPython's BINARY_OP_*_FLOAT
        if let x = lOp.float(f), let y = rOp.float(f), let v = BinOp.floatFast(op, x, y) {
            return v
        }
        return try evalOperands(f)
    }
    /// Kept out of `eval`, so the int fast path is a small function with a short prologue.
    @inline(never)
    private func evalOperands(_ f: Frame) throws -> Value {
        if lOp.slot == unlinkedSlot { lOp = .of(l); rOp = .of(r) }
        // an int literal operand (the 1 of `x * x + 1`) is read in place rather than through its node
        let a = lOp.slot == -1 ? Value.int(lOp.literal) : try evalChild(lRef, f)
        let b = rOp.slot == -1 ? Value.int(rOp.literal) : try evalChild(rRef, f)
        if case .int(let x) = a, case .int(let y) = b, let v = BinOp.intFast(op, x, y) { return v }
        if let (x, y) = floatOperands(a, b), let v = BinOp.floatFast(op, x, y) { return v }
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.binop(op, a, b) }
    }

    /// `a op b` for two ints (`intFast`) or a float with a float or an int (`floatFast`), else nil.
    @inline(__always)
    static func numberFast(_ op: BinOpKind, _ a: Value, _ b: Value) -> Value? {
        if case .int(let x) = a, case .int(let y) = b { return intFast(op, x, y) }
        if let (x, y) = floatOperands(a, b) { return floatFast(op, x, y) }
        return nil
    }
    /// `x op y` on two floats for the operators whose IEEE result is Python's, else nil (division by zero raises,
    /// `%`, `//` and `**` have Python's own rules: `binop` does them).
    @inline(__always)
    static func floatFast(_ op: BinOpKind, _ x: Double, _ y: Double) -> Value? {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div: return y != 0 ? .float(x / y) : nil
        default: return nil
        }
    }
}

/// Both operands as doubles when one is a float and the other a float or a machine int (converted as CPython's
/// `int.__float__` does, rounding to nearest), else nil.
@inline(__always)
func floatOperands(_ a: Value, _ b: Value) -> (Double, Double)? {
    switch (a, b) {
    case (.float(let x), .float(let y)): return (x, y)
    case (.float(let x), .int(let y)): return (x, Double(y))
    case (.int(let x), .float(let y)): return (Double(x), y)
    default: return nil
    }
}

/// Whether evaluating `e` cannot rebind a local of the running frame, so a value borrowed from a local slot stays
/// alive meanwhile: constants, names, and arithmetic on such. (Within an expression only `:=` rebinds a local;
/// code running in other frames reaches this frame's variables only through cells, never its slots.)
func cannotRebindLocals(_ e: Expr) -> Bool {
    if e is Const || e is Name { return true }
    if let b = e as? BinOp { return cannotRebindLocals(b.l) && cannotRebindLocals(b.r) }
    return false
}

/// The value of an int literal node, else nil.
func intLiteral(_ e: Expr) -> Int? {
    if let c = e as? Const, case .int(let i) = c.value { return i }
    return nil
}

/// `Name.slot` and the operand sources of `BinOp`/`Compare` before the first evaluation links them.
let unlinkedSlot = Int.min

/// Where an operand that may be a machine int comes from, decided at the node's first evaluation (names are
/// resolved after the nodes are built) and kept in the node itself, so the int fast paths read it without
/// following the name node and its reference: a local slot (`slot >= 0`), an int literal (`slot == -1`, value
/// `literal`), an item of a local list at a local or literal index (`slot == -3`, `count[r]`: the subscript node's
/// address in `literal`) or anything else (`slot == -2`: evaluate the node); for the float fast paths also a float
/// literal (`slot == -4`, its bits in `literal`). Two words: a third made every int
/// comparison of a loop condition slower.
struct IntOperand {
    var slot = unlinkedSlot
    var literal = 0

    static func of(_ e: Expr) -> IntOperand {
        if let i = intLiteral(e) { return IntOperand(slot: -1, literal: i) }
        if let c = e as? Const, case .float(let x) = c.value { return IntOperand(slot: -4, literal: Int(bitPattern: UInt(x.bitPattern))) }
        if let n = e as? Name, n.ref.tag == 1 { return IntOperand(slot: n.ref.index) }
        if let s = e as? Subscript, s.mayBeLocalListItem {
            // the node owning this operand owns the subscript
            return IntOperand(slot: -3, literal: Int(bitPattern: Unmanaged.passUnretained(s).toOpaque()))
        }
        return IntOperand(slot: -2)
    }

    /// The machine int this operand is in frame `f`, or nil (not an int, or not a local, literal or list item).
    @inline(__always)
    func int(_ f: Frame) -> Int? {
        if slot >= 0 {
            if case .int(let x) = f.slots[slot] { return x }
            return nil
        }
        if slot == -1 { return literal }
        if slot == -3 {
            let item = Unmanaged<Subscript>.fromOpaque(UnsafeRawPointer(bitPattern: literal).unsafelyUnwrapped)
            return item._withUnsafeGuaranteedRef { $0.localIntItem(f) }
        }
        return nil
    }

    /// The float this operand is in frame `f` when it is a local holding a float or a float literal, else nil.
    @inline(__always)
    func float(_ f: Frame) -> Double? {
        if slot >= 0 {
            if case .float(let x) = f.slots[slot] { return x }
            return nil
        }
        return slot == -4 ? Double(bitPattern: UInt64(UInt(bitPattern: literal))) : nil
    }
}

enum UnaryKind { case neg, pos, not, inv }

final class UnaryOp: Expr {
    let op: UnaryKind
    let e: Expr
    init(_ op: UnaryKind, _ e: Expr, line: Int) { self.op = op; self.e = e; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value {
        let v = try e.eval(f)
        if op == .not { return .bool(!(try f.truthy(v))) }
        return try f.unary(op, v)
    }
}

final class BoolOp: Expr {
    let isAnd: Bool
    let values: [Expr]
    init(isAnd: Bool, _ v: [Expr], line: Int) { self.isAnd = isAnd; values = v; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value {
        var v: Value = .none
        for (i, e) in values.enumerated() {
            v = try e.eval(f)
            if i == values.count - 1 { break }
            let t = try f.truthy(v)
            if isAnd ? !t : t { return v }
        }
        return v
    }
}

enum CmpKind: String { case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", isOp = "is", isNot = "is not", inOp = "in", notIn = "not in" }

final class Compare: Expr {
    let first: Expr
    let ops: [CmpKind]
    let rest: [Expr]
    /// The single comparison `a op b` (the common case), read without touching the arrays.
    let op0: CmpKind
    let second: Expr?
    init(_ first: Expr, _ ops: [CmpKind], _ rest: [Expr], line: Int) {
        self.first = first; self.ops = ops; self.rest = rest
        op0 = ops[0]
        second = ops.count == 1 ? rest[0] : nil
        firstRef = .passUnretained(first); secondRef = second.map { .passUnretained($0) }
        super.init(line: line)
    }
    /// Operands of the single comparison read in place (see `BinOp`): int literals and local names. They stay
    /// unlinked (never an int) for a chained comparison.
    @exclusivity(unchecked) var firstOp = IntOperand(), secondOp = IntOperand()
    let firstRef: Unmanaged<Expr>, secondRef: Unmanaged<Expr>?
    /// `x op y` for two machine ints or two floats (IEEE order is Python's, NaN included), else nil.
    @inline(__always)
    static func fast<T: Comparable>(_ op: CmpKind, _ x: T, _ y: T) -> Bool? {
        switch op {
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        case .eq: return x == y
        case .ne: return x != y
        default: return nil
        }
    }
    @inline(__always)
    static func intFast(_ op: CmpKind, _ x: Int, _ y: Int) -> Bool? { fast(op, x, y) }
    @inline(__always)
    static func floatFast(_ op: CmpKind, _ x: Double, _ y: Double) -> Bool? { fast(op, x, y) }
    /// The truth of the comparison, for `if`/`while` conditions: the single int comparison answers without
    /// making a Value; anything else is `truthy(eval(f))` (a rich comparison may return any object).
    @inline(__always)
    func test(_ f: Frame) throws -> Bool {
        if let x = firstOp.int(f), let y = secondOp.int(f), let r = Compare.intFast(op0, x, y) {
            return r
        }
        if let x = firstOp.float(f), let y = secondOp.float(f), let r = Compare.floatFast(op0, x, y) {
            return r
        }
        let v = try eval(f)
        if case .bool(let b) = v { return b }
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.truthy(v) }
    }
    override func eval(_ f: Frame) throws -> Value {
        if let second = secondRef {
            if let x = firstOp.int(f), let y = secondOp.int(f), let r = Compare.intFast(op0, x, y) {
                return .bool(r)
            }
            if firstOp.slot == unlinkedSlot { firstOp = .of(first); secondOp = .of(rest[0]) }
            let a = try evalChild(firstRef, f)
            let b = try evalChild(second, f)
            if op0 == .isOp || op0 == .isNot {
                // `x is None`: identity needs no method and no protocol
                let same = f.interpRef._withUnsafeGuaranteedRef { $0.identical(a, b) }
                return .bool(same == (op0 == .isOp))
            }
            if case .int(let x) = a, case .int(let y) = b, let r = Compare.intFast(op0, x, y) { return .bool(r) }
            if case .float(let x) = a, case .float(let y) = b, let r = Compare.floatFast(op0, x, y) { return .bool(r) }
            if op0 == .inOp || op0 == .notIn, a.isIntOrStr {
                // `k in s` / `k in d` for an int or str key: the table's own look-up (always hashable)
                if case .obj(let o) = b, type(of: o) == PySet.self {
                    return .bool(unsafeDowncast(o, to: PySet.self).contains(a) == (op0 == .inOp))
                }
                if case .dict(let d) = b { return .bool((d.get(a) != nil) == (op0 == .inOp)) }
            }
            if case .str(let x) = a, case .str(let y) = b {
                switch op0 {
                case .eq: return .bool(PyStr.equal(x, y))
                case .ne: return .bool(!PyStr.equal(x, y))
                case .lt: return .bool(PyStr.less(x, y))
                case .gt: return .bool(PyStr.less(y, x))
                case .inOp: return .bool(y.contains(x))
                case .notIn: return .bool(!y.contains(x))
                default: break
                }
            }
            return try compareGeneral(a, b, f)
        }
        return try compareChain(f)
    }

    /// The single comparison of two values no fast path above took, kept out of `eval` so that it stays small.
    @inline(never)
    private func compareGeneral(_ a: Value, _ b: Value, _ f: Frame) throws -> Value {
        if op0 == .eq || op0 == .ne, case .obj(let x) = a, case .obj(let y) = b, let ix = x as? PyInstance,
           let iy = y as? PyInstance, ix.payload == nil, iy.payload == nil, ix.cls.lookup(.eq) == nil,
           iy.cls.lookup(.eq) == nil, op0 == .eq || (ix.cls.lookup(.ne) == nil && iy.cls.lookup(.ne) == nil) {
            // two instances of classes without __eq__ (or __ne__): object's comparison, identity
            return .bool((x === y) == (op0 == .eq))
        }
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.compare(op0, a, b) }
    }

    /// `a op1 b op2 c ...`.
    @inline(never)
    private func compareChain(_ f: Frame) throws -> Value {
        var a = try first.eval(f)
        for i in 0..<ops.count {
            let b = try rest[i].eval(f)
            let r: Bool
            if case .int(let x) = a, case .int(let y) = b {
                switch ops[i] {
                case .lt: r = x < y
                case .le: r = x <= y
                case .gt: r = x > y
                case .ge: r = x >= y
                case .eq: r = x == y
                case .ne: r = x != y
                default: r = try f.compareBool(ops[i], a, b)
                }
            } else {
                // as CPython: a comparison's own value (a rich comparison's may be anything) ends the chain when
                // it is false or the last
                let v = try f.interpRef._withUnsafeGuaranteedRef { try $0.compare(ops[i], a, b) }
                if i == ops.count - 1 { return v }
                if case .bool(let t) = v { r = t } else if !(try f.truthy(v)) { return v } else { r = true }
            }
            if !r { return .bool(false) }
            a = b
        }
        return .bool(true)
    }
}

final class IfExp: Expr {
    let c: Expr, a: Expr, b: Expr
    init(_ c: Expr, _ a: Expr, _ b: Expr, line: Int) { self.c = c; self.a = a; self.b = b; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value { try f.truthy(try c.eval(f)) ? try a.eval(f) : try b.eval(f) }
}

final class NamedExpr: Expr {
    let target: Name
    let value: Expr
    init(_ t: Name, _ v: Expr, line: Int) { target = t; value = v; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value { let v = try value.eval(f); try target.assign(f, v); return v }
}
