// Reading and writing places: constants, names (locals in slots, globals and builtins through boxes), attributes
// with their per-site caches keyed by class layout, subscripts and slices.

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
    var isListOrTuple: Bool {
        switch self {
        case .list, .tuple: return true
        default: return false
        }
    }
    /// Item `k` (negative from the end) of a list or a tuple when it is in range; nil otherwise.
    @inline(__always)
    func listOrTupleItem(_ k: Int) -> Value? {
        let items: [Value]
        switch self {
        case .list(let l): items = l.items
        case .tuple(let t): items = t.items
        default: return nil
        }
        let j = k < 0 ? k + items.count : k
        return j >= 0 && j < items.count ? items[j] : nil
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
        case .classBody(let n, _):
            if f.classNS!.remove(.str(n)) == nil { throw f.interp.err("NameError", "name '\(n)' is not defined") }
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
            case .method, .builtinMethod: return .obj(PyBoundMethod(v, e.pointee.value))
            case .baseMethod: return try f.getAttr(v, name)
            default: break
            }
        }
        return try evalSlow(v, f)
    }

    @inline(never)
    private func evalSlow(_ v: Value, _ f: Frame) throws -> Value {
        guard case .obj(let o) = v else { return try f.getAttr(v, name) }
        if let inst = o as? PyInstance {
            fillLoad(inst, f)
        } else if let c = o as? PyClass {
            // `Strength.REQUIRED`: a plain class attribute, valid while the class keeps its version tag
            if let owner = classSeen, owner === c, c.version == classVersion { return classValue }
            let r = try f.getAttr(v, name)
            switch c.lookup(name) {
            case .obj(let x)? where x is PyStaticMethod || x is PyClassMethod || x is PyProperty: break
            case let cv? where descriptorMethod(cv, "__get__") != nil: break
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
    func fillLoad(_ inst: PyInstance, _ f: Frame) {
        let shape = inst.shape
        guard shape.shared else { return }
        let cv = inst.cls.lookup(name)
        if cv == nil, name == "__class__", shape.slot(name) == nil, !inst.cls.definesAttributeHook {
            // `self.__class__`: the class, fixed for the shape (a shape belongs to one class)
            loads.add(AttrEntry(shape: shape, kind: .classValue, index: 0, value: .obj(inst.cls), next: nil))
            return
        }
        if cv == nil, shape.slot(name) == nil, let b = inst.payload as? BuiltinBase,
           !inst.cls.definesAttributeHook, (try? f.getAttr(b.value, name)) != nil {
            loads.add(AttrEntry(shape: shape, kind: .baseMethod, index: 0, value: .none, next: nil))
            return
        }
        if case .obj(let o)? = cv, let b = o as? PyBuiltin, b.selfValue == nil, shape.slot(name) == nil {
            // as `getAttr` binds it (a builtin is no descriptor: an instance attribute of the name comes first)
            loads.add(AttrEntry(shape: shape, kind: .builtinMethod, index: 0, value: cv!, next: nil))
            return
        }
        if case .obj(let o)? = cv, o is PyProperty || o is PyStaticMethod || o is PyClassMethod || o is PyBuiltin
            || descriptorMethod(cv!, "__get__") != nil {
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
        if let cv = inst.cls.lookup(name), descriptorMethod(cv, "__set__") != nil { return }
        if case .obj(let o)? = inst.cls.lookup(.setattr), o is PyFunction { return }
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
    /// A native function of the class (a module type's method: `pattern.search`, `match.group`), bound on a read,
    /// called with the instance as its first argument by a call site.
    case builtinMethod
    /// A method of the built-in type the class derives from (`class C(list)`: `c.append(x)`), called on the
    /// instance's built-in value.
    case baseMethod
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
    static let capacity = 8
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
    /// The index when it is a slice (`a[i:j]`): list, tuple and str slices are taken without a slice object.
    let sliceIndex: SliceExpr?
    init(_ o: Expr, _ i: Expr, line: Int) {
        obj = o; index = i; objRef = .passUnretained(o); indexRef = .passUnretained(i)
        sliceIndex = i as? SliceExpr
        objLocal = cannotRebindLocals(i) ? o as? Name : nil
        objLocalRef = objLocal.map { .passUnretained($0) }
        super.init(line: line)
    }
    /// `l[i]` with `l` a local and `i` a local or an int literal (`count[r]`, `perm[0]`): where the list and the
    /// index come from, linked at the first evaluation (CPython's BINARY_SUBSCR_LIST_INT / STORE_SUBSCR_LIST_INT
    /// after two LOAD_FASTs). `itemSlot` -1: not such a site; `unlinkedSlot`: not linked yet.
    @exclusivity(unchecked) var itemSlot = unlinkedSlot
    @exclusivity(unchecked) var itemIndex = IntOperand()

    /// The local list and the in-range position (negative counted from the end) this site names in `f`, the
    /// list unretained (the slot keeps it: reading a local or a literal index rebinds nothing); nil when the
    /// slot holds no list, the index is no int or is out of range (the general path then does it, and raises).
    @inline(__always)
    func localListItem(_ f: Frame) -> (list: Unmanaged<PyList>, at: Int, key: Int)? {
        if itemSlot < 0 {
            guard itemSlot == unlinkedSlot else { return nil }
            linkItemSite()
            return localListItem(f)
        }
        let p = f.slots + itemSlot
        guard case .list = p.pointee, let k = itemIndex.int(f) else { return nil }
        // moved out and back: looking at the list costs no reference counting (as `Name.localStr`)
        let list: Unmanaged<PyList> = {
            let o = p.move()
            defer { p.initialize(to: o) }
            guard case .list(let l) = o else { fatalError("unreachable: the slot holds a list") }
            return .passUnretained(l)
        }()
        let n = list._withUnsafeGuaranteedRef { $0.items.count }
        let j = k < 0 ? k &+ n : k
        return j >= 0 && j < n ? (list, j, k) : nil
    }

    /// Whether this could be such a site (`IntOperand` links it as an operand): a local indexed by a local or a
    /// literal.
    var mayBeLocalListItem: Bool {
        guard let n = objLocal, n.ref.tag == 1 else { return false }
        let k = IntOperand.of(index).slot
        return k >= 0 || k == -1
    }

    /// The item as a machine int when this site names an int item of a local list; nil otherwise. (Out of line:
    /// inlined into `IntOperand.int` it made every int comparison's and operation's code larger and slower.)
    @inline(never)
    func localIntItem(_ f: Frame) -> Int? {
        guard let (l, j, _) = localListItem(f) else { return nil }
        return l._withUnsafeGuaranteedRef { l in
            l.items.withUnsafeBufferPointer { b in
                if case .int(let x) = b[j] { return x }
                return nil
            }
        }
    }

    @inline(never)
    private func linkItemSite() {
        itemIndex = .of(index)
        itemSlot = mayBeLocalListItem ? objLocal!.ref.index : -1
    }

    override func eval(_ f: Frame) throws -> Value {
        if let (l, j, _) = localListItem(f) { return l._withUnsafeGuaranteedRef { $0.items[j] } }
        if let s = sliceIndex { return try evalSlice(s, f) }
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
        if let n = objLocalRef, let slot = n._withUnsafeGuaranteedRef({ $0.localSlot() }), (f.slots + slot).pointee.isListOrTuple {
            // a local list or tuple looked at where the frame keeps it: no reference counting of the container
            let p = f.slots + slot
            let i = try evalChild(indexRef, f)
            if case .int(let k) = i {
                let o = p.move()
                defer { p.initialize(to: o) }
                if let v = o.listOrTupleItem(k) { return v }
            }
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.getItem(p.pointee, i) }
        }
        let o = try evalChild(objRef, f)
        let i = try evalChild(indexRef, f)
        if case .int(let k) = i, let v = o.listOrTupleItem(k) {
            return v
        } else if case .str(let s) = o, case .int(let k) = i, let v = s.itemIfInRange(k) {
            return v
        } else if case .dict(let d) = o, i.isIntOrStr, let v = d.get(i) {
            return v
        }
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.getItem(o, i) }
    }

    /// `o[a:b:c]`: the object, then the bounds, evaluated in CPython's order; a list, tuple or str is sliced from
    /// the bounds themselves (CPython's BINARY_SLICE, 3.12), anything else gets a slice object.
    @inline(never)
    private func evalSlice(_ s: SliceExpr, _ f: Frame) throws -> Value {
        let o = try evalChild(objRef, f)
        let a = try s.a?.eval(f) ?? .none, b = try s.b?.eval(f) ?? .none, c = try s.c?.eval(f) ?? .none
        return try f.interpRef._withUnsafeGuaranteedRef { interp in
            switch o {
            case .list(let l):
                let (i, j, k) = try interp.sliceIndices(a, b, c, l.items.count)
                return .list(PyList(interp.sliceArray(l.items, i, j, k)))
            case .tuple(let t):
                let (i, j, k) = try interp.sliceIndices(a, b, c, t.items.count)
                return .tuple(PyTuple(interp.sliceArray(t.items, i, j, k)))
            case .str(let str):
                let (i, j, k) = try interp.sliceIndices(a, b, c, str.count)
                return str.slice(i, j, k)
            default:
                return try interp.getItem(o, .obj(PySlice(a, b, c)))
            }
        }
    }
    override func assign(_ f: Frame, _ v: Value) throws {
        if let (l, j, _) = localListItem(f) { l._withUnsafeGuaranteedRef { $0.items[j] = v }; return }
        if let n = objLocal, let d = n.localDict(f) {
            let i = try evalChild(indexRef, f)
            if i.isIntOrStr { d._withUnsafeGuaranteedRef { $0.set(i, v) }; return }
            try f.setItem(.dict(d.object), i, v)
            return
        }
        let o = try evalChild(objRef, f)
        if let s = sliceIndex, case .list(let l) = o { return try assignListSlice(l, s, v, f) }
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

    /// `l[a:b] = v` / `l[a:b:c] = v` on a list: the bounds evaluated and adjusted without a slice object (as
    /// `evalSlice`), then what `setItem` does for a slice (`perm[:k + 1] = perm[k::-1]`).
    @inline(never)
    private func assignListSlice(_ l: PyList, _ s: SliceExpr, _ v: Value, _ f: Frame) throws {
        let a = try s.a?.eval(f) ?? .none, b = try s.b?.eval(f) ?? .none, c = try s.c?.eval(f) ?? .none
        try f.interpRef._withUnsafeGuaranteedRef { interp in
            let (start, stop, step) = try interp.sliceIndices(a, b, c, l.items.count)
            try interp.setListSlice(l, start, stop, step, v)
        }
    }
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
