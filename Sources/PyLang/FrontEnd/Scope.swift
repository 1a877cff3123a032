// The name resolver: after parsing, every name reference becomes a slot, a cell, a class-body name or a global box.
// Mirrors CPython's `Python/symtable.c`.

final class Var {
    let name: String
    unowned let owner: Scope      // the frame-owning scope whose frame stores the variable
    var isCell = false
    var index = -1                // slot index, or own-cell index when isCell
    init(_ n: String, _ o: Scope) { name = n; owner = o }
}

enum NameKind {
    case unresolved
    case local(Int)
    case cell(Int)
    case global(GlobalBox)
    case classBody(String, GlobalBox)
}

final class NameRef {
    let name: String
    @exclusivity(unchecked) var kind: NameKind = .unresolved {
        didSet {
            switch kind {
            case .local(let i): tag = 1; index = i
            case .global(let b): tag = 2; box = b; boxRef = Unmanaged.passUnretained(b)
            default: tag = 0
            }
        }
    }
    /// Copies of `kind` for the evaluator's fast path: 1 = local slot `index`, 2 = global `box`.
    @exclusivity(unchecked) var tag: UInt8 = 0
    @exclusivity(unchecked) var index = 0
    /// Global boxes are owned by their module's table for the interpreter's lifetime.
    @exclusivity(unchecked) unowned(unsafe) var box: GlobalBox?
    /// The same box, read on the hot path without retaining it.
    @exclusivity(unchecked) var boxRef: Unmanaged<GlobalBox>?
    /// The builtin this global name resolved to when the module did not define it (module globals still win).
    @exclusivity(unchecked) var builtin: Value?
    let line: Int
    init(_ n: String, line: Int) { name = n; self.line = line }
}

/// Code of a function, lambda, class body or module: filled by the parser and the resolver.
public final class FuncCode {
    @exclusivity(unchecked) var name: String
    @exclusivity(unchecked) var qualname: String
    @exclusivity(unchecked) var params: [String] = []          // positional (and positional-or-keyword) params
    @exclusivity(unchecked) var kwOnly: [String] = []
    @exclusivity(unchecked) var varargs: String? = nil
    @exclusivity(unchecked) var kwargs: String? = nil
    @exclusivity(unchecked) var nSlots = 0
    @exclusivity(unchecked) var nOwnCells = 0
    @exclusivity(unchecked) var cellParams: [(Int, Int)] = [] {  // (slot, cell) for params captured by inner functions
        didSet { hasCellParams = !cellParams.isEmpty }
    }
    @exclusivity(unchecked) var hasCellParams = false
    @exclusivity(unchecked) var body: [Stmt] = [] {
        didSet { bodyBuf.free(); bodyBuf = StmtBuffer(body) }
    }
    /// `body` as unretained references (see `StmtBuffer`), rebuilt whenever `body` is set.
    @exclusivity(unchecked) var bodyBuf = StmtBuffer([])
    @exclusivity(unchecked) var isGenerator = false
    /// The `yield` expressions the parser saw in this function, and whether they are all statements that
    /// `ResumableLowering` turned into resumable ones (the generator then needs no stack of its own).
    @exclusivity(unchecked) var yieldCount = 0
    @exclusivity(unchecked) var resumable = false
    /// A resumable body's statements that keep state in hidden slots, and the body block's own slot.
    @exclusivity(unchecked) var resumables: [ResumableStmt] = []
    @exclusivity(unchecked) var bodySlot = 0
    @exclusivity(unchecked) var closureCount = 0
    /// The argument count of a call that can bind straight into slots (positional parameters only, not a
    /// generator), or -1.
    @inline(__always)
    var simpleArity: Int {
        if simpleArityCache != -2 { return simpleArityCache }
        return computeSimpleArity()
    }
    @inline(never)
    private func computeSimpleArity() -> Int {
        simpleArityCache = varargs == nil && kwargs == nil && kwOnly.isEmpty && !isGenerator ? params.count : -1
        return simpleArityCache
    }
    @exclusivity(unchecked) private var simpleArityCache = -2
    /// The slots every successful argument binding writes: positional and keyword-only parameters, then the
    /// `*args` and `**kwargs` ones (the resolver numbers them first, in that order).
    @inline(__always)
    var nParamSlots: Int {
        if nParamSlotsCache < 0 {
            nParamSlotsCache = params.count + kwOnly.count + (varargs == nil ? 0 : 1) + (kwargs == nil ? 0 : 1)
        }
        return nParamSlotsCache
    }
    @exclusivity(unchecked) private var nParamSlotsCache = -1
    @exclusivity(unchecked) var isLambda = false
    /// A function's named variables in definition order, for `locals()`, `dir()` and `vars()` without arguments:
    /// each in a slot or (`isCell`) in a cell of the frame.
    @exclusivity(unchecked) var localNames: [(name: String, index: Int, isCell: Bool)] = []
    /// Frames of this code that finished and were not kept by anything (a generator expression, say): the next
    /// call reuses one instead of allocating a frame and its slots. Linked through `Frame.nextFree`; at most as
    /// many as the deepest recursion of this code has had at once.
    /// Each entry holds one retain, released when the code goes away.
    @exclusivity(unchecked) var spareFrames: Unmanaged<Frame>?
    @exclusivity(unchecked) var file: String
    @exclusivity(unchecked) var firstLine: Int
    @exclusivity(unchecked) var docstring: String? = nil
    init(name: String, qualname: String, file: String, line: Int) {
        self.name = name; self.qualname = qualname; self.file = file; firstLine = line
    }
    deinit {
        bodyBuf.free()
        while let f = spareFrames { spareFrames = f._withUnsafeGuaranteedRef { $0.nextFree }; f.release() }
    }
    var nPositional: Int { params.count }
}

final class Scope {
    enum Kind { case module, function, classBody, comprehension }
    let kind: Kind
    var parent: Scope?
    var assigned: [String] = []
    var assignedSet: Set<String> = []
    var globals: Set<String> = []
    var nonlocals: Set<String> = []
    var refs: [NameRef] = []
    var children: [Scope] = []
    var vars: [String: Var] = [:]
    var freeVars: [Var] = []
    var ownCells: [Var] = []
    var slotCount = 0
    var code: FuncCode?
    var name: String
    /// For MakeFunction / ClassDef: where each free var of this scope lives in the defining frame's cells.
    var closureSources: [Int] = []

    init(_ k: Kind, parent: Scope?, name: String) {
        kind = k; self.parent = parent; self.name = name
        parent?.children.append(self)
    }

    var frameOwner: Scope {
        var s = self
        while s.kind == .comprehension, let p = s.parent { s = p }
        return s
    }

    func bind(_ n: String) {
        if !assignedSet.contains(n) { assignedSet.insert(n); assigned.append(n) }
    }
    func freeIndex(_ v: Var) -> Int {
        if let i = freeVars.firstIndex(where: { $0 === v }) { return i }
        freeVars.append(v); return freeVars.count - 1
    }
}

struct Resolver {
    let module: PyModule
    /// True for code that `exec`/`eval` run with a locals mapping of its own: the module-level names (those not
    /// declared `global`) are then looked up in that mapping first and bound in it, as a class body's are
    /// (CPython's LOAD_NAME / STORE_NAME).
    var namesInLocals = false

    func resolve(_ root: Scope) throws(SyntaxError) {
        declare(root)
        try link(root)
        assign(root)
        fix(root)
    }

    /// Pass 1: create a Var for every name bound in a function or comprehension.
    func declare(_ s: Scope) {
        switch s.kind {
        case .function:
            for p in s.code!.params + s.code!.kwOnly + [s.code!.varargs, s.code!.kwargs].compactMap({ $0 }) {
                if s.vars[p] == nil { s.vars[p] = Var(p, s) }
            }
            for n in s.assigned where !s.globals.contains(n) && !s.nonlocals.contains(n) && s.vars[n] == nil {
                s.vars[n] = Var(n, s)
            }
        case .comprehension:
            let owner = s.frameOwner
            for n in s.assigned where s.vars[n] == nil { s.vars[n] = Var(n, owner) }
        case .module, .classBody: break
        }
        for c in s.children { declare(c) }
    }

    /// Finds the variable a name refers to from scope `s`, or nil for a global.
    func lookup(_ n: String, from s: Scope, skipSelf: Bool) -> Var? {
        var cur: Scope? = skipSelf ? s.parent : s
        var first = !skipSelf
        while let c = cur {
            if c.kind == .module { return nil }
            if c.kind == .classBody && !first { cur = c.parent; continue }
            if c.globals.contains(n) { return nil }
            if let v = c.vars[n] { return v }
            if c.nonlocals.contains(n), c !== s { return lookup(n, from: c, skipSelf: true) }
            first = false
            cur = c.parent
        }
        return nil
    }

    /// Pass 2: link references to variables, marking captured ones as cells.
    func link(_ s: Scope) throws(SyntaxError) {
        for n in s.nonlocals {
            if lookup(n, from: s, skipSelf: true) == nil {
                throw SyntaxError(file: s.code?.file ?? "", line: s.code?.firstLine ?? 0, col: 1,
                                  message: "no binding for nonlocal '\(n)' found")
            }
        }
        for r in s.refs {
            var v: Var?
            if s.kind == .classBody && s.assignedSet.contains(r.name) {
                continue // class namespace, fixed in pass 4
            }
            if s.nonlocals.contains(r.name) { v = lookup(r.name, from: s, skipSelf: true) }
            else { v = lookup(r.name, from: s, skipSelf: false) }
            guard let v else { continue }
            let fo = s.frameOwner
            if v.owner !== fo {
                v.isCell = true
                // every frame owner between s and the variable's owner carries it as a free var
                var c: Scope? = fo
                while let cc = c, cc !== v.owner {
                    if cc.kind != .comprehension { _ = cc.freeIndex(v) }
                    c = cc.parent
                }
            }
        }
        for c in s.children { try link(c) }
    }

    /// Pass 3: number slots and cells in every frame owner.
    func assign(_ s: Scope) {
        if s.kind != .comprehension {
            var slot = 0
            var cells: [Var] = []
            var all: [Var] = []
            // params first, in order, so argument binding can fill slots 0..<n
            if s.kind == .function, let code = s.code {
                let ps = code.params + code.kwOnly + [code.varargs, code.kwargs].compactMap { $0 }
                for p in ps { all.append(s.vars[p]!) }
            }
            collect(s, into: &all)
            var seen = Set<ObjectIdentifier>()
            for v in all where !seen.contains(ObjectIdentifier(v)) {
                seen.insert(ObjectIdentifier(v))
                v.index = slot; slot += 1
                if v.isCell { cells.append(v) }
            }
            for (i, v) in cells.enumerated() {
                // a cell keeps its slot index for params (copied at call) and gets a cell index
                if let code = s.code, s.kind == .function,
                   (code.params + code.kwOnly + [code.varargs, code.kwargs].compactMap { $0 }).contains(v.name), v.owner === s,
                   s.vars[v.name] === v {
                    code.cellParams.append((v.index, i))
                }
                v.index = i
            }
            s.ownCells = cells
            if s.kind == .function, let code = s.code {
                // params first, then the names the body assigns (not those of its comprehensions: in 3.11 they are
                // in a scope of their own), then the free variables of a closure, as CPython's `locals()` lists them
                let params = code.params + code.kwOnly + [code.varargs, code.kwargs].compactMap { $0 }
                var names: [(name: String, index: Int, isCell: Bool)] = []
                var listed = Set<String>()
                for n in params + s.assigned.filter({ !params.contains($0) }) where !listed.contains(n) {
                    guard let v = s.vars[n], v.owner === s else { continue }
                    listed.insert(n)
                    names.append((n, v.index, v.isCell))
                }
                for (i, v) in s.freeVars.enumerated() where !listed.contains(v.name) {
                    names.append((v.name, cells.count + i, true))
                }
                code.localNames = names
            }
            if s.kind == .function, let code = s.code, code.resumable {
                // hidden slots after the named locals: where a suspended resumable body keeps its place
                code.bodySlot = slot
                slot += 1
                for r in code.resumables { r.slot = slot; slot += r.slotCount }
            }
            s.slotCount = slot
            s.code?.nSlots = slot
            s.code?.nOwnCells = cells.count
        }
        for c in s.children { assign(c) }
    }

    func collect(_ s: Scope, into all: inout [Var]) {
        for n in s.assigned { if let v = s.vars[n], v.owner === s.frameOwner { all.append(v) } }
        for c in s.children where c.kind == .comprehension { collect(c, into: &all) }
    }

    func cellIndex(_ v: Var, in fo: Scope) -> Int {
        if v.owner === fo { return v.index }
        return fo.ownCells.count + fo.freeVars.firstIndex(where: { $0 === v })!
    }

    /// Pass 4: write the final kind into each reference, and the closure sources of each function.
    func fix(_ s: Scope) {
        let fo = s.frameOwner
        for r in s.refs {
            if s.kind == .classBody && s.assignedSet.contains(r.name) {
                r.kind = .classBody(r.name, module.box(r.name)); continue
            }
            if namesInLocals && s.kind == .module && !s.globals.contains(r.name) {
                r.kind = .classBody(r.name, module.box(r.name)); continue
            }
            let v = s.nonlocals.contains(r.name) ? lookup(r.name, from: s, skipSelf: true) : lookup(r.name, from: s, skipSelf: false)
            guard let v else { r.kind = .global(module.box(r.name)); continue }
            if v.isCell { r.kind = .cell(cellIndex(v, in: fo)) } else { r.kind = .local(v.index) }
        }
        if s.kind == .function || s.kind == .classBody, let p = s.parent {
            let dfo = p.frameOwner
            s.closureSources = s.freeVars.map { cellIndex($0, in: dfo) }
        }
        for c in s.children { fix(c) }
    }
}
