// Building values: tuple, list, set and dict displays (and unpacking into them as targets), comprehensions and
// generator expressions, f-strings.

/// The values of `elts`, none of them starred, the nodes read without retaining them. (Built by appending to a
/// reserved array: `Array(unsafeUninitializedCapacity:)` is not specialised and looked up the array's generic
/// metadata on every call, a quarter of the time of `t = (a, b)`.)
@inline(__always)
func evalPlain(_ elts: [Expr], _ f: Frame) throws -> [Value] {
    var out: [Value] = []
    out.reserveCapacity(elts.count)
    try elts.withUnsafeBufferPointer { nodes in
        for i in 0..<nodes.count {
            out.append(try Unmanaged.passUnretained(nodes[i])._withUnsafeGuaranteedRef { try $0.eval(f) })
        }
    }
    return out
}

/// The values of `elts`, each starred one's items in its place.
func evalSeq(_ elts: [Expr], _ f: Frame) throws -> [Value] {
    var out: [Value] = []
    out.reserveCapacity(elts.count)
    for e in elts {
        if let s = e as? Starred {
            try f.interp.iterate(try s.value.eval(f)) { out.append($0); return true }
        } else { out.append(try e.eval(f)) }
    }
    return out
}

/// `a, b = v` / `[a, b] = v` without a starred target: a tuple or list of the right length is assigned from its
/// storage, each target node reached without retaining it (the node owns them); anything else is `assignSeq`.
@inline(__always)
func assignFixed(_ elts: [Expr], _ f: Frame, _ v: Value) throws {
    let items: [Value]
    switch v {
    case .tuple(let t): items = t.items
    case .list(let l): items = l.items
    default: return try assignSeq(elts, f, v)
    }
    guard items.count == elts.count else { return try assignSeq(elts, f, v) }
    try elts.withUnsafeBufferPointer { targets in
        for i in 0..<targets.count {
            try Unmanaged.passUnretained(targets[i])._withUnsafeGuaranteedRef { try $0.assign(f, items[i]) }
        }
    }
}

func assignSeq(_ elts: [Expr], _ f: Frame, _ v: Value) throws {
    let items = try f.interp.toArray(v)
    if let si = elts.firstIndex(where: { $0.isStarred }) {
        let after = elts.count - si - 1
        if items.count < elts.count - 1 {
            throw f.interp.err("ValueError", "not enough values to unpack (expected at least \(elts.count - 1), got \(items.count))")
        }
        for i in 0..<si { try elts[i].assign(f, items[i]) }
        try (elts[si] as! Starred).value.assign(f, .list(PyList(Array(items[si..<(items.count - after)]))))
        for i in 0..<after { try elts[si + 1 + i].assign(f, items[items.count - after + i]) }
        return
    }
    if items.count != elts.count {
        if items.count > elts.count { throw f.interp.err("ValueError", "too many values to unpack (expected \(elts.count))") }
        throw f.interp.err("ValueError", "not enough values to unpack (expected \(elts.count), got \(items.count))")
    }
    for i in 0..<items.count { try elts[i].assign(f, items[i]) }
}

/// The local slots of an unpacking target whose names are all plain locals (`a, b, c = t` in a function), found at
/// the first assignment (the resolver runs after the node is built): the items are stored straight into the
/// frame, no target node called (CPython's UNPACK_SEQUENCE followed by STORE_FASTs).
struct UnpackSlots {
    private var slots: UnsafeMutablePointer<Int>?
    private var linked = false

    mutating func free() { slots?.deallocate() }

    /// Stores the items of `v` when it is a tuple or list of exactly the targets' length and every target is a
    /// local; false (nothing stored) otherwise.
    @inline(__always)
    mutating func assign(_ elts: [Expr], _ f: Frame, _ v: Value) -> Bool {
        if !linked { link(elts) }
        guard let slots else { return false }
        let n = elts.count
        let items: [Value]
        switch v {
        case .tuple(let t): items = t.items
        case .list(let l): items = l.items      // a copy of the storage: a store cannot free it under us
        default: return false
        }
        guard items.count == n else { return false }
        items.withUnsafeBufferPointer { p in
            for i in 0..<n { (f.slots + slots[i]).store(copying: p.baseAddress! + i) }
        }
        return true
    }

    private mutating func link(_ elts: [Expr]) {
        linked = true
        var found: [Int] = []
        for e in elts {
            guard let n = e as? Name, n.ref.tag == 1 else { return }
            found.append(n.ref.index)
        }
        let p = UnsafeMutablePointer<Int>.allocate(capacity: max(found.count, 1))
        p.initialize(from: found, count: found.count)
        slots = p
    }
}

/// A tuple or list display (`a, b` / `[a, b]`): its items, and what assigning to it as a target does.
class SequenceDisplay: Expr {
    let elts: [Expr]
    /// Whether a target is starred (`a, *b = v`), decided once.
    let starred: Bool
    @exclusivity(unchecked) var unpack = UnpackSlots()
    init(_ e: [Expr], line: Int) { elts = e; starred = e.contains { $0.isStarred }; super.init(line: line) }
    deinit { unpack.free() }
    override func assign(_ f: Frame, _ v: Value) throws {
        if starred { return try assignSeq(elts, f, v) }
        if unpack.assign(elts, f, v) { return }
        try assignFixed(elts, f, v)
    }
}

final class TupleExpr: SequenceDisplay {
    /// Whether every item is a literal or such a tuple: the display is then one constant, made at its first
    /// evaluation and given out again after (CPython folds it into the code object's constants).
    private lazy var isConstant = TupleExpr.allConstant(elts)
    private static func allConstant(_ elts: [Expr]) -> Bool {
        !elts.isEmpty && elts.allSatisfy { e in
            if e is Const { return true }
            if let t = e as? TupleExpr { return allConstant(t.elts) }
            return false
        }
    }
    @exclusivity(unchecked) private var constant: Value?
    override func eval(_ f: Frame) throws -> Value {
        if let c = constant { return c }
        let t = Value.tuple(PyTuple(starred ? try evalSeq(elts, f) : try evalPlain(elts, f)))
        if isConstant { constant = t }
        return t
    }
    override func delete(_ f: Frame) throws { for e in elts { try e.delete(f) } }
}

final class ListExpr: SequenceDisplay {
    override func eval(_ f: Frame) throws -> Value { .list(PyList(starred ? try evalSeq(elts, f) : try evalPlain(elts, f))) }
}

final class SetExpr: Expr {
    let elts: [Expr]
    /// CPython compiles a literal of three or more constants as a frozenset constant copied into a new set,
    /// which decides the order it iterates in (see `PySet.copied`).
    let copiesAConstant: Bool
    init(_ e: [Expr], line: Int) {
        elts = e
        copiesAConstant = e.count > 2 && e.allSatisfy(SetExpr.isConstant)
        super.init(line: line)
    }
    /// Whether CPython's compiler folds `e` into a constant (a literal, or an operator applied to literals).
    static func isConstant(_ e: Expr) -> Bool {
        if e is Const { return true }
        if let u = e as? UnaryOp { return isConstant(u.e) }
        if let b = e as? BinOp { return isConstant(b.l) && isConstant(b.r) }
        return false
    }
    /// The constant's elements in its iteration order, once worked out (a constant's elements never change).
    @exclusivity(unchecked) private var constantElements: [Value]?
    override func eval(_ f: Frame) throws -> Value {
        if let c = constantElements {
            let s = PySet()
            s.merge(elements: c)
            return .obj(s)
        }
        let s = PySet()
        let values = try evalSeq(elts, f)
        s.d.reserve(values.count)
        for v in values { try f.checkHashable(v); s.add(v) }
        guard copiesAConstant else { return .obj(s) }
        constantElements = s.elements
        return .obj(s.copied())
    }
}

final class DictExpr: Expr {
    let keys: [Expr?]   // nil key means **mapping
    let values: [Expr]
    init(_ k: [Expr?], _ v: [Expr], line: Int) { keys = k; values = v; super.init(line: line) }
    /// For a display whose keys are distinct constant strs and ints (`{'x': a, 'y': b}`, `{0: a, 1: b}`): the keys
    /// and table every dict it makes starts with, shared with it until it changes its keys (copy on write), and
    /// their key stamp. Made at the first evaluation; `templateKnown` says whether that has happened.
    @exclusivity(unchecked) private var template: PyDict.Layout?
    @exclusivity(unchecked) private var templateKnown = false

    override func eval(_ f: Frame) throws -> Value {
        if !templateKnown { templateKnown = true; template = makeTemplate() }
        if let t = template {
            // only the values are evaluated, in order (constant keys have nothing to run)
            var vals: [Value] = []
            vals.reserveCapacity(values.count)
            for v in values { vals.append(try v.eval(f)) }
            return .dict(PyDict(layout: t, values: vals))
        }
        return try evalGeneral(f)
    }

    private func makeTemplate() -> PyDict.Layout? {
        guard !keys.isEmpty else { return nil }
        let d = PyDict()
        for k in keys {
            guard let c = k as? Const, PyDict.isSmallKey(c.value) else { return nil }
            d.set(c.value, .none)
        }
        guard d.count == keys.count else { return nil }   // a repeated key: the general path keeps the last value
        return d.layout
    }

    private func evalGeneral(_ f: Frame) throws -> Value {
        let d = PyDict()
        d.reserve(keys.count)
        for i in 0..<keys.count {
            if let k = keys[i] {
                let kv = try k.eval(f)
                try f.checkHashable(kv)
                d.set(kv, try values[i].eval(f))
            } else {
                let m = try values[i].eval(f)
                guard case .dict(let src) = m else { throw f.interp.err("TypeError", "'\(f.interp.typeName(m))' object is not a mapping") }
                for (k, v) in src.items { d.set(k, v) }
            }
        }
        return .dict(d)
    }
}

/// One `for ... in ... if ...` clause of a comprehension.
struct CompFor {
    let target: Expr
    let iter: Expr
    let conds: [Expr]
}

enum CompKind { case list, set, dict, gen }

final class Comprehension: Expr {
    let kind: CompKind
    let elt: Expr
    let value: Expr?   // dict value
    let gens: [CompFor]
    init(_ k: CompKind, _ elt: Expr, _ value: Expr?, _ gens: [CompFor], line: Int) {
        kind = k; self.elt = elt; self.value = value; self.gens = gens; super.init(line: line)
    }
    func run(_ f: Frame, _ level: Int, _ emit: (Frame) throws -> Void) throws {
        let g = gens[level]
        let it = try g.iter.eval(f)
        try f.interp.iterate(it) { v in
            try g.target.assign(f, v)
            for c in g.conds { if !(try f.truthy(try c.eval(f))) { return true } }
            if level + 1 < gens.count { try run(f, level + 1, emit) } else { try emit(f) }
            return true
        }
    }
    override func eval(_ f: Frame) throws -> Value {
        switch kind {
        case .list:
            var out: [Value] = []
            try run(f, 0) { out.append(try elt.eval($0)) }
            return .list(PyList(out))
        case .set:
            let s = PySet()
            try run(f, 0) { let v = try elt.eval($0); try f.checkHashable(v); s.add(v) }
            return .obj(s)
        case .dict:
            let d = PyDict()
            try run(f, 0) { let k = try elt.eval($0); try f.checkHashable(k); d.set(k, try value!.eval($0)) }
            return .dict(d)
        case .gen:
            return .obj(makeGenExp(f, try f.getIter(try gens[0].iter.eval(f))))
        }
    }
    /// A lazy generator expression: an explicit stack of iterators, one per `for` clause.
    func makeGenExp(_ f: Frame, _ first: PyIterator) -> PyIterator {
        // the state in a class of its own: variables captured by the escaping closure would be boxes whose every
        // access is checked for exclusivity at run time (4% of pyperformance's nqueens)
        let st = GenExpState(count: gens.count, first: first)
        if gens.count == 1 {
            // one `for` clause (most generator expressions): its iterator, its target, its conditions, the element
            let g = gens[0]
            return PyIterator("generator") { [self] in
                guard let it = st.first else { return nil }
                while let v = try it.nextFn() {
                    try g.target.assign(f, v)
                    var ok = true
                    for c in g.conds where !(try f.truthy(try c.eval(f))) { ok = false; break }
                    if ok { return try elt.eval(f) }
                }
                st.first = nil
                return nil
            }
        }
        return PyIterator("generator") { [self] in
            if st.done { return nil }
            var level = 0
            if st.started { level = gens.count - 1 }
            st.started = true
            while level >= 0 {
                guard let v = try st.iters[level]!.nextFn() else {
                    st.iters[level] = nil
                    level -= 1
                    if level < 0 { st.done = true; return nil }
                    continue
                }
                let g = gens[level]
                try g.target.assign(f, v)
                var ok = true
                for c in g.conds where !(try f.truthy(try c.eval(f))) { ok = false; break }
                if !ok { continue }
                if level + 1 < gens.count {
                    level += 1
                    st.iters[level] = try f.getIter(try gens[level].iter.eval(f))
                    continue
                }
                return try elt.eval(f)
            }
            st.done = true
            return nil
        }
    }
}

/// A lazy generator expression's state: one iterator per `for` clause, and where it stands.
final class GenExpState {
    /// The first clause's iterator, when it is the only one (nil once exhausted).
    @exclusivity(unchecked) var first: PyIterator?
    /// With more than one clause: each clause's iterator.
    @exclusivity(unchecked) var iters: [PyIterator?] = []
    @exclusivity(unchecked) var started = false
    @exclusivity(unchecked) var done = false
    init(count: Int, first: PyIterator) {
        if count == 1 {
            self.first = first
        } else {
            iters = Array(repeating: nil, count: count)
            iters[0] = first
        }
    }
}

final class FStringExpr: Expr {
    enum Part { case lit(String), expr(Expr, conv: Character?, spec: FStringExpr?) }
    let parts: [Part]
    init(_ p: [Part], line: Int) { parts = p; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value {
        var s = ""
        for p in parts {
            switch p {
            case .lit(let t): s += t
            case .expr(let e, let conv, let spec):
                var v = try e.eval(f)
                if let c = conv {
                    if c == "r" { v = .str(try f.interp.repr(v)) } else if c == "s" { v = .str(try f.interp.str(v)) }
                    else if c == "a" { v = .str(asciiEscape(try f.interp.repr(v))) }
                }
                let sp: String
                if let spec { guard case .str(let x) = try spec.eval(f) else { sp = ""; break }; sp = x.s } else { sp = "" }
                s += try f.interp.format(v, sp)
            }
        }
        return .str(s)
    }
}
