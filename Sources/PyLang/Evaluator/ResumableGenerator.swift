// Resumable generator bodies: a generator whose every `yield` is a statement (`yield v`, `x = yield v`,
// `yield from it`, `x = yield from it`) inside blocks, `if`, `while`, `for`, the body of a `try` and `with` runs on
// its resumer's stack, with no coroutine. A yield unwinds the body back to the resumer (a `.ret` flow with the
// generator's `suspending` set), and every statement it passes on the way out records where it was in the
// generator's `points` (a block its statement index, an `if` its branch, a `for` its iterator, a `with` its
// manager); the next resume walks back in through the same statements, each taking its point, to just after the
// yield. CPython suspends a frame the same way in spirit: the frame is data, not a C stack.
//
// Why not the stackful coroutine for these too: a stack switch leaves the CPU's return-stack predictor pointing
// at the other stack, so every return after a switch mispredicts; here resume and yield are ordinary calls and
// returns. Generators with a yield elsewhere (inside an expression, an `except` or `finally` block) keep the
// coroutine of `Generator.swift`: the parser counts every yield of a function, and `ResumableLowering` turns a
// body resumable only when it lowered all of them.

/// A statement that can suspend its generator and be resumed there. Its state while suspended lives in hidden
/// slots of the generator's frame, after the named locals (numbered by the resolver: `Resolver.assign`).
class ResumableStmt: Stmt {
    /// The first of the statement's hidden slots.
    @exclusivity(unchecked) final var slot = 0
    /// How many hidden slots it keeps its state in.
    var slotCount: Int { 1 }
    override final func exec(_ f: Frame) throws -> Flow {
        try f.gen.unsafelyUnwrapped._withUnsafeGuaranteedRef { try run(f, $0, resuming: false) }
    }
    /// Runs the statement, or with `resuming` continues it from the state in its slots.
    func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow { fatalError("run") }
}

extension Frame {
    /// A hidden slot's int (a block's statement index, a branch).
    @inline(__always)
    func resumeIndex(_ slot: Int) -> Int {
        if case .int(let i) = slots[slot] { return i }
        fatalError("a resumable statement resumed without its state")
    }
}

/// A block of a resumable body: from its first statement, or (`resuming`) back into the one that yielded, whose
/// index it keeps in the hidden slot `slot` while the generator is suspended.
func runResumable(_ b: StmtBuffer, _ slot: Int, _ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
    var i = resuming ? f.resumeIndex(slot) : 0
    var resume = resuming
    while i < b.count {
        let e = b.base[i]
        let r = try e.stmt._withUnsafeGuaranteedRef { s -> Flow in
            f.line = s.line
            if resume { return try unsafeDowncast(s, to: ResumableStmt.self).run(f, g, resuming: true) }
            if let v = e.returnValue { f.ret = try evalChild(v, f); return .ret }
            return try s.exec(f)
        }
        resume = false
        if r != .normal {
            if r == .ret && g.suspending { (f.slots + slot).store(.int(i)) }
            return r
        }
        i += 1
    }
    return .normal
}

/// `yield v` and `x = yield v`.
final class YieldStmt: ResumableStmt {
    let value: Expr?
    let target: Expr?
    init(_ v: Expr?, target: Expr?, line: Int) { value = v; self.target = target; super.init(line: line) }
    override var slotCount: Int { 0 }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        if resuming {
            let sent = try g.takeSent()
            if let target { try target.assign(f, sent) }
            return .normal
        }
        f.ret = try value?.eval(f) ?? .none
        g.suspending = true
        return .ret
    }
}

/// `yield from it` and `x = yield from it`: values go out and sent values, thrown exceptions and close go in, to a
/// sub-generator; `x` is its return value (`StopIteration.value`). The iterator waits in the statement's slot.
final class YieldFromStmt: ResumableStmt {
    let value: Expr
    let target: Expr?
    init(_ v: Expr, target: Expr?, line: Int) { value = v; self.target = target; super.init(line: line) }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        let it: PyIterator
        var sent = Value.none
        var thrown: PyInstance?
        if resuming {
            guard case .obj(let o) = f.slots[slot] else { fatalError("yield from resumed without its iterator") }
            it = unsafeDowncast(o, to: PyIterator.self)
            g.delegate = nil
            if let outcome = g.delegateOutcome {
                // the sub-generator ended while the generator resumed it directly (`GeneratorState.delegate`)
                g.delegateOutcome = nil
                switch outcome {
                case .returned(let v): return try finish(f, v)
                case .raised(let e): (f.slots + slot).store(.none); throw e
                }
            }
            do { sent = try g.takeSent() } catch let e as PyException { thrown = e.exc }
        } else {
            it = try f.interp.getIter(try value.eval(f))
            (f.slots + slot).store(.obj(it))
        }
        let next: Value?
        if let sub = it as? GeneratorIterator {
            do {
                if let t = thrown {
                    // GeneratorExit closes the sub-generator and goes on; anything else is thrown into it
                    if t.cls.name == "GeneratorExit" { try sub.close(); throw PyException(t) }
                    next = try sub.throwIn(t)
                } else {
                    next = try sub.send(sent)
                }
            } catch let e as PyException where e.exc.cls.name == "StopIteration" && sub.state.finished {
                return try finish(f, f.interp.stopValue(e))
            }
            if next != nil { g.delegate = sub.state }
        } else {
            if let t = thrown { throw PyException(t) }
            next = try f.interp.plainSend(it, sent)
        }
        guard let x = next else { return try finish(f, .none) }
        f.ret = x
        g.suspending = true
        return .ret
    }
    private func finish(_ f: Frame, _ result: Value) throws -> Flow {
        (f.slots + slot).store(.none)
        if let target { try target.assign(f, result) }
        return .normal
    }
}

/// A resumable statement with a body and an else block (`if`, `while`, `for`): its lowered blocks.
class ResumableCompound: ResumableStmt {
    let body: [Stmt], orelse: [Stmt]
    let bodyBuf: StmtBuffer, orelseBuf: StmtBuffer
    init(_ b: [Stmt], _ o: [Stmt], line: Int) {
        body = b; orelse = o; bodyBuf = StmtBuffer(b); orelseBuf = StmtBuffer(o)
        super.init(line: line)
    }
    deinit { bodyBuf.free(); orelseBuf.free() }
}

/// Slots: the branch's block index, the branch.
final class ResumableIf: ResumableCompound {
    let cond: IfStmt
    init(_ s: IfStmt, _ b: [Stmt], _ o: [Stmt]) { cond = s; super.init(b, o, line: s.line) }
    override var slotCount: Int { 2 }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        let branch = resuming ? f.resumeIndex(slot + 1) : (try cond.test(f) ? 0 : 1)
        let r = try runResumable(branch == 0 ? bodyBuf : orelseBuf, slot, f, g, resuming: resuming)
        if r == .ret && g.suspending { (f.slots + slot + 1).store(.int(branch)) }
        return r
    }
}

/// Slots: the block index (body or else block), the part (0 body, 1 else block).
final class ResumableWhile: ResumableCompound {
    let loop: WhileStmt
    init(_ s: WhileStmt, _ b: [Stmt], _ o: [Stmt]) { loop = s; super.init(b, o, line: s.line) }
    override var slotCount: Int { 2 }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        var resume = resuming
        if resuming && f.resumeIndex(slot + 1) == 1 { return try runElse(f, g, resuming: true) }
        while true {
            if !resume {
                if try !loop.test(f) { break }
                if f.interruptPending { try f.interp.interruptSlowPath() }
            }
            let r = try runResumable(bodyBuf, slot, f, g, resuming: resume)
            resume = false
            if r == .brk { return .normal }
            if r == .ret {
                if g.suspending { (f.slots + slot + 1).store(.int(0)) }
                return .ret
            }
        }
        return try runElse(f, g, resuming: false)
    }
    private func runElse(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        let r = try runResumable(orelseBuf, slot, f, g, resuming: resuming)
        if r == .ret && g.suspending { (f.slots + slot + 1).store(.int(1)) }
        return r
    }
}

/// Slots: the block index (body or else block), the iterator while the body runs (None in the else block), and
/// for `for i in range(...)` into a local, the range in the second slot and the current int in the third (no
/// iterator object, no closure call per item).
final class ResumableFor: ResumableCompound {
    let loop: ForStmt
    let targetName: Name?
    init(_ s: ForStmt, _ b: [Stmt], _ o: [Stmt]) {
        loop = s; targetName = s.target as? Name
        super.init(b, o, line: s.line)
    }
    /// Slots: the block index, the iterator (or the range), and in a range loop the current int (None in an
    /// iterator loop, so a resume tells the two apart without a cast).
    override var slotCount: Int { 3 }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        // the target's slot read from the reference's plain fields (its `kind` is an enum whose copy retains)
        let local: Int? = targetName.flatMap { $0.ref.tag == 1 ? $0.ref.index : nil }
        let it: PyIterator
        if resuming {
            guard case .obj(let o) = f.slots[slot + 1] else { return try runElse(f, g, resuming: true) }
            if case .int(let i) = f.slots[slot + 2], let local {
                return try runRange(f, g, unsafeDowncast(o, to: PyRange.self), local, from: i, resuming: true)
            }
            it = unsafeDowncast(o, to: PyIterator.self)
        } else {
            let iterable = try loop.iter.eval(f)
            if let local, case .obj(let o) = iterable, let r = o as? PyRange {
                (f.slots + slot + 1).store(iterable)
                return try runRange(f, g, r, local, from: r.start, resuming: false)
            }
            it = try f.interp.getIter(iterable)
            (f.slots + slot + 1).store(.obj(it))
            (f.slots + slot + 2).store(.none)
        }
        var resume = resuming
        // a generator's values straight from it, not through its `nextFn` closure (the exact class compared, no
        // dynamic cast on each resume)
        let gen = type(of: it) == GeneratorIterator.self ? unsafeDowncast(it, to: GeneratorIterator.self).state : nil
        while true {
            if !resume {
                guard let v = try gen?.next() ?? it.nextFn() else { break }
                if f.interruptPending { try f.interp.interruptSlowPath() }
                if let local { f.slots[local] = v } else { try loop.target.assign(f, v) }
            }
            let r = try runResumable(bodyBuf, slot, f, g, resuming: resume)
            resume = false
            if r == .brk { (f.slots + slot + 1).store(.none); return .normal }
            if r == .ret { return .ret }
            f.line = line   // an error from the iterator's next item is on the `for` line
        }
        (f.slots + slot + 1).store(.none)
        return try runElse(f, g, resuming: false)
    }
    /// `for local in range(...)`: the loop over ints, its current one kept in the third slot while suspended.
    private func runRange(_ f: Frame, _ g: GeneratorState, _ range: PyRange, _ local: Int, from start: Int,
                          resuming: Bool) throws -> Flow {
        var i = start
        var resume = resuming
        let stop = range.stop, step = range.step
        while resume || (step > 0 ? i < stop : i > stop) {
            if !resume {
                if f.interruptPending { try f.interp.interruptSlowPath() }
                (f.slots + local).store(.int(i))
            }
            let r = try runResumable(bodyBuf, slot, f, g, resuming: resume)
            resume = false
            if r == .brk { (f.slots + slot + 1).store(.none); return .normal }
            if r == .ret {
                if g.suspending { (f.slots + slot + 2).store(.int(i)) }
                return .ret
            }
            let (next, o) = i.addingReportingOverflow(step)
            if o { break }   // the next value would pass Int's end, so it is past `stop` as well
            i = next
        }
        (f.slots + slot + 1).store(.none)
        return try runElse(f, g, resuming: false)
    }
    private func runElse(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        try runResumable(orelseBuf, slot, f, g, resuming: resuming)
    }
}

/// A `try` whose body yields (its handlers, else and finally blocks do not): the statement's own handling around
/// the resumable body; suspending leaves without the else or finally block, which run when the body ends.
final class ResumableTry: ResumableStmt {
    let stmt: TryStmt
    let body: [Stmt]
    let bodyBuf: StmtBuffer
    init(_ s: TryStmt, _ b: [Stmt]) { stmt = s; body = b; bodyBuf = StmtBuffer(b); super.init(line: s.line) }
    deinit { bodyBuf.free() }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        try stmt.run(f, suspended: { g.suspending }) { try runResumable(bodyBuf, slot, f, g, resuming: resuming) }
    }
}

/// A `with` whose body yields: each manager stays entered while the generator is suspended. Slots: the block
/// index, then each manager.
final class ResumableWith: ResumableStmt {
    let stmt: WithStmt
    let body: [Stmt]
    let bodyBuf: StmtBuffer
    init(_ s: WithStmt, _ b: [Stmt]) { stmt = s; body = b; bodyBuf = StmtBuffer(b); super.init(line: s.line) }
    deinit { bodyBuf.free() }
    override var slotCount: Int { 1 + stmt.items.count }
    override func run(_ f: Frame, _ g: GeneratorState, resuming: Bool) throws -> Flow {
        try run(f, g, 0, resuming: resuming)
    }
    private func run(_ f: Frame, _ g: GeneratorState, _ i: Int, resuming: Bool) throws -> Flow {
        if i == stmt.items.count { return try runResumable(bodyBuf, slot, f, g, resuming: resuming) }
        let mgr: Value
        if resuming {
            mgr = f.slots[slot + 1 + i]
        } else {
            mgr = try stmt.enter(f, i)
            (f.slots + slot + 1 + i).store(mgr)
        }
        let r = try stmt.guarded(f, mgr, suspended: { g.suspending }) { try run(f, g, i + 1, resuming: resuming) }
        if !(r == .ret && g.suspending) { (f.slots + slot + 1 + i).store(.none) }
        return r
    }
}

/// Turns a generator function's body resumable when every yield in it is a statement in a place the statements
/// above can resume (see the file's header); otherwise leaves it to the stackful coroutine.
enum ResumableLowering {
    static func lower(_ code: FuncCode) {
        var lowered = 0
        guard code.yieldCount > 0, let body = block(code.body, &lowered), lowered == code.yieldCount else { return }
        code.body = body
        code.resumable = true
        code.resumables = []
        collect(body, into: &code.resumables)
    }

    /// The resumable statements of a lowered body, outermost first: the resolver gives each its hidden slots.
    private static func collect(_ stmts: [Stmt], into all: inout [ResumableStmt]) {
        for s in stmts {
            guard let r = s as? ResumableStmt else { continue }
            all.append(r)
            switch r {
            case let c as ResumableCompound: collect(c.body, into: &all); collect(c.orelse, into: &all)
            case let t as ResumableTry: collect(t.body, into: &all)
            case let w as ResumableWith: collect(w.body, into: &all)
            default: break
            }
        }
    }

    /// The block with its yielding statements replaced; nil when one yields where no resume can reach.
    private static func block(_ stmts: [Stmt], _ lowered: inout Int) -> [Stmt]? {
        var out: [Stmt] = []
        out.reserveCapacity(stmts.count)
        for s in stmts {
            guard let l = stmt(s, &lowered) else { return nil }
            out.append(l)
        }
        return out
    }

    /// A block that must not yield (an except, else or finally block): nil when it does.
    private static func still(_ stmts: [Stmt], _ lowered: inout Int) -> Bool {
        let before = lowered
        return block(stmts, &lowered) != nil && lowered == before
    }

    private static func stmt(_ s: Stmt, _ lowered: inout Int) -> Stmt? {
        let before = lowered
        switch s {
        case let e as ExprStmt:
            if let y = e.e as? YieldExpr { return yield(y, target: nil, line: s.line, &lowered) }
        case let a as Assign:
            if a.targets.count == 1, let y = a.value as? YieldExpr { return yield(y, target: a.targets[0], line: s.line, &lowered) }
        case let i as IfStmt:
            guard let b = block(i.body, &lowered), let o = block(i.orelse, &lowered) else { return nil }
            if lowered != before { return ResumableIf(i, b, o) }
        case let w as WhileStmt:
            guard let b = block(w.body, &lowered), let o = block(w.orelse, &lowered) else { return nil }
            if lowered != before { return ResumableWhile(w, b, o) }
        case let l as ForStmt:
            guard let b = block(l.body, &lowered), let o = block(l.orelse, &lowered) else { return nil }
            if lowered != before { return ResumableFor(l, b, o) }
        case let t as TryStmt:
            guard let b = block(t.body, &lowered) else { return nil }
            if lowered == before { return s }
            let inBody = lowered
            guard t.handlers.allSatisfy({ still($0.body, &lowered) }), still(t.orelse, &lowered),
                  still(t.finalbody, &lowered), lowered == inBody else { return nil }
            return ResumableTry(t, b)
        case let w as WithStmt:
            guard let b = block(w.body, &lowered) else { return nil }
            if lowered != before { return ResumableWith(w, b) }
        default:
            break
        }
        return s
    }

    private static func yield(_ y: YieldExpr, target: Expr?, line: Int, _ lowered: inout Int) -> Stmt {
        lowered += 1
        if y.isFrom, let v = y.value { return YieldFromStmt(v, target: target, line: line) }
        return YieldStmt(y.value, target: target, line: line)
    }
}
