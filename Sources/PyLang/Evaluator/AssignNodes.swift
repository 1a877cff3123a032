// Statements that assign: expression statements, assignment, annotated and augmented assignment (with the loop
// string builders that make `s += x` in a loop linear).

final class ExprStmt: Stmt {
    let e: Expr
    let eRef: Unmanaged<Expr>
    init(_ e: Expr, line: Int) { self.e = e; eRef = .passUnretained(e); super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow { _ = try evalChild(eRef, f); return .normal }
}

final class Assign: Stmt {
    let targets: [Expr]
    let value: Expr
    init(_ t: [Expr], _ v: Expr, line: Int) {
        targets = t; value = v
        single = t.count == 1 ? t[0] : nil
        singleName = single as? Name
        valueRef = .passUnretained(v)
        singleRef = single.map { .passUnretained($0) }
        if let target = single as? SequenceDisplay, !target.starred, let display = v as? TupleExpr, !display.starred,
           target.elts.count == display.elts.count, (2...4).contains(target.elts.count) {
            pairwise = (RefBuffer(target.elts), RefBuffer(display.elts))
        } else {
            pairwise = nil
        }
        super.init(line: line)
    }
    deinit { pairwise?.targets.free(); pairwise?.values.free(); pairSlots?.deallocate() }
    let valueRef: Unmanaged<Expr>
    let singleRef: Unmanaged<Expr>?
    /// `a, b = b, a + b` (two to four targets, as many values, none starred): the values evaluated, then assigned
    /// in order, with no tuple made in between (CPython compiles it to a SWAP of the stack's top values).
    let pairwise: (targets: RefBuffer<Expr>, values: RefBuffer<Expr>)?
    override func exec(_ f: Frame) throws -> Flow {
        if let (targets, values) = pairwise { return try assignPairwise(targets, values, f) }
        let v = try evalChild(valueRef, f)
        if let n = singleName, n.ref.tag == 1 {
            f.slots[n.ref.index] = v
            return .normal
        }
        if let t = singleRef { try t._withUnsafeGuaranteedRef { try $0.assign(f, v) }; return .normal }
        for t in targets { try t.assign(f, v) }
        return .normal
    }
    /// The local slots of `pairwise`'s targets when every one is a plain local (linked at the first execution:
    /// the resolver runs after the node is built), else nil.
    @exclusivity(unchecked) private var pairSlots: UnsafeMutablePointer<Int>?
    @exclusivity(unchecked) private var pairSlotsLinked = false

    @inline(never)
    private func assignPairwise(_ targets: RefBuffer<Expr>, _ values: RefBuffer<Expr>, _ f: Frame) throws -> Flow {
        if !pairSlotsLinked { linkPairSlots(targets) }
        if values.count == 2 {
            // the common `a, b = b, a + b`: no array, no None placeholders to destroy
            let a = try evalChild(values.base[0], f), b = try evalChild(values.base[1], f)
            if let slots = pairSlots {
                (f.slots + slots[0]).store(a)
                (f.slots + slots[1]).store(b)
            } else {
                try targets.base[0]._withUnsafeGuaranteedRef { try $0.assign(f, a) }
                try targets.base[1]._withUnsafeGuaranteedRef { try $0.assign(f, b) }
            }
            return .normal
        }
        var vs: [Value] = []
        vs.reserveCapacity(values.count)
        for i in 0..<values.count { vs.append(try evalChild(values.base[i], f)) }
        for i in 0..<vs.count {
            if let slots = pairSlots {
                (f.slots + slots[i]).store(vs[i])
            } else {
                try targets.base[i]._withUnsafeGuaranteedRef { try $0.assign(f, vs[i]) }
            }
        }
        return .normal
    }

    private func linkPairSlots(_ targets: RefBuffer<Expr>) {
        pairSlotsLinked = true
        var found: [Int] = []
        for i in 0..<targets.count {
            guard let n = targets.base[i]._withUnsafeGuaranteedRef({ $0 as? Name }), n.ref.tag == 1 else { return }
            found.append(n.ref.index)
        }
        let p = UnsafeMutablePointer<Int>.allocate(capacity: found.count)
        p.initialize(from: found, count: found.count)
        pairSlots = p
    }
    /// The target of `x = ...` / `d[k] = ...` (one target), read without the array or a cast.
    let single: Expr?
    let singleName: Name?
}

final class AnnAssign: Stmt {
    let target: Expr
    let value: Expr?
    init(_ t: Expr, _ v: Expr?, line: Int) { target = t; value = v; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow {
        if let ns = f.classNS, let n = target as? Name {
            // class-body annotations are recorded in order (dataclasses read them)
            let key = Value.str("__annotations__")
            let ann: PyDict
            if case .dict(let d)? = ns.get(key) { ann = d } else { ann = PyDict(); ns.set(key, .dict(ann)) }
            ann.set(.str(n.ref.name), .none)
        }
        if let value { try target.assign(f, try value.eval(f)) }
        return .normal
    }
}

final class AugAssign: Stmt {
    let target: Expr
    let op: BinOpKind
    let value: Expr
    /// The target when it is a plain name, an attribute, a subscript (decided once, not cast on every execution).
    let targetName: Name?
    let targetAttribute: Attribute?
    let targetSubscript: Subscript?
    /// Whether evaluating the value cannot rebind a local (see `cannotRebindLocals`).
    let valueCannotRebind: Bool
    let targetRef: Unmanaged<Name>?
    let valueRef: Unmanaged<Expr>
    /// The text of `x += "literal"`: appended without evaluating the constant node.
    let strLiteral: PyStr?
    /// The same text's UTF-8 bytes, for `appendToBuilder` (no reference counting); owned by the node.
    let strLiteralUTF8: UnsafeMutableBufferPointer<UInt8>?
    /// The value when it is a call (`x += str(i)`), unretained: the node owns it.
    let valueCall: Unmanaged<CallExpr>?
    /// Set by the enclosing loop that keeps this local as a `StrBuilder` while it runs (`LoopNames.claimAppends`).
    @exclusivity(unchecked) var appendsToBuilder = false
    init(_ t: Expr, _ op: BinOpKind, _ v: Expr, line: Int) {
        target = t; self.op = op; value = v
        targetName = t as? Name
        targetAttribute = t as? Attribute
        targetSubscript = t as? Subscript
        valueCannotRebind = cannotRebindLocals(v)
        targetRef = targetName.map { .passUnretained($0) }
        valueRef = .passUnretained(v)
        valueCall = (v as? CallExpr).map { .passUnretained($0) }
        if op == .add, let c = v as? Const, case .str(let lit) = c.value, lit.wide == nil { strLiteral = lit } else { strLiteral = nil }
        strLiteralUTF8 = strLiteral.map { lit in
            let b = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: lit.utf8Count)
            _ = b.initialize(from: lit.s.utf8)
            return b
        }
        super.init(line: line)
    }
    deinit { strLiteralUTF8?.deallocate() }
    override func exec(_ f: Frame) throws -> Flow {
        if let tr = targetRef, tr._withUnsafeGuaranteedRef({ $0.ref.tag == 1 }) {
            // a local: the name node is owned by this statement, read without retaining it
            let i = tr._withUnsafeGuaranteedRef { $0.ref.index }
            if appendsToBuilder, let flow = try appendToBuilder(f, i) { return flow }
            if let lit = strLiteral, case .str = f.slots[i] {
                // as the str case below: the string is moved out of the slot so the append is in place
                let p = f.slots + i
                guard case .str(var s) = p.move() else { fatalError("unreachable: the slot holds a str") }
                if isKnownUniquelyReferenced(&s) { s.appendInPlace(lit) } else { s = s.concat(lit) }
                p.initialize(to: .str(consume s))
                return .normal
            }
            let r = try evalChild(valueRef, f)
            if op == .add {
                if case .int(let x) = f.slots[i], case .int(let y) = r {
                    let (s, o) = x.addingReportingOverflow(y)
                    if !o { f.slots[i] = .int(s); return .normal }
                } else if case .str = r, case .str = f.slots[i] {
                    // move the string out of the slot (no copy, no reference counting) so it is uniquely
                    // referenced and the append is in place; the slot is re-initialised on every path
                    let p = f.slots + i
                    guard case .str(var s) = p.move(), case .str(let t) = consume r else {
                        fatalError("unreachable: both are strs")
                    }
                    if isKnownUniquelyReferenced(&s) { s.appendInPlace(t) } else { s = s.concat(t) }
                    p.initialize(to: .str(consume s))
                    return .normal
                }
            }
            // numbers: `x -= 1`, `e += m * v`, as BinOp's fast paths (CPython's BINARY_OP_*_FLOAT/INT in place)
            if let v = BinOp.numberFast(op, f.slots[i], r) {
                f.slots[i] = v
                return .normal
            }
            f.slots[i] = try f.inplace(op, try tr._withUnsafeGuaranteedRef { try $0.eval(f) }, r)
            return .normal
        }
        if let n = targetName {
            if case .global(let b) = n.ref.kind, case .str(var s)? = b.value, op == .add {
                let r = try value.eval(f)
                if case .str(let t) = r {
                    b.value = nil
                    if isKnownUniquelyReferenced(&s) { s.appendInPlace(t) } else { s = s.concat(t) }
                    b.value = .str(s)
                    return .normal
                }
                b.value = try f.inplace(op, .str(s), r)
                return .normal
            }
            let cur = try n.eval(f)
            try n.assign(f, try f.inplace(op, cur, try value.eval(f)))
            return .normal
        }
        if let a = targetAttribute {
            let o = try a.obj.eval(f)
            let cur = try a.get(o, f)
            let r = try evalChild(valueRef, f)
            // `self.x /= norm`: numbers as BinOp's fast paths, no in-place protocol to look for
            try a.set(o, try BinOp.numberFast(op, cur, r) ?? f.inplace(op, cur, r), f)
            return .normal
        }
        if let s = targetSubscript {
            if let flow = try augmentLocalListItem(s, f) { return flow }
            let o = try s.obj.eval(f)
            let k = try s.index.eval(f)
            if case .list(let l) = o, case .int(let n) = k {
                // `v[0] -= dx * m`: a number in a list updated in place (CPython's BINARY_SUBSCR_LIST_INT and
                // STORE_SUBSCR_LIST_INT around the arithmetic)
                let j = n < 0 ? n + l.items.count : n
                if j >= 0 && j < l.items.count { return try augmentItem(of: l, at: j, key: k, f) }
            }
            let cur = try f.getItem(o, k)
            try f.setItem(o, k, try f.inplace(op, cur, try value.eval(f)))
            return .normal
        }
        throw f.interp.err("SyntaxError", "illegal expression for augmented assignment")
    }

    /// `v[0] -= dx * m`, `count[r] -= 1` with `v` a local list, the index a local or a literal int and the value
    /// names, constants and arithmetic on them: the list is used where the frame keeps it (no reference counting
    /// of it), its item read before the value is evaluated (as CPython's BINARY_SUBSCR comes before the value's
    /// code) and updated in place. Nil, with nothing evaluated, for anything else (the general path then does it all).
    @inline(__always)
    private func augmentLocalListItem(_ s: Subscript, _ f: Frame) throws -> Flow? {
        // neither the index nor the value can rebind the local: the list stays in the slot, alive
        guard valueCannotRebind, let (list, j, k) = s.localListItem(f) else { return nil }
        return try list._withUnsafeGuaranteedRef { l in try augmentItem(of: l, at: j, key: .int(k), f) }
    }

    /// `l[key] op= value` with the item at `j` (in range): the item read, then the value evaluated, then a number
    /// updated in place (CPython's BINARY_SUBSCR_LIST_INT and STORE_SUBSCR_LIST_INT around the arithmetic), anything
    /// else stored through `setItem` (which raises the IndexError if the value's code shortened the list).
    @inline(__always)
    private func augmentItem(of l: PyList, at j: Int, key: Value, _ f: Frame) throws -> Flow {
        let cur = l.items[j]
        let r = try evalChild(valueRef, f)
        if j < l.items.count, let v = BinOp.numberFast(op, cur, r) {
            l.items[j] = v
            return .normal
        }
        try f.setItem(.list(l), key, try f.inplace(op, cur, r))
        return .normal
    }

    /// `s += t` in a loop that keeps local `i` as a `StrBuilder`: a str appended to a str turns the slot into a
    /// builder, and to a builder is copied into it; anything else settles the builder back into its str and does
    /// what `+=` does. Nil, with nothing evaluated, when the local holds neither a str nor a builder (a counter,
    /// say): the caller's paths do the rest.
    @inline(never)
    private func appendToBuilder(_ f: Frame, _ i: Int) throws -> Flow? {
        let p = f.slots + i
        guard p.strBuilder != nil || p.pointee.isStr else { return nil }
        if let lit = strLiteralUTF8 {
            if let b = p.strBuilder { b._withUnsafeGuaranteedRef { $0.append(UnsafeBufferPointer(lit)) }; return .normal }
            if case .str(let s) = p.pointee, s.wide == nil { p.pointee = .obj(StrBuilder(s, strLiteral!)); return .normal }
            return try appendOther(f, i, .str(strLiteral!))
        }
        let r: Value
        if let call = valueCall, let x = try call._withUnsafeGuaranteedRef({ try $0.strArgument(f) }) {
            // `s += str(x)`: an int's digits go straight into the builder
            if case .int(let n) = x, let b = p.strBuilder { b._withUnsafeGuaranteedRef { $0.appendDecimal(n) }; return .normal }
            r = .str(try f.interpRef._withUnsafeGuaranteedRef { try $0.str(x) })
        } else {
            r = try evalChild(valueRef, f)
        }
        switch consume r {
        case .str(let t) where t.wide == nil:
            if let b = p.strBuilder {
                t.withBytes { u in b._withUnsafeGuaranteedRef { $0.append(u) } }
                return .normal
            }
            if case .str(let s) = p.pointee, s.wide == nil { p.pointee = .obj(StrBuilder(s, t)); return .normal }
            return try appendOther(f, i, .str(t))
        case let r:
            return try appendOther(f, i, r)
        }
    }

    /// The rest of `appendToBuilder`: the local back to its str (if a builder), then a plain `+=`.
    private func appendOther(_ f: Frame, _ i: Int, _ r: Value) throws -> Flow {
        StrBuilder.settle(f.slots + i)
        f.slots[i] = try f.inplace(op, try target.eval(f), r)
        return .normal
    }
}

/// The names and the `name += ...` statements parsed inside one loop (its header, body and else clause, not
/// nested functions or classes), kept from the parser until the loop first runs, when the names are resolved.
final class LoopNames {
    var refs: [NameRef] = []
    var appends: [AugAssign] = []

    /// The local slots this loop can keep as a `StrBuilder` while it runs: locals whose every mention in the loop
    /// is the target of a `+=`, so that nothing in the loop reads them (an inner function that read one would make
    /// it a cell, not a local). Their `+=` statements are marked (`appendsToBuilder`); those an enclosing loop
    /// marked already are its own, settled when it ends.
    func claimAppends() -> [Int] {
        var bySlot: [Int: [AugAssign]] = [:]
        for a in appends where !a.appendsToBuilder {
            if let n = a.targetName, n.ref.tag == 1 { bySlot[n.ref.index, default: []].append(a) }
        }
        var claimed: [Int] = []
        for (slot, augs) in bySlot {
            let targets = Set(augs.map { ObjectIdentifier($0.targetName!.ref) })
            if refs.allSatisfy({ $0.tag != 1 || $0.index != slot || targets.contains(ObjectIdentifier($0)) }) {
                for a in augs { a.appendsToBuilder = true }
                claimed.append(slot)
            }
        }
        return claimed.sorted()
    }
}

/// What a loop does with the locals it keeps as `StrBuilder`s: claims them at its first run, and settles them back
/// into strs however it ends (normally, by break, return or an exception).
struct LoopBuilders {
    var names: LoopNames?
    var slots: [Int] = []

    @inline(__always)
    mutating func claim() {
        if let n = names { slots = n.claimAppends(); names = nil }
    }

    func settle(_ f: Frame) {
        for i in slots { StrBuilder.settle(f.slots + i) }
    }
}
