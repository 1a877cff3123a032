// The resolved node tree: the parser builds it, the resolver fixes names to slots, and each node evaluates itself.
// Mirrors CPython's `Python/ceval.c` one node at a time.

/// One activation: slots for locals, cells for captured variables.
public final class Frame {
    /// Locals live in a manually managed buffer: a `let` pointer avoids the array's uniqueness and exclusivity
    /// checks on every local read and write (the hottest operation of the evaluator).
    let slots: UnsafeMutablePointer<Value>
    let nSlots: Int
    @exclusivity(unchecked) var cells: [Cell]
    /// Not owned: the function being run owns its module, and the interpreter owns everything. Skipping the
    /// reference counting here matters because a frame is created for every call. (Kept as `Unmanaged`: an
    /// `unowned(unsafe)` reference is retained atomically whenever it is read.)
    @exclusivity(unchecked) var moduleRef: Unmanaged<PyModule>
    @inline(__always) var module: PyModule {
        get { moduleRef.object }
        set { moduleRef = .passUnretained(newValue) }
    }
    /// (An `unowned(unsafe)` stored property here was loaded with an atomic retain, which `-assume-single-threaded`
    /// leaves atomic: 3% of richards' time in `a and b` alone. Through `Unmanaged.object` the retain is an ordinary,
    /// non-atomic one.)
    @inline(__always) var interp: Interpreter { interpRef.object }
    /// The same interpreter, for hot paths that pass it on without retaining it at all (`_withUnsafeGuaranteedRef`).
    let interpRef: Unmanaged<Interpreter>
    /// `unboundMarker`, read from the frame: the global is a statically initialised object, and every read of it
    /// calls `swift_initStaticObject` (2.5% of richards' time in reading locals).
    let unbound: Unmanaged<PyObject>
    @exclusivity(unchecked) var fn: PyFunction?
    /// The next spare frame of the same code (`FuncCode.spareFrames`), while this one is spare.
    @exclusivity(unchecked) var nextFree: Unmanaged<Frame>?
    @exclusivity(unchecked) var classNS: PyDict?
    @exclusivity(unchecked) var line = 0
    @exclusivity(unchecked) var ret: Value = .none
    /// The generator running this frame's body; it owns the body, which holds the frame (so not retained here).
    @exclusivity(unchecked) var gen: Unmanaged<GeneratorState>?
    /// Whether a loop must stop at this turn (KeyboardInterrupt, the loop budget): two loads, no call, no
    /// reference counting; `Interpreter.interruptSlowPath` then raises.
    @inline(__always)
    var interruptPending: Bool { mpshInterruptPending != 0 || interpRef._withUnsafeGuaranteedRef { $0.interrupted } }
    // The interpreter's operations the evaluator calls on every step, on a guaranteed reference: calling them on
    // `interp` retains and releases the interpreter around each call, and that retain stays atomic.
    @inline(__always) func truthy(_ v: Value) throws -> Bool {
        if case .bool(let b) = v { return b }
        return try interpRef._withUnsafeGuaranteedRef { try $0.truthy(v) }
    }
    @inline(__always) func inplace(_ op: BinOpKind, _ a: Value, _ b: Value) throws -> Value {
        try interpRef._withUnsafeGuaranteedRef { try $0.inplace(op, a, b) }
    }
    @inline(__always) func checkHashable(_ v: Value) throws {
        try interpRef._withUnsafeGuaranteedRef { try $0.checkHashable(v) }
    }
    @inline(__always) func getItem(_ v: Value, _ k: Value) throws -> Value {
        try interpRef._withUnsafeGuaranteedRef { try $0.getItem(v, k) }
    }
    @inline(__always) func setItem(_ v: Value, _ k: Value, _ x: Value) throws {
        try interpRef._withUnsafeGuaranteedRef { try $0.setItem(v, k, x) }
    }
    @inline(__always) func getAttr(_ v: Value, _ name: String) throws -> Value {
        try interpRef._withUnsafeGuaranteedRef { try $0.getAttr(v, name) }
    }
    @inline(__always) func setAttr(_ v: Value, _ name: String, _ x: Value) throws {
        try interpRef._withUnsafeGuaranteedRef { try $0.setAttr(v, name, x) }
    }
    @inline(__always) func compareBool(_ op: CmpKind, _ a: Value, _ b: Value) throws -> Bool {
        try interpRef._withUnsafeGuaranteedRef { try $0.compareBool(op, a, b) }
    }
    @inline(__always) func unary(_ op: UnaryKind, _ v: Value) throws -> Value {
        try interpRef._withUnsafeGuaranteedRef { try $0.unary(op, v) }
    }
    @inline(__always) func callMethod(_ recv: Value, _ name: String, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        try interpRef._withUnsafeGuaranteedRef { try $0.callMethod(recv, name, args, kw) }
    }
    @inline(__always) func getIter(_ v: Value) throws -> PyIterator {
        try interpRef._withUnsafeGuaranteedRef { try $0.getIter(v) }
    }

    init(slots: Int, cells: [Cell], module: PyModule, interp: Interpreter, fn: PyFunction?) {
        self.slots = UnsafeMutablePointer<Value>.allocate(capacity: max(slots, 1))
        self.slots.initialize(repeating: .obj(unboundMarker), count: slots)
        nSlots = slots
        self.cells = cells; moduleRef = .passUnretained(module); self.fn = fn
        unbound = .passUnretained(unboundMarker)
        interpRef = Unmanaged.passUnretained(interp)
    }
    deinit {
        slots.deinitialize(count: nSlots)
        slots.deallocate()
    }
}

extension UnsafeMutablePointer where Pointee == Value {
    /// Sets the value to None; a value with nothing to release (None, a bool, an int, a float) is overwritten
    /// without the outlined destroy call an assignment makes.
    @inline(__always)
    func clearToNone() { store(.none) }

    /// Assigns `v`, overwriting in place (no outlined destroy call) when the old value holds no reference.
    @inline(__always)
    func store(_ v: consuming Value) {
        switch pointee {
        case .none, .bool, .int, .float: initialize(to: v)
        default: pointee = v
        }
    }

    /// Assigns a copy of the value at `source`, building an int, float, bool or None afresh (no outlined copy
    /// call, which switches over every case to find what to retain).
    @inline(__always)
    func store(copying source: UnsafePointer<Value>) {
        switch source.pointee {
        case .int(let x): store(.int(x))
        case .float(let x): store(.float(x))
        case .none: store(.none)
        case .bool(let x): store(.bool(x))
        default: store(source.pointee)
        }
    }
}

enum Flow { case normal, brk, cont, ret }

class Expr {
    let line: Int
    init(line: Int) { self.line = line }
    func eval(_ f: Frame) throws -> Value { fatalError("eval") }
    func assign(_ f: Frame, _ v: Value) throws { throw f.interp.err("SyntaxError", "cannot assign to expression") }
    func delete(_ f: Frame) throws { throw f.interp.err("SyntaxError", "cannot delete expression") }
    var isStarred: Bool { false }
}

class Stmt {
    let line: Int
    init(line: Int) { self.line = line }
    func exec(_ f: Frame) throws -> Flow { fatalError("exec") }
}

/// A node list as a buffer of unretained references, walked without touching reference counts (loading an
/// array from a node retains its storage). The node's array keeps the nodes alive; its deinit frees this.
struct RefBuffer<T: AnyObject> {
    let base: UnsafeMutablePointer<Unmanaged<T>>
    let count: Int
    init(_ nodes: [T]) {
        base = .allocate(capacity: max(nodes.count, 1))
        for (i, s) in nodes.enumerated() { (base + i).initialize(to: .passUnretained(s)) }
        count = nodes.count
    }
    func free() { base.deallocate() }
}

/// A statement list as a `RefBuffer`, plus for each `return <expr>` its expression: `runBlock` evaluates that
/// in place, without dispatching to `ReturnStmt.exec` (every call of a function ends in one).
struct StmtBuffer {
    struct Entry {
        let stmt: Unmanaged<Stmt>
        let returnValue: Unmanaged<Expr>?
    }
    let base: UnsafeMutablePointer<Entry>
    let count: Int
    init(_ stmts: [Stmt]) {
        base = .allocate(capacity: max(stmts.count, 1))
        for (i, s) in stmts.enumerated() {
            (base + i).initialize(to: Entry(stmt: .passUnretained(s), returnValue: (s as? ReturnStmt)?.valueRef))
        }
        count = stmts.count
    }
    func free() { base.deallocate() }
}

@inline(__always)
func runBlock(_ b: StmtBuffer, _ f: Frame) throws -> Flow {
    for i in 0..<b.count {
        let e = b.base[i]
        let r = try e.stmt._withUnsafeGuaranteedRef { s -> Flow in
            f.line = s.line
            // what `ReturnStmt.exec` does
            if let v = e.returnValue { f.ret = try evalChild(v, f); return .ret }
            return try s.exec(f)
        }
        if r != .normal { return r }
    }
    return .normal
}

/// Evaluates a child node the parent owns, without retaining it for the call.
@inline(__always)
func evalChild(_ e: Unmanaged<Expr>, _ f: Frame) throws -> Value {
    try e._withUnsafeGuaranteedRef { try $0.eval(f) }
}

@inline(__always)
func runBlock(_ body: [Stmt], _ f: Frame) throws -> Flow {
    // statements are owned by the tree for the whole run: walk them without retaining each one
    try body.withUnsafeBufferPointer { buf in
        for i in 0..<buf.count {
            let r = try Unmanaged.passUnretained(buf[i])._withUnsafeGuaranteedRef { s -> Flow in
                f.line = s.line
                return try s.exec(f)
            }
            if r != .normal { return r }
        }
        return .normal
    }
}

// MARK: - Expressions

final class Const: Expr {
    let value: Value
    init(_ v: Value, line: Int) {
        // a one-character literal below U+0100 is the shared str, as `s[i]` gives: `s[i] == "x"` is then identity
        if case .str(let p) = v, p.s.utf8.count <= 2, p.s.unicodeScalars.count == 1,
           let c = p.s.unicodeScalars.first, c.value < 256, p.wide == nil {
            value = PyStr.latin1[Int(c.value)]
        } else {
            value = v
        }
        super.init(line: line)
    }
    override func eval(_ f: Frame) throws -> Value { value }
}

extension Value {
    @inline(__always)
    var isStr: Bool {
        if case .str = self { return true }
        return false
    }

    /// Keys that are hashable without asking (the dict fast paths).
    @inline(__always)
    var isIntOrStr: Bool {
        switch self {
        case .int, .str: return true
        default: return false
        }
    }
}

/// A sentinel distinguishing "unbound local" from None: locals start as .none with an unbound marker value.
nonisolated(unsafe) let unboundMarker = PyObject()

final class Name: Expr {
    let ref: NameRef
    init(_ r: NameRef) { ref = r; super.init(line: r.line) }
    /// The local slot of this name, copied from `ref` at the first evaluation (the resolver runs after the node is
    /// built): reading it here saves a dependent load through the reference on every access. -1: not a local;
    /// `unlinkedSlot`: not copied yet.
    @exclusivity(unchecked) var slot = unlinkedSlot
    /// The dict a local slot holds, unretained: valid while the slot keeps it, that is while only expressions
    /// that cannot rebind a local (`cannotRebindLocals`) are evaluated.
    @inline(__always)
    func localDict(_ f: Frame) -> Unmanaged<PyDict>? {
        if ref.tag == 1, case .dict(let d) = f.slots[ref.index] { return .passUnretained(d) }
        return nil
    }
    func localStr(_ f: Frame) -> Unmanaged<PyStr>? {
        guard ref.tag == 1 else { return nil }
        // moved out and back, so that looking at it costs no reference counting (as `strBuilder`)
        let p = f.slots + ref.index
        let v = p.move()
        defer { p.initialize(to: v) }
        if case .str(let s) = v { return .passUnretained(s) }
        return nil
    }
    /// The local slot of this name, or nil when it is not a local.
    @inline(__always)
    func localSlot() -> Int? {
        if slot == unlinkedSlot { slot = ref.tag == 1 ? ref.index : -1 }
        return slot >= 0 ? slot : nil
    }
    override func eval(_ f: Frame) throws -> Value {
        // hot paths read the resolver's result from plain fields (no enum payload copy, no reference counting)
        if slot >= 0 {
            let v = f.slots[slot]
            if case .obj(let o) = v, Unmanaged.passUnretained(o).toOpaque() == f.unbound.toOpaque() { return try evalSlow(f) }
            return v
        }
        if slot == unlinkedSlot { slot = ref.tag == 1 ? ref.index : -1 }
        return try evalSlow(f)
    }
    private func evalSlow(_ f: Frame) throws -> Value {
        switch ref.tag {
        case 1:
            let v = f.slots[ref.index]
            if case .obj(let o) = v, o === unboundMarker { break }
            return v
        case 2:
            if let v = ref.boxRef!._withUnsafeGuaranteedRef({ $0.value }) { return v }
            if let v = ref.builtin { return v }
        default: break
        }
        switch ref.kind {
        case .local(let i):
            let v = f.slots[i]
            if case .obj(let o) = v, o === unboundMarker {
                throw f.interp.err("UnboundLocalError", "cannot access local variable '\(ref.name)' where it is not associated with a value")
            }
            return v
        case .global(let b):
            if let v = b.value { return v }
            // builtins never change after start-up, so the first lookup is cached in the reference
            if let v = f.interp.builtins[ref.name] { ref.builtin = v; return v }
            throw f.interp.err("NameError", "name '\(ref.name)' is not defined")
        case .cell(let i):
            if let v = f.cells[i].value { return v }
            throw f.interp.err("NameError", "cannot access free variable '\(ref.name)' where it is not associated with a value in enclosing scope")
        case .classBody(let n, let b):
            if let d = f.classNS, let v = d.get(.str(n)) { return v }
            if let v = b.value { return v }
            if let v = f.interp.builtins[ref.name] { return v }
            throw f.interp.err("NameError", "name '\(ref.name)' is not defined")
        case .unresolved:
            throw f.interp.err("SystemError", "unresolved name \(ref.name)")
        }
    }
    override func assign(_ f: Frame, _ v: Value) throws {
        // a local (the common target): the slot from the resolver's plain fields, no enum payload copied
        if ref.tag == 1 { f.slots[ref.index] = v; return }
        switch ref.kind {
        case .local(let i): f.slots[i] = v
        case .global(let b): b.value = v
        case .cell(let i): f.cells[i].value = v
        case .classBody(let n, _): f.classNS!.set(.str(n), v)
        case .unresolved: throw f.interp.err("SystemError", "unresolved name \(ref.name)")
        }
    }
    override func delete(_ f: Frame) throws {
        switch ref.kind {
        case .local(let i): f.slots[i] = .obj(unboundMarker)
        case .global(let b):
            if b.value == nil { throw f.interp.err("NameError", "name '\(ref.name)' is not defined") }
            b.value = nil
        case .cell(let i): f.cells[i].value = nil
        case .classBody(let n, _): f.classNS!.remove(.str(n))
        case .unresolved: break
        }
    }
}

final class Attribute: Expr {
    let obj: Expr
    let name: String
    let objRef: Unmanaged<Expr>
    /// What `name` meant on the instance layouts this site has seen, for reads (and method calls through
    /// `CallExpr`) and for writes: CPython 3.11's LOAD_ATTR_INSTANCE_VALUE, LOAD_ATTR_METHOD and
    /// STORE_ATTR_INSTANCE_VALUE, keyed on (shape, class version).
    @exclusivity(unchecked) var loads = AttrCache()
    @exclusivity(unchecked) var stores = AttrCache()
    /// The object expression when it is a name (`self.x`): a local's value is looked at in its slot, not copied.
    let objName: Name?
    init(_ o: Expr, _ n: String, line: Int) {
        obj = o; name = n; objRef = .passUnretained(o); objName = o as? Name; super.init(line: line)
    }
    deinit { loads.free(); stores.free() }

    override func eval(_ f: Frame) throws -> Value {
        if let n = objName, let slot = n.localSlot(), let r = borrowedGet(f.slots + slot) { return r }
        return try get(try evalChild(objRef, f), f)
    }

    /// `local.name` through the cache, with the instance looked at where the frame keeps it (moved out and back:
    /// no retain and release of the receiver, no code run in between); nil when the cache does not answer.
    @inline(__always)
    private func borrowedGet(_ p: UnsafeMutablePointer<Value>) -> Value? {
        let v = p.move()
        defer { p.initialize(to: v) }
        guard case .obj(let o) = v, let inst = o as? PyInstance, let e = loads.find(inst) else { return nil }
        switch e.pointee.kind {
        case .instanceSlot: return inst.slots[e.pointee.index]
        case .classValue: return e.pointee.value
        default: return nil
        }
    }

    /// `local.name = v` through the cache, as `borrowedGet`; false when the cache does not answer.
    @inline(__always)
    private func borrowedSet(_ p: UnsafeMutablePointer<Value>, _ v: Value) -> Bool {
        let t = p.move()
        defer { p.initialize(to: t) }
        guard case .obj(let o) = t, let inst = o as? PyInstance, let e = stores.find(inst) else { return false }
        if e.pointee.kind == .storeSlot {
            inst.slots[e.pointee.index] = v
        } else {
            inst.shape = e.pointee.next!
            inst.slots.append(v)
        }
        return true
    }

    /// `v.name`, through the cache.
    @inline(__always)
    func get(_ v: Value, _ f: Frame) throws -> Value {
        if case .obj(let o) = v, let inst = o as? PyInstance, let e = loads.find(inst) {
            switch e.pointee.kind {
            case .instanceSlot: return inst.slots[e.pointee.index]
            case .classValue: return e.pointee.value
            case .method: return .obj(PyBoundMethod(v, e.pointee.value))
            default: break
            }
        }
        return try evalSlow(v, f)
    }

    @inline(never)
    private func evalSlow(_ v: Value, _ f: Frame) throws -> Value {
        guard case .obj(let o) = v else { return try f.getAttr(v, name) }
        if let inst = o as? PyInstance {
            fillLoad(inst)
        } else if let c = o as? PyClass {
            // `Strength.REQUIRED`: a plain class attribute, valid while the class keeps its version tag
            if let owner = classSeen, owner === c, c.version == classVersion { return classValue }
            let r = try f.getAttr(v, name)
            switch c.lookup(name) {
            case .obj(let x)? where x is PyStaticMethod || x is PyClassMethod || x is PyProperty: break
            case .some: classSeen = c; classVersion = c.version; classValue = r
            case nil: break
            }
            return r
        }
        return try f.getAttr(v, name)
    }
    /// The class this site last read a plain attribute of (owned, so no other class takes its identity meanwhile),
    /// its version tag then, and the value.
    @exclusivity(unchecked) var classSeen: PyClass?
    @exclusivity(unchecked) var classVersion = -1
    @exclusivity(unchecked) var classValue: Value = .none

    /// Records what reading `name` on `inst` means, when it is one of the cached kinds.
    func fillLoad(_ inst: PyInstance) {
        let shape = inst.shape
        guard shape.shared else { return }
        let cv = inst.cls.lookup(name)
        if case .obj(let o)? = cv, o is PyProperty || o is PyStaticMethod || o is PyClassMethod || o is PyBuiltin {
            return  // descriptors (and builtins, bound on access) take the general path
        }
        if let i = shape.slot(name) {
            loads.add(AttrEntry(shape: shape, kind: .instanceSlot, index: i, value: .none, next: nil))
        } else if case .obj(let fn as PyFunction)? = cv {
            loads.add(AttrEntry(shape: shape, kind: .method, index: 0, value: .obj(fn), next: nil))
        } else if let cv {
            loads.add(AttrEntry(shape: shape, kind: .classValue, index: 0, value: cv, next: nil))
        }
    }

    override func assign(_ f: Frame, _ v: Value) throws {
        if let n = objName, let slot = n.localSlot(), borrowedSet(f.slots + slot, v) { return }
        try set(try evalChild(objRef, f), v, f)
    }

    /// `target.name = v`, through the cache.
    @inline(__always)
    func set(_ target: Value, _ v: Value, _ f: Frame) throws {
        if case .obj(let o) = target, let inst = o as? PyInstance {
            if let e = stores.find(inst) {
                if e.pointee.kind == .storeSlot {
                    inst.slots[e.pointee.index] = v
                } else {
                    inst.shape = e.pointee.next!
                    inst.slots.append(v)
                }
                return
            }
            fillStore(inst)
        }
        try f.setAttr(target, name, v)
    }

    /// Records what writing `name` on `inst` does, when it is a plain write of the instance's own attribute.
    func fillStore(_ inst: PyInstance) {
        let shape = inst.shape
        guard shape.shared else { return }
        if case .obj(let o)? = inst.cls.lookup(name), o is PyProperty { return }
        if case .obj(let o)? = inst.cls.lookup("__setattr__"), o is PyFunction { return }
        if let i = shape.slot(name) {
            stores.add(AttrEntry(shape: shape, kind: .storeSlot, index: i, value: .none, next: nil))
        } else {
            let next = shape.adding(name)
            guard next.shared else { return }
            stores.add(AttrEntry(shape: shape, kind: .storeAdd, index: shape.names.count, value: .none, next: next))
        }
    }

    override func delete(_ f: Frame) throws { try f.interp.delAttr(try obj.eval(f), name) }
}

/// What an attribute site found `name` to be on one instance layout.
enum AttrKind: UInt8 {
    /// Reads: the instance's own attribute at slot `index`; a plain class attribute (`value`); a function of the
    /// class (`value`), bound to the instance on a read and called with it as the first argument by a call site.
    case instanceSlot, classValue, method
    /// Writes: to the existing slot `index`; a new attribute, the instance moving to shape `next`.
    case storeSlot, storeAdd
}

struct AttrEntry {
    let shapeID: ObjectIdentifier
    /// Owned, so that no other shape is made at the address `shapeID` names while the entry exists.
    let shape: Shape
    let version: Int
    let kind: AttrKind
    let index: Int
    let value: Value
    let next: Shape?
    init(shape: Shape, kind: AttrKind, index: Int, value: Value, next: Shape?) {
        shapeID = ObjectIdentifier(shape); self.shape = shape; version = shape.cls.version
        self.kind = kind; self.index = index; self.value = value; self.next = next
    }
}

/// A site's polymorphic inline cache: up to `capacity` (shape, class version) entries, the oldest replaced when
/// full. An entry is valid while the instance has its shape and the class its version tag (a change to the class
/// or a base gives a new tag, so monkey-patched methods, added properties and `__setattr__` are seen).
struct AttrCache {
    static let capacity = 4
    private var base: UnsafeMutablePointer<AttrEntry>? = nil
    private var count = 0
    private var nextVictim = 0

    @inline(__always)
    func find(_ inst: PyInstance) -> UnsafeMutablePointer<AttrEntry>? {
        guard let base else { return nil }
        let id = ObjectIdentifier(inst.shape)
        for i in 0..<count where base[i].shapeID == id {
            return base[i].version == inst.cls.version ? base + i : nil
        }
        return nil
    }

    mutating func add(_ e: AttrEntry) {
        let b = base ?? {
            let p = UnsafeMutablePointer<AttrEntry>.allocate(capacity: AttrCache.capacity)
            base = p
            return p
        }()
        // an entry for the same shape under an old version is replaced in place
        if let i = (0..<count).first(where: { b[$0].shapeID == e.shapeID }) { b[i] = e; return }
        if count < AttrCache.capacity { (b + count).initialize(to: e); count += 1; return }
        b[nextVictim] = e
        nextVictim = (nextVictim + 1) % AttrCache.capacity
    }

    func free() {
        guard let base else { return }
        base.deinitialize(count: count)
        base.deallocate()
    }
}

final class Subscript: Expr {
    let obj: Expr
    let index: Expr
    let objRef: Unmanaged<Expr>, indexRef: Unmanaged<Expr>
    /// The object when it is a name and the index cannot rebind it: a local dict is then used borrowed.
    let objLocal: Name?
    /// `objLocal`, read without retaining it (the node owns it).
    let objLocalRef: Unmanaged<Name>?
    init(_ o: Expr, _ i: Expr, line: Int) {
        obj = o; index = i; objRef = .passUnretained(o); indexRef = .passUnretained(i)
        objLocal = cannotRebindLocals(i) ? o as? Name : nil
        objLocalRef = objLocal.map { .passUnretained($0) }
        super.init(line: line)
    }
    override func eval(_ f: Frame) throws -> Value {
        if let n = objLocalRef, let d = n._withUnsafeGuaranteedRef({ $0.localDict(f) }) {
            let i = try evalChild(indexRef, f)
            if i.isIntOrStr, let v = d._withUnsafeGuaranteedRef({ $0.get(i) }) { return v }
            return try f.getItem(.dict(d.object), i)
        }
        if let n = objLocalRef, let s = n._withUnsafeGuaranteedRef({ $0.localStr(f) }) {
            // a local str read borrowed: s[i] is a shared one-character value for ASCII/Latin-1 text
            let i = try evalChild(indexRef, f)
            if case .int(let k) = i, let v = s._withUnsafeGuaranteedRef({ $0.itemIfInRange(k) }) { return v }
            return try f.getItem(.str(s.object), i)
        }
        let o = try evalChild(objRef, f)
        let i = try evalChild(indexRef, f)
        if case .list(let l) = o, case .int(let k) = i {
            let n = l.items.count
            let j = k < 0 ? k + n : k
            if j >= 0 && j < n { return l.items[j] }
        } else if case .str(let s) = o, case .int(let k) = i, let v = s.itemIfInRange(k) {
            return v
        } else if case .dict(let d) = o, i.isIntOrStr, let v = d.get(i) {
            return v
        }
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.getItem(o, i) }
    }
    override func assign(_ f: Frame, _ v: Value) throws {
        if let n = objLocal, let d = n.localDict(f) {
            let i = try evalChild(indexRef, f)
            if i.isIntOrStr { d._withUnsafeGuaranteedRef { $0.set(i, v) }; return }
            try f.setItem(.dict(d.object), i, v)
            return
        }
        let o = try evalChild(objRef, f)
        let i = try evalChild(indexRef, f)
        if case .list(let l) = o, case .int(let k) = i {
            let n = l.items.count
            let j = k < 0 ? k + n : k
            if j >= 0 && j < n { l.items[j] = v; return }
        } else if case .dict(let d) = o, i.isIntOrStr {
            // ints and strs are always hashable: what `setItem` does for a dict, minus the check
            d.set(i, v)
            return
        }
        try f.setItem(o, i, v)
    }
    override func delete(_ f: Frame) throws { try f.interp.delItem(try obj.eval(f), try index.eval(f)) }
}

final class SliceExpr: Expr {
    let a: Expr?, b: Expr?, c: Expr?
    init(_ a: Expr?, _ b: Expr?, _ c: Expr?, line: Int) { self.a = a; self.b = b; self.c = c; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value {
        .obj(PySlice(try a?.eval(f) ?? .none, try b?.eval(f) ?? .none, try c?.eval(f) ?? .none))
    }
}

final class Starred: Expr {
    let value: Expr
    init(_ v: Expr, line: Int) { value = v; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value { throw f.interp.err("SyntaxError", "can't use starred expression here") }
    override var isStarred: Bool { true }
}

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
        default: break
        }
        return nil
    }
    override func eval(_ f: Frame) throws -> Value {
        if let x = lOp.int(f), let y = rOp.int(f), let v = BinOp.intFast(op, x, y) {
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
/// `literal`) or anything else (`slot == -2`: evaluate the node).
struct IntOperand {
    var slot = unlinkedSlot
    var literal = 0

    static func of(_ e: Expr) -> IntOperand {
        if let i = intLiteral(e) { return IntOperand(slot: -1, literal: i) }
        if let n = e as? Name, n.ref.tag == 1 { return IntOperand(slot: n.ref.index) }
        return IntOperand(slot: -2)
    }

    /// The machine int this operand is in frame `f`, or nil (not an int, or not a local or literal).
    @inline(__always)
    func int(_ f: Frame) -> Int? {
        if slot >= 0 {
            if case .int(let x) = f.slots[slot] { return x }
            return nil
        }
        return slot == -1 ? literal : nil
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
            if case .int(let x) = a, case .int(let y) = b, let r = Compare.intFast(op0, x, y) { return .bool(r) }
            if case .float(let x) = a, case .float(let y) = b, let r = Compare.floatFast(op0, x, y) { return .bool(r) }
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
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.compare(op0, a, b) }
        }
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
                if ops.count == 1 { return try f.interp.compare(ops[i], a, b) }
                r = try f.compareBool(ops[i], a, b)
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
    override func eval(_ f: Frame) throws -> Value { .tuple(PyTuple(try evalSeq(elts, f))) }
    override func delete(_ f: Frame) throws { for e in elts { try e.delete(f) } }
}

final class ListExpr: SequenceDisplay {
    override func eval(_ f: Frame) throws -> Value { .list(PyList(try evalSeq(elts, f))) }
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
    override func eval(_ f: Frame) throws -> Value {
        let s = PySet()
        for v in try evalSeq(elts, f) { try f.checkHashable(v); s.add(v) }
        return .obj(copiesAConstant ? s.copied() : s)
    }
}

final class DictExpr: Expr {
    let keys: [Expr?]   // nil key means **mapping
    let values: [Expr]
    init(_ k: [Expr?], _ v: [Expr], line: Int) { keys = k; values = v; super.init(line: line) }
    override func eval(_ f: Frame) throws -> Value {
        let d = PyDict()
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
    @exclusivity(unchecked) var iters: [PyIterator?]
    @exclusivity(unchecked) var started = false
    @exclusivity(unchecked) var done = false
    init(count: Int, first: PyIterator) {
        iters = Array(repeating: nil, count: count)
        iters[0] = first
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

final class CallExpr: Expr {
    let fn: Expr
    let args: [Expr]
    let kwNames: [String?]    // nil means **mapping
    let kwValues: [Expr]
    let simple: Bool          // positional only, no starred
    let fnName: Name?
    /// The first two positional arguments, as fields: no array access (and retain) on the fast paths.
    let arg0: Expr?, arg1: Expr?
    /// The same, and the receiver of `obj.method(...)`, for evaluation without retaining them (`evalChild`).
    let arg0Ref: Unmanaged<Expr>?, arg1Ref: Unmanaged<Expr>?, recvRef: Unmanaged<Expr>?
    /// For `d.get(...)` with arguments that cannot rebind locals: the receiver name (a local dict is used borrowed).
    let recvLocal: Name?
    /// All positional argument nodes, unretained (see `RefBuffer`), for `callDirect`.
    let argBuf: RefBuffer<Expr>
    deinit { argBuf.free() }
    /// 1: `.get(k[, d])` on a dict, 2: `.append(x)` on a list.
    let hotMethod: UInt8
    init(_ fn: Expr, _ args: [Expr], _ kn: [String?], _ kv: [Expr], line: Int) {
        self.fn = fn; self.args = args; kwNames = kn; kwValues = kv
        simple = kn.isEmpty && !args.contains { $0.isStarred }
        attr = fn as? Attribute
        attrRef = attr.map { .passUnretained($0) }
        superCall = attr?.obj as? SuperExpr
        fnName = fn as? Name
        arg0 = args.count > 0 ? args[0] : nil
        arg1 = args.count > 1 ? args[1] : nil
        argBuf = RefBuffer(args)
        arg0Ref = arg0.map { .passUnretained($0) }
        arg1Ref = arg1.map { .passUnretained($0) }
        recvRef = (fn as? Attribute).map { .passUnretained($0.obj) }
        // methods of builtin types with an inline path (used only when the receiver is that type)
        if let a = attr, simple, a.name == "get", args.count == 1 || args.count == 2 { hotMethod = 1 }
        else if let a = attr, simple, a.name == "append", args.count == 1 { hotMethod = 2 }
        else { hotMethod = 0 }
        recvLocal = hotMethod == 1 && args.allSatisfy(cannotRebindLocals) ? (fn as? Attribute)?.obj as? Name : nil
        super.init(line: line)
    }
    func evalArgs(_ f: Frame) throws -> ([Value], [(String, Value)]) {
        var pos: [Value]
        if simple {
            switch args.count {
            case 0: return ([], [])
            case 1: return ([try evalChild(arg0Ref!, f)], [])
            case 2:
                let x = try evalChild(arg0Ref!, f)
                return ([x, try evalChild(arg1Ref!, f)], [])
            default: break
            }
            pos = []
            pos.reserveCapacity(args.count)
            for i in 0..<args.count { pos.append(try args[i].eval(f)) }
            return (pos, [])
        }
        pos = try evalSeq(args, f)
        var kw: [(String, Value)] = []
        for i in 0..<kwNames.count {
            if let n = kwNames[i] { kw.append((n, try kwValues[i].eval(f))) }
            else {
                let m = try kwValues[i].eval(f)
                guard case .dict(let d) = m else { throw f.interp.err("TypeError", "argument after ** must be a mapping, not \(f.interp.typeName(m))") }
                for (k, v) in d.items {
                    guard case .str(let ks) = k else { throw f.interp.err("TypeError", "keywords must be strings") }
                    kw.append((ks.s, v))
                }
            }
        }
        return (pos, kw)
    }
    /// Inline cache for `module.function(...)`: the module last seen and the global box of the attribute.
    /// Modules and their global boxes live as long as the interpreter (`Interpreter.modules` holds them), so the
    /// cache does not own them: no reference counting on the hot path.
    /// Compared by identity only (an `unowned(unsafe)` reference was retained atomically to be compared).
    @exclusivity(unchecked) var cachedModule: Unmanaged<PyModule>?
    @exclusivity(unchecked) var cachedBox: Unmanaged<GlobalBox>?
    /// The native function `module.name` resolved to, valid while the box's version is `cachedVersion`. Not
    /// owned: the box held it when cached and any later assignment bumps the version (and the interpreter keeps
    /// every module's values alive), so while the version matches the box still owns it.
    @exclusivity(unchecked) var cachedBuiltin: Unmanaged<PyBuiltin>?
    @exclusivity(unchecked) var cachedVersion = -1
    /// When the receiver is a global name (`random` in `random.random()`): its box and version when the module
    /// was cached. While both versions match, the call needs no evaluation of the receiver at all.
    @exclusivity(unchecked) var recvBox: Unmanaged<GlobalBox>?
    @exclusivity(unchecked) var recvVersion = -1
    /// For a plain call of a global name (`len(x)`, `str(x)`, `fib(n)`): what it named, valid while the name's box
    /// version is `globalVersion` (for builtins the box stays empty, so the name means the builtin; a function is
    /// owned by its box while the version is unchanged).
    @exclusivity(unchecked) var globalCallee: Unmanaged<PyObject>?
    /// 1: a builtin function, 2: a builtin type, 3: a user function of the module (called with its exact arity),
    /// 4: `str(x)`, 5: `len(x)` (inlined), 6: a user class with a plain `__init__` (`construct`).
    @exclusivity(unchecked) var globalKind = 0
    @exclusivity(unchecked) var globalBox: Unmanaged<GlobalBox>?
    @exclusivity(unchecked) var globalVersion = -1
    /// Kind 6 (a user class, see `construct`): its `__init__`, owned by the class while it keeps `classVersion`.
    @exclusivity(unchecked) var initFunction: Unmanaged<PyFunction>?
    @exclusivity(unchecked) var classVersion = -1
    let attr: Attribute?
    let attrRef: Unmanaged<Attribute>?
    /// The `super()` of `super().name(args)`, whose node caches the method (see `SuperExpr`).
    let superCall: SuperExpr?

    @inline(__always)
    func callBuiltin(_ b: Unmanaged<PyBuiltin>, _ f: Frame) throws -> Value {
        try b._withUnsafeGuaranteedRef { b in try callNative(b.fn, f) }
    }

    /// Evaluates the arguments and calls a native function; no intermediate tuple for 0–2 positional arguments.
    @inline(__always)
    func callNative(_ fn: NativeFn, _ f: Frame) throws -> Value {
        if simple {
            switch args.count {
            case 0: return try f.interpRef._withUnsafeGuaranteedRef { try fn($0, [], []) }
            case 1:
                let x = try evalChild(arg0Ref!, f)
                return try f.interpRef._withUnsafeGuaranteedRef { try fn($0, [x], []) }
            case 2:
                let x = try evalChild(arg0Ref!, f)
                let y = try evalChild(arg1Ref!, f)
                return try f.interpRef._withUnsafeGuaranteedRef { try fn($0, [x, y], []) }
            default: break
            }
        }
        let (pos, kw) = try evalArgs(f)
        return try f.interpRef._withUnsafeGuaranteedRef { try fn($0, pos, kw) }
    }

    override func eval(_ f: Frame) throws -> Value {
        if globalKind >= 3, let g = globalCallee, let gb = globalBox,
           gb._withUnsafeGuaranteedRef({ $0.version }) == globalVersion {
            if globalKind == 3 {
                // a module-level function (`fib(n - 1)`): straight into its frame
                return try g._withUnsafeGuaranteedRef { callee in
                    try f.interpRef._withUnsafeGuaranteedRef { i in
                        try i.callDirect(unsafeDowncast(callee, to: PyFunction.self), argBuf, f)
                    }
                }
            }
            if globalKind == 6 { return try construct(f) }
            return try callStrOrLen(f)
        }
        return try evalGeneral(f)
    }

    /// `C(args)` for a user class cached as kind 6: a new instance set up by the class's Python `__init__`, called
    /// with the instance in its first slot. Valid while the class keeps its version tag (else the general path).
    @inline(never)
    private func construct(_ f: Frame) throws -> Value {
        let c = unsafeDowncast(globalCallee!.object, to: PyClass.self)
        guard c.version == classVersion, let initFn = initFunction else {
            // the class changed: forget it (the general path caches it again if it still qualifies)
            globalKind = 0; globalCallee = nil; globalBox = nil; initFunction = nil
            return try evalGeneral(f)
        }
        let inst = Value.obj(PyInstance(c))
        let r = try f.interpRef._withUnsafeGuaranteedRef {
            try $0.callMethodDirect(initFn.object, inst, argBuf, f)
        }
        if !r.isNone {
            throw f.interp.typeError("__init__() should return None, not '\(f.interp.typeName(r))'")
        }
        return inst
    }

    /// Whether instances of `c` are made exactly as `construct` makes them (object's `__new__`, no builtin base,
    /// not an exception) with a Python `__init__` taking this call's arguments; that `__init__`, else nil.
    private func plainInit(of c: PyClass, _ interp: Interpreter) -> PyFunction? {
        guard simple, c.native == nil, !c.isException,
              case .obj(let newFn)? = c.lookup("__new__"), case .obj(let objectNew)? = interp.objectClass.dict["__new__"],
              newFn === objectNew,
              !c.mro.contains(where: { $0 !== interp.objectClass && $0.native != nil }),
              c.meta.map({ interp.userMetaCall($0) == nil }) ?? true,
              case .obj(let ini as PyFunction)? = c.lookup("__init__"), ini.code.simpleArity == args.count + 1
        else { return nil }
        return ini
    }
    /// For `s += str(x)` into a `StrBuilder`: `x`, evaluated, when this call is `str(x)` with the builtin unchanged
    /// (kind 4, cached by an earlier run); otherwise nil, with nothing evaluated.
    @inline(__always)
    func strArgument(_ f: Frame) throws -> Value? {
        guard globalKind == 4, let gb = globalBox, gb._withUnsafeGuaranteedRef({ $0.version }) == globalVersion else {
            return nil
        }
        return try evalChild(arg0Ref!, f)
    }
    /// `str(x)` (kind 4) and `len(x)` (kind 5) with the builtin unchanged: what the builtins do, inlined.
    @inline(never)
    private func callStrOrLen(_ f: Frame) throws -> Value {
        let v = try evalChild(arg0Ref!, f)
        return try f.interpRef._withUnsafeGuaranteedRef { i in
            globalKind == 5 ? .int(try i.len(v)) : .str(try i.str(v))
        }
    }
    /// Records what `super().name` resolved to when it is a plain function taking this call's arguments.
    private func cacheSuperMethod(_ sup: SuperExpr, _ so: PySuper, _ f: Frame) {
        guard let inst = sup.plainSelf(f), let fn = f.fn, case .obj(let o) = so.obj, o === inst else { return }
        let mro = inst.cls.mro
        guard let start = mro.firstIndex(where: { $0 === so.cls }) else { return }
        let name = attr!.name
        for c in mro[(start + 1)...] {
            guard let v = c.dict[name] else { continue }
            if case .obj(let m as PyFunction) = v, m.code.simpleArity == args.count + 1 {
                sup.owner = ObjectIdentifier(fn)
                sup.selfClass = ObjectIdentifier(inst.cls)
                sup.version = inst.cls.version
                sup.method = .passUnretained(m)
            }
            return
        }
    }

    /// `inst.name(args)`: through the attribute site's cache when it knows the name on this layout (a function of
    /// the class is called with the instance in its first slot, no bound method made), else as any method call.
    private func callInstanceMethod(_ inst: PyInstance, _ recv: Value, _ f: Frame) throws -> Value {
        let a = attrRef!
        var e = a._withUnsafeGuaranteedRef { $0.loads.find(inst) }
        if e == nil {
            a._withUnsafeGuaranteedRef { $0.fillLoad(inst) }
            e = a._withUnsafeGuaranteedRef { $0.loads.find(inst) }
        }
        if let e {
            // copied out before the arguments run: they may call back into this site and change its cache
            let kind = e.pointee.kind
            let callee = kind == .instanceSlot ? inst.slots[e.pointee.index] : e.pointee.value
            if kind == .method, case .obj(let fo) = callee {
                let fn = unsafeDowncast(fo, to: PyFunction.self)
                if simple && fn.code.simpleArity == args.count + 1 {
                    return try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethodDirect(fn, recv, argBuf, f) }
                }
                let (pos, kw) = try evalArgs(f)
                return try f.interpRef._withUnsafeGuaranteedRef { try $0.callFunction(fn, [recv] + pos, kw) }
            }
            let (pos, kw) = try evalArgs(f)
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.call(callee, pos, kw) }
        }
        let (pos, kw) = try evalArgs(f)
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethod(recv, attr!.name, pos, kw) }
    }

    /// Every call but the cached ones above, kept out of `eval` so that their path stays small.
    @inline(never)
    private func evalGeneral(_ f: Frame) throws -> Value {
        if recvRef != nil {
            // a method call (recvRef is set exactly when fn is an Attribute); the node is read through `attr` only
            // on the slower paths, so the cached ones do not retain it
            if let rb = recvBox, rb._withUnsafeGuaranteedRef({ $0.version }) == recvVersion,
               let box = cachedBox, box._withUnsafeGuaranteedRef({ $0.version }) == cachedVersion, let b = cachedBuiltin {
                return try callBuiltin(b, f)
            }
            if let n = recvLocal, let d = n.localDict(f) {
                let k = try evalChild(arg0Ref!, f)
                let dflt = arg1Ref != nil ? try evalChild(arg1Ref!, f) : .none
                if let v = d._withUnsafeGuaranteedRef({ $0.get(k) }) { return v }
                try f.checkHashable(k)
                return dflt
            }
            if let sup = superCall, simple, let inst = sup.plainSelf(f), let fn = f.fn,
               sup.owner == ObjectIdentifier(fn), sup.selfClass == ObjectIdentifier(inst.cls),
               sup.version == inst.cls.version, let m = sup.method {
                // `super().name(args)` as cached: the instance in the method's first slot, no super object
                return try f.interpRef._withUnsafeGuaranteedRef {
                    try $0.callMethodDirect(m.object, .obj(inst), argBuf, f)
                }
            }
            let recv = try evalChild(recvRef!, f)
            if let sup = superCall, simple, case .obj(let so as PySuper) = recv { cacheSuperMethod(sup, so, f) }
            if case .obj(let o) = recv, let inst = o as? PyInstance {
                return try callInstanceMethod(inst, recv, f)
            }
            if hotMethod != 0 {
                switch recv {
                case .dict(let d) where hotMethod == 1:
                    // `d.get(k)` / `d.get(k, default)`: both arguments are evaluated first, as in CPython
                    let k = try evalChild(arg0Ref!, f)
                    let dflt = arg1Ref != nil ? try evalChild(arg1Ref!, f) : .none
                    if let v = d.get(k) { return v }
                    try f.checkHashable(k)
                    return dflt
                case .list(let l) where hotMethod == 2:
                    l.items.append(try evalChild(arg0Ref!, f))
                    return .none
                default: break
                }
            }
            if case .obj(let o) = recv, let cm = cachedModule, Unmanaged.passUnretained(o).toOpaque() == cm.toOpaque(),
               let box = cachedBox?.object {
                if box.version == cachedVersion, let b = cachedBuiltin { return try callBuiltin(b, f) }
                if let v = box.value {
                    if case .obj(let b as PyBuiltin) = v, b.selfValue == nil {
                        cachedBuiltin = Unmanaged.passUnretained(b)
                        cachedVersion = box.version
                        if let n = attr!.obj as? Name, n.ref.tag == 2, let rb = n.ref.box,
                           case .obj(let m)? = rb.value, m === o {
                            recvBox = Unmanaged.passUnretained(rb)
                            recvVersion = rb.version
                        }
                        return try callBuiltin(cachedBuiltin!, f)
                    }
                    let (pos, kw) = try evalArgs(f)
                    return try f.interp.call(v, pos, kw)
                }
            }
            if case .obj(let m as PyModule) = recv, f.interp.isRegistered(m), let b = m.globals[attr!.name] {
                cachedModule = Unmanaged.passUnretained(m)
                cachedBox = Unmanaged.passUnretained(b)
                cachedBuiltin = nil
                recvBox = nil
            }
            let (pos, kw) = try evalArgs(f)
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethod(recv, attr!.name, pos, kw) }
        }
        // (kinds 3 to 5 with their box unchanged never come here: `eval` calls them)
        if let g = globalCallee, let gb = globalBox, gb._withUnsafeGuaranteedRef({ $0.version }) == globalVersion {
            if globalKind == 2 {
                // builtin types (`str(x)`, `int(s)`): the class's native constructor, as `instantiate` does first
                if let native = g._withUnsafeGuaranteedRef({ unsafeDowncast($0, to: PyClass.self).native }) {
                    return try callNative(native, f)
                }
            } else {
                return try g._withUnsafeGuaranteedRef { try callNative(unsafeDowncast($0, to: PyBuiltin.self).fn, f) }
            }
        }
        let callee = try fn.eval(f)
        if simple, case .obj(let o) = callee, let pf = o as? PyFunction, pf.code.simpleArity == args.count {
            if let n = fnName, n.ref.tag == 2, let box = n.ref.box, case .obj(let held)? = box.value, held === pf {
                // the box owns the function while its version is unchanged
                globalCallee = Unmanaged.passUnretained(pf)
                globalKind = 3
                globalBox = Unmanaged.passUnretained(box)
                globalVersion = box.version
            }
            return try f.interp.callDirect(pf, argBuf, f)
        }
        if let n = fnName, n.ref.tag == 2, let box = n.ref.box, case .obj(let c as PyClass)? = box.value,
           case .obj(let o) = callee, o === c, let ini = plainInit(of: c, f.interp) {
            // the box owns the class while its version is unchanged, the class its __init__ while it keeps its tag
            globalCallee = Unmanaged.passUnretained(c)
            globalKind = 6
            globalBox = Unmanaged.passUnretained(box)
            globalVersion = box.version
            initFunction = Unmanaged.passUnretained(ini)
            classVersion = c.version
            return try construct(f)
        }
        if let n = fnName, n.ref.tag == 2, let box = n.ref.box, box.value == nil, case .obj(let o) = callee {
            // the builtin is held by the interpreter's builtins table (which never changes after start-up)
            if let b = o as? PyBuiltin, b.selfValue == nil {
                globalCallee = Unmanaged.passUnretained(b)
                // `len(x)`: what the builtin does, without an argument array
                if simple && args.count == 1, case .obj(let l)? = f.interp.builtins["len"], l === b { globalKind = 5 }
                else { globalKind = 1 }
                globalBox = Unmanaged.passUnretained(box)
                globalVersion = box.version
            } else if let c = o as? PyClass, c.native != nil {
                globalCallee = Unmanaged.passUnretained(c)
                // `str(x)`: what the type's native constructor does with one positional argument
                globalKind = simple && args.count == 1 && c === f.interp.typeClasses["str"] ? 4 : 2
                globalBox = Unmanaged.passUnretained(box)
                globalVersion = box.version
            }
        }
        let (pos, kw) = try evalArgs(f)
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.call(callee, pos, kw) }
    }
}

/// `super()` with no arguments: the defining class of the running function and its first argument.
final class SuperExpr: Expr {
    /// For `super().name(args)` (`CallExpr.callSuperMethod`): the function the call resolved to, for calls from the
    /// function object `owner` on an instance whose class had identity `selfClass` and version tag `version` (a
    /// change to any class of its MRO gives it a new tag). The function is owned by a class of that MRO while the
    /// tag holds.
    @exclusivity(unchecked) var owner: ObjectIdentifier?
    @exclusivity(unchecked) var selfClass: ObjectIdentifier?
    @exclusivity(unchecked) var version = -1
    @exclusivity(unchecked) var method: Unmanaged<PyFunction>?

    /// The first argument of the running function when it is an instance and `super()` can be taken from it
    /// without a `PySuper` (slot 0, not a cell), else nil.
    @inline(__always)
    func plainSelf(_ f: Frame) -> PyInstance? {
        guard let fn = f.fn, fn.code.simpleArity > 0, !fn.code.hasCellParams,
              case .obj(let o) = f.slots[0], let inst = o as? PyInstance else { return nil }
        return inst
    }

    override func eval(_ f: Frame) throws -> Value {
        guard let fn = f.fn, let cls = fn.dict["__class__"], case .obj(let c as PyClass) = cls else {
            throw f.interp.err("RuntimeError", "super(): no arguments")
        }
        var selfV: Value = .none
        if fn.code.nSlots > 0 && fn.code.params.count > 0 {
            if let ci = fn.code.cellParams.first(where: { $0.0 == 0 }) { selfV = f.cells[ci.1].value ?? .none }
            else { selfV = f.slots[0] }
        }
        return .obj(PySuper(c, selfV))
    }
}

final class Lambda: Expr {
    let code: FuncCode
    let scope: Scope
    let defaults: [Expr]
    let kwDefaults: [(String, Expr)]
    init(_ c: FuncCode, _ s: Scope, _ d: [Expr], _ kd: [(String, Expr)], line: Int) {
        code = c; scope = s; defaults = d; kwDefaults = kd; super.init(line: line)
    }
    override func eval(_ f: Frame) throws -> Value { .obj(try makeFunction(f)) }
    func makeFunction(_ f: Frame) throws -> PyFunction {
        var d: [Value] = []
        for e in defaults { d.append(try e.eval(f)) }
        var kd: [String: Value] = [:]
        for (n, e) in kwDefaults { kd[n] = try e.eval(f) }
        let closure = scope.closureSources.map { f.cells[$0] }
        return PyFunction(code: code, defaults: d, kwDefaults: kd, closure: closure, module: f.module)
    }
}

final class YieldExpr: Expr {
    let value: Expr?
    let isFrom: Bool
    /// The value's node, unretained (the node owns it).
    let valueRef: Unmanaged<Expr>?
    init(_ v: Expr?, isFrom: Bool, line: Int) {
        value = v; self.isFrom = isFrom
        valueRef = v.map { .passUnretained($0) }
        super.init(line: line)
    }
    override func eval(_ f: Frame) throws -> Value {
        var v = Value.none
        if let e = valueRef { v = try evalChild(e, f) }
        guard let g = f.gen else { throw f.interp.err("SyntaxError", "'yield' outside function") }
        if isFrom { return try g._withUnsafeGuaranteedRef { try f.interp.yieldFrom(v, $0) } }
        return try g._withUnsafeGuaranteedRef { try $0.yield(v) }
    }
}

// MARK: - Statements

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
        super.init(line: line)
    }
    let valueRef: Unmanaged<Expr>
    let singleRef: Unmanaged<Expr>?
    override func exec(_ f: Frame) throws -> Flow {
        let v = try evalChild(valueRef, f)
        if let n = singleName, n.ref.tag == 1 {
            f.slots[n.ref.index] = v
            return .normal
        }
        if let t = singleRef { try t._withUnsafeGuaranteedRef { try $0.assign(f, v) }; return .normal }
        for t in targets { try t.assign(f, v) }
        return .normal
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
            try a.set(o, try f.inplace(op, cur, try value.eval(f)), f)
            return .normal
        }
        if let s = targetSubscript {
            let o = try s.obj.eval(f)
            let k = try s.index.eval(f)
            if case .list(let l) = o, case .int(let n) = k {
                // `v[0] -= dx * m`: a number in a list updated in place (CPython's BINARY_SUBSCR_LIST_INT and
                // STORE_SUBSCR_LIST_INT around the arithmetic)
                let j = n < 0 ? n + l.items.count : n
                if j >= 0 && j < l.items.count {
                    let cur = l.items[j]
                    let r = try value.eval(f)
                    if j < l.items.count {
                        if case .int(let x) = cur, case .int(let y) = r, let v = BinOp.intFast(op, x, y) {
                            l.items[j] = v; return .normal
                        }
                        if let (x, y) = floatOperands(cur, r), let v = BinOp.floatFast(op, x, y) {
                            l.items[j] = v; return .normal
                        }
                    }
                    try f.setItem(o, k, try f.inplace(op, cur, r))
                    return .normal
                }
            }
            let cur = try f.getItem(o, k)
            try f.setItem(o, k, try f.inplace(op, cur, try value.eval(f)))
            return .normal
        }
        throw f.interp.err("SyntaxError", "illegal expression for augmented assignment")
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

/// An `if`'s or `while`'s condition: a comparison tested without making a bool Value, a bool as it is.
@inline(__always)
func testCondition(_ cmp: Compare?, _ cond: Unmanaged<Expr>, _ f: Frame) throws -> Bool {
    if let cmp { return try cmp.test(f) }
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
        condCompare = c as? Compare
        super.init(line: line)
    }
    deinit { bodyBuf.free(); orelseBuf.free() }
    /// The condition when it is a comparison, tested without making a bool Value.
    let condCompare: Compare?
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
        condCompare = c as? Compare
        builders = LoopBuilders(names: names)
        super.init(line: line)
    }
    deinit { bodyBuf.free() }
    let condCompare: Compare?
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
        try f.interp.iterate(it) { v in
            if f.interruptPending { try f.interp.interruptSlowPath() }
            if let slot { f.slots[slot] = v } else { try target.assign(f, v) }
            let r = try runBlock(bodyBuf, f)
            switch r {
            case .normal, .cont: return true
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

extension Unmanaged {
    /// The object, retained the ordinary way. `takeUnretainedValue()` (and loading an `unowned(unsafe)` reference)
    /// retains atomically even in a module compiled with `-assume-single-threaded`; a copy made from the guaranteed
    /// reference is an ordinary retain, non-atomic here.
    @inline(__always) var object: Instance { _withUnsafeGuaranteedRef { $0 } }
}
