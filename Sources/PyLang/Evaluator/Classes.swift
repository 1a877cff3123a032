// Making classes: the class statement's protocol as CPython's `type.__new__` and `__build_class__` run it.
//
//   class C(B1, B2, metaclass=M, **kw): body
//
// 1. The metaclass is the most derived of M and the bases' metaclasses (`calculateMeta`; a conflict is a
//    TypeError). `type` is kept as nil: most classes have no other, and their creation takes no detour.
// 2. The namespace is `M.__prepare__(name, bases, **kw)` when M defines one, else a new dict; the body runs in it.
// 3. The class is `M(name, bases, ns, **kw)` (M's `__new__` and `__init__`, which reach `type.__new__` through
//    `super()`), or, without a metaclass, made directly.
// 4. `type.__new__` (`makeClass`) makes the class, points the methods' `__class__` cells at it, calls
//    `__set_name__` on the descriptors in the namespace, then the nearest base's `__init_subclass__(**kw)`.
//
// A class made by a metaclass keeps it in `PyClass.meta`: `type(C)` is M; attributes not found on C are looked up
// on M (bound to C); `C(...)` calls `M.__call__` when M defines one; `iter(C)`, `len(C)`, `x in C` and `C[k]` call
// M's dunders.
extension Interpreter {
    /// `type`'s and `object`'s parts of the protocol: `type.__new__`, `type.__call__`, `type.__init__`,
    /// `type.__prepare__`, `object.__init_subclass__`, and `type(...)` itself going through `makeClass`.
    func installClassProtocol() {
        let type = typeClasses["type"]!
        typeClass = type
        type.dict["__new__"] = .obj(PyStaticMethod(.obj(PyBuiltin("__new__") { i, a, kw in try i.typeNew(a, kw) })))
        type.dict["__call__"] = .obj(PyBuiltin("__call__") { i, a, kw in
            guard case .obj(let c as PyClass)? = a.first else {
                throw i.typeError("descriptor '__call__' of 'type' object needs an argument")
            }
            return try i.instantiate(c, Array(a.dropFirst()), kw)
        })
        type.dict["__init__"] = .obj(PyBuiltin("__init__") { _, _, _ in .none })
        type.dict["__prepare__"] = .obj(PyClassMethod(.obj(PyBuiltin("__prepare__") { _, _, _ in .dict(PyDict()) })))
        objectClass.dict["__init_subclass__"] = .obj(PyClassMethod(.obj(PyBuiltin("__init_subclass__") { i, a, kw in
            if !kw.isEmpty {
                let name = a.first.flatMap { v -> String? in if case .obj(let c as PyClass) = v { return c.name }; return nil }
                throw i.typeError("\(name ?? "object").__init_subclass__() takes no keyword arguments")
            }
            return .none
        })))
        let oneArg = type.native
        type.native = { i, a, kw in
            if a.count == 3 { return try i.typeNew([.obj(i.typeClass)] + a, kw) }
            if let f = oneArg { return try f(i, a, kw) }
            throw i.typeError("type() takes 1 or 3 arguments")
        }
    }

    /// The metaclass of a class with these bases and perhaps an explicit one: the most derived of them, nil for
    /// `type` (CPython's `_PyType_CalculateMetaclass`).
    func calculateMeta(_ explicit: PyClass?, _ bases: [PyClass]) throws -> PyClass? {
        var winner: PyClass? = explicit === typeClass ? nil : explicit
        for b in bases {
            guard let bm = b.meta else { continue }
            guard let w = winner else { winner = bm; continue }
            if w.isSubclass(of: bm) { continue }
            if bm.isSubclass(of: w) { winner = bm; continue }
            throw typeError("metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass "
                + "of the metaclasses of all its bases")
        }
        return winner
    }

    /// `M.__prepare__` when the metaclass (or a base of it below `type`) defines one.
    func userPrepare(_ meta: PyClass) -> Value? {
        guard let p = meta.lookup("__prepare__"), !identical(p, typeClass.dict["__prepare__"]!) else { return nil }
        return p
    }

    /// `M.__call__` when the metaclass defines its own (not `type`'s).
    @inline(__always)
    func userMetaCall(_ meta: PyClass) -> Value? {
        guard let c = meta.lookup("__call__"), !identical(c, typeClass.dict["__call__"]!) else { return nil }
        return c
    }

    /// A dunder method the metaclass of class `c` defines (`__iter__`, `__len__`, ...), or nil.
    @inline(__always)
    func metaDunder(_ c: PyClass, _ name: String) -> Value? {
        guard let m = c.meta else { return nil }
        return m.lookup(name)
    }

    /// `type.__new__(mcs, name, bases, namespace, **kw)`.
    func typeNew(_ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        guard a.count == 4 else {
            throw typeError("type.__new__() takes exactly 3 arguments (\(max(0, a.count - 1)) given)")
        }
        guard case .obj(let mcs as PyClass) = a[0] else {
            throw typeError("type.__new__(X): X is not a type object (\(typeName(a[0])))")
        }
        guard case .str(let name) = a[1] else {
            throw typeError("type.__new__() argument 1 must be str, not \(typeName(a[1]))")
        }
        guard case .tuple(let bt) = a[2] else {
            throw typeError("type.__new__() argument 2 must be tuple, not \(typeName(a[2]))")
        }
        guard case .dict(let ns) = a[3] else {
            throw typeError("type.__new__() argument 3 must be dict, not \(typeName(a[3]))")
        }
        var bases: [PyClass] = []
        for b in bt.items {
            guard case .obj(let c as PyClass) = b else {
                throw typeError("bases must be types")
            }
            bases.append(c)
        }
        let meta = try calculateMeta(mcs, bases)
        return .obj(try makeClass(name: name.s, bases: bases, ns: ns, meta: meta, kw: kw))
    }

    /// What `type.__new__` does once the arguments are checked: the class, its methods' `__class__` cells,
    /// `__set_name__`, and `__init_subclass__`.
    func makeClass(name: String, bases bs: [PyClass], ns: PyDict, meta: PyClass?, kw: [(String, Value)]) throws -> PyClass {
        if bs.count > 1, PyClass.c3(PyClass(name: name, bases: [], dict: [:]), bs) == nil {
            throw typeError("Cannot create a consistent method resolution\norder (MRO) for bases "
                + bs.map { $0.name }.joined(separator: ", "))
        }
        var dict: [String: Value] = [:]
        var order: [String] = []
        for (k, v) in ns.items {
            guard case .str(let s) = k else { continue }
            dict[s.s] = v
            order.append(s.s)
        }
        // implicit class methods, as in CPython
        for k in ["__init_subclass__", "__class_getitem__"] {
            if case .obj(let f as PyFunction)? = dict[k] { dict[k] = .obj(PyClassMethod(.obj(f))) }
        }
        var qualname = name
        if case .str(let q)? = dict["__qualname__"] { qualname = q.s }
        let cls = PyClass(name: name, bases: bs.isEmpty ? [objectClass] : bs, dict: dict)
        if case .str(let m)? = dict["__module__"] { cls.module = m.s } else { cls.module = "__main__" }
        cls.meta = meta
        for (_, v) in dict {
            var fnv = v
            if case .obj(let sm as PyStaticMethod) = v { fnv = sm.fn }
            if case .obj(let cm as PyClassMethod) = v { fnv = cm.fn }
            if case .obj(let p as PyProperty) = v {
                if case .obj(let g as PyFunction) = p.getter { g.dict["__class__"] = .obj(cls) }
                if case .obj(let s as PyFunction)? = p.setter { s.dict["__class__"] = .obj(cls) }
            }
            if case .obj(let fn as PyFunction) = fnv {
                fn.dict["__class__"] = .obj(cls)
                fn.qualname = qualname + "." + fn.code.name
            }
        }
        for k in order {
            guard let v = dict[k], case .obj(let o as PyInstance) = v, let sn = o.cls.lookup("__set_name__") else { continue }
            _ = try callBound(sn, v, [.obj(cls), .str(k)], [])
        }
        // the nearest base's __init_subclass__ (object's refuses keyword arguments)
        for c in cls.mro.dropFirst() {
            guard let f = c.dict["__init_subclass__"] else { continue }
            _ = try callBound(f, .obj(cls), [], kw)
            break
        }
        return cls
    }

    /// `M(args)` for a metaclass M: its `__new__` (at the end of the chain `type.__new__`), then its `__init__`
    /// when the result is a class made by M.
    func instantiateMetaclass(_ mcs: PyClass, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        guard let newFn = mcs.lookup("__new__") else { return try typeNew([.obj(mcs)] + args, kw) }
        let made: Value
        switch newFn {
        case .obj(let sm as PyStaticMethod): made = try call(sm.fn, [.obj(mcs)] + args, kw)
        default: made = try call(newFn, [.obj(mcs)] + args, kw)
        }
        if case .obj(let c as PyClass) = made, let m = c.meta, m.isSubclass(of: mcs),
           case .obj(let ini as PyFunction)? = mcs.lookup("__init__") {
            _ = try callFunction(ini, [made] + args, kw)
        }
        return made
    }
}
