// Statements that steer: if, while, for, break/continue/pass, return, def and class, try, raise, with, import,
// assert, del, global.

/// An `if`'s or `while`'s condition: a comparison tested without making a bool Value, a bool as it is.
@inline(__always)
func testCondition(_ cmp: Unmanaged<Compare>?, _ cond: Unmanaged<Expr>, _ f: Frame) throws -> Bool {
    // unretained (the statement owns its condition): a retain around `test` costs a third of `if r > 0`
    if let cmp { return try cmp._withUnsafeGuaranteedRef { try $0.test(f) } }
    let c = try evalChild(cond, f)
    if case .bool(let b) = c { return b }
    return try f.truthy(c)
}

final class IfStmt: Stmt {
    let cond: Expr
    let body: [Stmt]
    let orelse: [Stmt]
    let condRef: Unmanaged<Expr>
    let bodyBuf: StmtBuffer, orelseBuf: StmtBuffer
    init(_ c: Expr, _ b: [Stmt], _ o: [Stmt], line: Int) {
        cond = c; body = b; orelse = o
        condRef = .passUnretained(c); bodyBuf = StmtBuffer(b); orelseBuf = StmtBuffer(o)
        condCompare = (c as? Compare).map { .passUnretained($0) }
        super.init(line: line)
    }
    deinit { bodyBuf.free(); orelseBuf.free() }
    /// The condition when it is a comparison, tested without making a bool Value.
    let condCompare: Unmanaged<Compare>?
    override func exec(_ f: Frame) throws -> Flow {
        try runBlock(try test(f) ? bodyBuf : orelseBuf, f)
    }
    @inline(__always)
    func test(_ f: Frame) throws -> Bool { try testCondition(condCompare, condRef, f) }
}

final class WhileStmt: Stmt {
    let cond: Expr
    let body: [Stmt]
    let orelse: [Stmt]
    let condRef: Unmanaged<Expr>
    let bodyBuf: StmtBuffer
    @exclusivity(unchecked) var builders: LoopBuilders
    init(_ c: Expr, _ b: [Stmt], _ o: [Stmt], line: Int, names: LoopNames?) {
        cond = c; body = b; orelse = o
        condRef = .passUnretained(c); bodyBuf = StmtBuffer(b)
        condCompare = (c as? Compare).map { .passUnretained($0) }
        builders = LoopBuilders(names: names)
        super.init(line: line)
    }
    deinit { bodyBuf.free() }
    let condCompare: Unmanaged<Compare>?
    override func exec(_ f: Frame) throws -> Flow {
        builders.claim()
        defer { if !builders.slots.isEmpty { builders.settle(f) } }
        return try run(f)
    }
    /// The loop itself, compiled on its own: inlined, the settling `defer` above costs registers in every turn.
    @inline(never)
    private func run(_ f: Frame) throws -> Flow {
        while true {
            if try !test(f) { break }
            if f.interruptPending { try f.interp.interruptSlowPath() }
            let r = try runBlock(bodyBuf, f)
            if r == .brk { return .normal }
            if r == .ret { return .ret }
        }
        return try runBlock(orelse, f)
    }
    @inline(__always)
    func test(_ f: Frame) throws -> Bool { try testCondition(condCompare, condRef, f) }
}

final class ForStmt: Stmt {
    let target: Expr
    let iter: Expr
    let body: [Stmt]
    let orelse: [Stmt]
    let bodyBuf: StmtBuffer
    @exclusivity(unchecked) var builders: LoopBuilders
    init(_ t: Expr, _ i: Expr, _ b: [Stmt], _ o: [Stmt], line: Int, names: LoopNames?) {
        target = t; iter = i; body = b; orelse = o; bodyBuf = StmtBuffer(b)
        builders = LoopBuilders(names: names)
        super.init(line: line)
    }
    deinit { bodyBuf.free() }
    /// The slots of a target of two plain locals (`for k, v in ...`), else nil.
    private var pairSlots: (Int, Int)? {
        guard let t = target as? TupleExpr, t.elts.count == 2, let a = t.elts[0] as? Name, let b = t.elts[1] as? Name,
              case .local(let ia) = a.ref.kind, case .local(let ib) = b.ref.kind else { return nil }
        return (ia, ib)
    }
    override func exec(_ f: Frame) throws -> Flow {
        builders.claim()
        defer { if !builders.slots.isEmpty { builders.settle(f) } }
        return try run(f)
    }
    /// The loop itself, compiled on its own: inlined, the settling `defer` above costs registers in every turn.
    @inline(never)
    private func run(_ f: Frame) throws -> Flow {
        let it = try iter.eval(f)
        var result = Flow.normal
        var broke = false
        let slot: Int?
        if let n = target as? Name, case .local(let i) = n.ref.kind { slot = i } else { slot = nil }
        if let slot, case .obj(let o) = it, let r = o as? PyRange {
            // `for i in range(...)` into a local: the loop itself, no closure call per iteration
            var i = r.start
            let stop = r.stop, step = r.step
            while step > 0 ? i < stop : i > stop {
                if f.interruptPending { try f.interp.interruptSlowPath() }
                (f.slots + slot).store(.int(i))
                let r = try runBlock(bodyBuf, f)
                if r == .brk { return .normal }
                if r == .ret { return .ret }
                let (next, o) = i.addingReportingOverflow(step)
                if o { break }   // the next value would pass Int's end, so it is past `stop` as well
                i = next
            }
            return try runBlock(orelse, f)
        }
        if case .obj(let o) = it, let dv = o as? PyDictView, dv.kind == .items, let (ka, kb) = pairSlots {
            // `for k, v in d.items()` into two locals: the entries without a tuple each
            try f.interp.forEachEntry(dv.d) { k, v in
                if f.interruptPending { try f.interp.interruptSlowPath() }
                f.slots[ka] = k
                f.slots[kb] = v
                let r = try runBlock(bodyBuf, f)
                switch r {
                case .normal, .cont: f.line = line; return true
                case .brk: broke = true; return false
                case .ret: result = .ret; return false
                }
            }
            if result == .ret { return .ret }
            if broke { return .normal }
            return try runBlock(orelse, f)
        }
        if case .obj(let o) = it, let e = o as? EnumerateIterator, let (ka, kb) = pairSlots {
            // `for i, x in enumerate(...)` into two locals: the pairs without a tuple each
            let state = e.state
            while let (k, v) = try f.interpRef._withUnsafeGuaranteedRef({ try state.nextPair($0) }) {
                if f.interruptPending { try f.interp.interruptSlowPath() }
                f.slots[ka] = k
                f.slots[kb] = v
                let r = try runBlock(bodyBuf, f)
                if r == .brk { return .normal }
                if r == .ret { return .ret }
                f.line = line
            }
            return try runBlock(orelse, f)
        }
        try f.interp.iterate(it) { v in
            if f.interruptPending { try f.interp.interruptSlowPath() }
            if let slot { f.slots[slot] = v } else { try target.assign(f, v) }
            let r = try runBlock(bodyBuf, f)
            switch r {
            case .normal, .cont:
                f.line = line   // an error from the iterator's next item is on the `for` line, as CPython's
                return true
            case .brk: broke = true; return false
            case .ret: result = .ret; return false
            }
        }
        if result == .ret { return .ret }
        if broke { return .normal }
        return try runBlock(orelse, f)
    }
}

final class BreakStmt: Stmt { override func exec(_ f: Frame) throws -> Flow { .brk } }
final class ContinueStmt: Stmt { override func exec(_ f: Frame) throws -> Flow { .cont } }
final class PassStmt: Stmt { override func exec(_ f: Frame) throws -> Flow { .normal } }

final class ReturnStmt: Stmt {
    let value: Expr?
    let valueRef: Unmanaged<Expr>?
    init(_ v: Expr?, line: Int) { value = v; valueRef = v.map { .passUnretained($0) }; super.init(line: line) }
    /// Runs only for `return` without a value or outside a `StmtBuffer`: `runBlock` does the rest in place.
    override func exec(_ f: Frame) throws -> Flow {
        if let v = valueRef { f.ret = try evalChild(v, f) } else { f.ret = .none }
        return .ret
    }
}

final class FunctionDef: Stmt {
    let lambda: Lambda
    let target: Name
    let decorators: [Expr]
    init(_ l: Lambda, _ t: Name, _ d: [Expr], line: Int) { lambda = l; target = t; decorators = d; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow {
        var decs: [Value] = []
        for d in decorators { decs.append(try d.eval(f)) }
        var v: Value = .obj(try lambda.makeFunction(f))
        for d in decs.reversed() { v = try f.interp.call(d, [v], []) }
        try target.assign(f, v)
        return .normal
    }
}

final class ClassDef: Stmt {
    let name: String
    let bases: [Expr]
    let kwNames: [String]
    let kwValues: [Expr]
    let body: [Stmt]
    let scope: Scope
    let target: Name
    let decorators: [Expr]
    let qualname: String
    init(_ n: String, _ qn: String, _ b: [Expr], _ kn: [String], _ kv: [Expr], _ body: [Stmt], _ s: Scope, _ t: Name, _ d: [Expr], line: Int) {
        name = n; qualname = qn; bases = b; kwNames = kn; kwValues = kv; self.body = body; scope = s; target = t; decorators = d
        super.init(line: line)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let interp = f.interp
        var decs: [Value] = []
        for d in decorators { decs.append(try d.eval(f)) }
        var bs: [PyClass] = []
        for b in bases {
            let v = try b.eval(f)
            guard case .obj(let c as PyClass) = v else { throw interp.err("TypeError", "bases must be types") }
            bs.append(c)
        }
        // keywords: `metaclass=` chooses the metaclass, the others go to it (and to __init_subclass__)
        var kw: [(String, Value)] = []
        var explicitMeta: Value?
        for (k, e) in zip(kwNames, kwValues) {
            let v = try e.eval(f)
            if k == "metaclass" { explicitMeta = v } else { kw.append((k, v)) }
        }
        var meta: PyClass?
        var metaCallable: Value?
        switch explicitMeta {
        case nil: meta = try interp.calculateMeta(nil, bs)
        case .obj(let m as PyClass)?: meta = try interp.calculateMeta(m, bs)
        case let other?: metaCallable = other     // a function as metaclass: called with (name, bases, ns)
        }
        let basesTuple = Value.tuple(PyTuple(bs.map { .obj($0) }))
        let ns: PyDict
        if let m = meta, let prepare = interp.userPrepare(m) {
            let r = try interp.callBound(prepare, .obj(m), [.str(name), basesTuple], kw)
            guard case .dict(let d) = r else {
                throw interp.typeError("\(m.name).__prepare__() must return a dict here (mpsh keeps class namespaces "
                    + "in dicts), not '\(interp.typeName(r))'")
            }
            ns = d
        } else {
            ns = PyDict()
        }
        let cf = Frame(slots: scope.slotCount, cells: (0..<scope.ownCells.count).map { _ in Cell() } + scope.closureSources.map { f.cells[$0] },
                       module: f.module, interp: interp, fn: nil)
        ns.set(.str("__module__"), .str(f.module.name))
        ns.set(.str("__qualname__"), .str(qualname))
        cf.classNS = ns
        _ = try runBlock(body, cf)
        var v: Value
        if let callable = metaCallable {
            v = try interp.call(callable, [.str(name), basesTuple, .dict(ns)], kw)
        } else if let m = meta {
            v = try interp.call(.obj(m), [.str(name), basesTuple, .dict(ns)], kw)
        } else {
            v = .obj(try interp.makeClass(name: name, bases: bs, ns: ns, meta: nil, kw: kw))
        }
        for d in decs.reversed() { v = try interp.call(d, [v], []) }
        try target.assign(f, v)
        return .normal
    }
}

struct ExceptClause {
    let type: Expr?
    let name: Name?
    let body: [Stmt]
    let line: Int
}

final class TryStmt: Stmt {
    let body: [Stmt]
    let handlers: [ExceptClause]
    let orelse: [Stmt]
    let finalbody: [Stmt]
    init(_ b: [Stmt], _ h: [ExceptClause], _ o: [Stmt], _ fin: [Stmt], line: Int) {
        body = b; handlers = h; orelse = o; finalbody = fin; super.init(line: line)
    }
    override func exec(_ f: Frame) throws -> Flow {
        try run(f) { try runBlock(body, f) }
    }
    /// The statement around a body that `runBody` runs (the resumable form of `ResumableGenerator.swift` passes its
    /// own). A body that suspends a generator (`suspended`) leaves without running its else or finally block.
    @inline(__always)
    func run(_ f: Frame, suspended: () -> Bool = { false }, _ runBody: () throws -> Flow) throws -> Flow {
        if finalbody.isEmpty { return try execHandlers(f, runBody) }
        var flow: Flow
        do {
            flow = try execHandlers(f, runBody)
        } catch {
            let saved = f.ret
            let r = try runBlock(finalbody, f)
            if r != .normal { return r }   // return/break in finally swallows the exception
            f.ret = saved
            throw error
        }
        if flow == .ret && suspended() { return flow }
        let saved = f.ret
        let r = try runBlock(finalbody, f)
        if r != .normal { return r }
        f.ret = saved
        return flow
    }
    @inline(__always)
    private func execHandlers(_ f: Frame, _ runBody: () throws -> Flow) throws -> Flow {
        if handlers.isEmpty { return try runBody() }
        let flow: Flow
        do {
            flow = try runBody()
        } catch let e as PyException {
            return try handle(e, f)
        }
        if flow != .normal { return flow }
        return try runBlock(orelse, f)
    }
    /// The first handler that matches `e` runs; none matches: `e` goes on.
    private func handle(_ e: PyException, _ f: Frame) throws -> Flow {
        let exc = e.exc
        for h in handlers {
            var match = h.type == nil
            if let t = h.type { match = try f.interp.exceptionMatches(exc, try t.eval(f)) }
            if match {
                f.line = h.line
                if let n = h.name { try n.assign(f, .obj(exc)) }
                let saveCur = f.interp.handling
                f.interp.handling = exc
                defer { f.interp.handling = saveCur }
                do {
                    let r = try runBlock(h.body, f)
                    if let n = h.name { try? n.delete(f) }
                    return r
                } catch let e2 as PyException {
                    if e2.exc !== exc, e2.exc.context.isNone { e2.exc.context = .obj(exc) }
                    throw e2
                }
            }
        }
        throw e
    }
}

final class RaiseStmt: Stmt {
    let exc: Expr?
    let cause: Expr?
    init(_ e: Expr?, _ c: Expr?, line: Int) { exc = e; cause = c; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow {
        guard let exc else {
            if let h = f.interp.handling { throw PyException(h) }
            throw f.interp.err("RuntimeError", "No active exception to reraise")
        }
        let v = try exc.eval(f)
        let inst = try f.interp.makeException(v)
        if let cause { inst.cause = try cause.eval(f) }
        if let h = f.interp.handling, h !== inst, inst.context.isNone { inst.context = .obj(h) }
        throw PyException(inst)
    }
}

final class WithStmt: Stmt {
    let items: [(Expr, Expr?)]
    let body: [Stmt]
    init(_ i: [(Expr, Expr?)], _ b: [Stmt], line: Int) { items = i; body = b; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow { try run(f, 0) }
    func run(_ f: Frame, _ i: Int) throws -> Flow {
        if i == items.count { return try runBlock(body, f) }
        let mgr = try enter(f, i)
        return try guarded(f, mgr) { try run(f, i + 1) }
    }
    /// The `i`th context manager, entered (its `as` target assigned).
    func enter(_ f: Frame, _ i: Int) throws -> Value {
        let (e, target) = items[i]
        let mgr = try e.eval(f)
        let entered = try f.callMethod(mgr, "__enter__", [], [])
        if let target { try target.assign(f, entered) }
        return mgr
    }
    /// Runs `inner` inside the entered `mgr`, whose `__exit__` sees how it ended (and may swallow an exception).
    /// An `inner` that suspends a generator (`suspended`) leaves with the manager still entered.
    @inline(__always)
    func guarded(_ f: Frame, _ mgr: Value, suspended: () -> Bool = { false }, _ inner: () throws -> Flow) throws -> Flow {
        let flow: Flow
        do {
            flow = try inner()
        } catch let e as PyException {
            let r = try f.callMethod(mgr, "__exit__", [.obj(e.exc.cls), .obj(e.exc), .none], [])
            if try f.truthy(r) { return .normal }
            throw e
        }
        if flow == .ret && suspended() { return flow }
        _ = try f.callMethod(mgr, "__exit__", [.none, .none, .none], [])
        return flow
    }
}

final class ImportStmt: Stmt {
    let names: [(String, Name)]   // module dotted name, bound name (first component unless `as`)
    let asNames: [Bool]
    init(_ n: [(String, Name)], _ a: [Bool], line: Int) { names = n; asNames = a; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow {
        for (i, (mod, target)) in names.enumerated() {
            let m = try f.interp.importModule(mod)
            if asNames[i] || !mod.contains(".") { try target.assign(f, m) }
            else { try target.assign(f, try f.interp.importModule(String(mod.split(separator: ".")[0]))) }
        }
        return .normal
    }
}

final class ImportFrom: Stmt {
    let module: String
    let names: [(String, Name)]
    let star: Bool
    init(_ m: String, _ n: [(String, Name)], star: Bool, line: Int) { module = m; names = n; self.star = star; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow {
        let m = try f.interp.importModule(module)
        if star {
            guard case .obj(let mod as PyModule) = m else { return .normal }
            for (k, b) in mod.globals where !k.hasPrefix("_") { if let v = b.value { f.module.set(k, v) } }
            return .normal
        }
        for (n, target) in names {
            do { try target.assign(f, try f.getAttr(m, n)) }
            catch is PyException {
                if let sub = try? f.interp.importModule(module + "." + n) { try target.assign(f, sub); continue }
                throw f.interp.err("ImportError", "cannot import name '\(n)' from '\(module)'")
            }
        }
        return .normal
    }
}

final class AssertStmt: Stmt {
    let test: Expr
    let msg: Expr?
    init(_ t: Expr, _ m: Expr?, line: Int) { test = t; msg = m; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow {
        if try f.truthy(try test.eval(f)) { return .normal }
        if let msg { throw PyException(try f.interp.makeException(try f.interp.call(f.interp.builtins["AssertionError"]!, [try msg.eval(f)], []))) }
        throw f.interp.err("AssertionError", nil)
    }
}

final class DelStmt: Stmt {
    let targets: [Expr]
    init(_ t: [Expr], line: Int) { targets = t; super.init(line: line) }
    override func exec(_ f: Frame) throws -> Flow { for t in targets { try t.delete(f) }; return .normal }
}

final class GlobalStmt: Stmt { override func exec(_ f: Frame) throws -> Flow { .normal } }
