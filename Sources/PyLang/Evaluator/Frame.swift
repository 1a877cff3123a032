// The evaluator's ground: a Frame (one activation: locals in slots, cells, the interpreter it runs in), the
// node base classes Expr and Stmt, and the block runners. The nodes themselves are in the other files of
// Evaluator/: each evaluates itself (the parser builds the tree, the resolver fixes names to slots). Mirrors
// CPython's `Python/ceval.c` one node at a time.

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
    /// Whether a loop must stop at this turn (KeyboardInterrupt, the loop budget, a cycle collection): two loads, no call, no
    /// reference counting; `Interpreter.interruptSlowPath` then raises.
    @inline(__always)
    var interruptPending: Bool { mpshInterruptPending != 0 || interpRef._withUnsafeGuaranteedRef { $0.pendingWork != 0 } }
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
        if pointee.holdsNoReference { initialize(to: v) } else { pointee = v }
    }

    /// Assigns a copy of the value at `source`: when neither value holds a reference, the bytes are copied (no
    /// outlined copy or destroy call, and no jump table over the cases, whose indirect jump mispredicted by code
    /// layout alone: `a, b, c = t` took 30 or 40 ns by where the loop landed).
    @inline(__always)
    func store(copying source: UnsafePointer<Value>) {
        if source.pointee.holdsNoReference && pointee.holdsNoReference {
            UnsafeMutableRawPointer(self).copyMemory(from: source, byteCount: MemoryLayout<Value>.size)
        } else {
            pointee = source.pointee
        }
    }
}

extension Value {
    /// None, a bool, an int or a float: nothing to retain or release.
    @inline(__always)
    var holdsNoReference: Bool {
        switch self {
        case .none, .bool, .int, .float: return true
        default: return false
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

extension Unmanaged {
    /// The object, retained the ordinary way. `takeUnretainedValue()` (and loading an `unowned(unsafe)` reference)
    /// retains atomically even in a module compiled with `-assume-single-threaded`; a copy made from the guaranteed
    /// reference is an ordinary retain, non-atomic here.
    @inline(__always) var object: Instance { _withUnsafeGuaranteedRef { $0 } }
}
