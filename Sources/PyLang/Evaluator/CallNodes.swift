// Calls: the call node with its fast paths (methods without a bound method object, simple arities bound straight
// into slots), super(), lambda, and the yield expression of the stackful generators.

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
    /// The keyword argument nodes, unretained, for `callPlanned`.
    let kwBuf: RefBuffer<Expr>
    deinit { argBuf.free(); kwBuf.free() }
    /// No starred positional argument and no `**mapping`: the arguments can be bound through a `CallPlan`.
    let plannable: Bool
    /// The plan made for the code this site last called with keywords or defaults (see `CallPlan`).
    @exclusivity(unchecked) var callPlan: CallPlan?
    /// 1: `.get(k[, d])` on a dict, 2: `.append(x)`, 3: `.pop([i])`, 4: `.insert(i, x)`, 5: `.remove(x)` on a list,
    /// 6: `.add(x)` on a set.
    let hotMethod: UInt8
    /// `locals()`, `dir()` or `vars()` without arguments: what they return is the calling frame's (see
    /// `frameNames`), so the site never caches the builtin as a plain native call.
    let introspects: Bool
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
        kwBuf = RefBuffer(kv)
        plannable = !kn.contains(nil) && !args.contains { $0.isStarred }
        arg0Ref = arg0.map { .passUnretained($0) }
        arg1Ref = arg1.map { .passUnretained($0) }
        recvRef = (fn as? Attribute).map { .passUnretained($0.obj) }
        // methods of builtin types with an inline path (used only when the receiver is that type)
        if let a = attr, simple, a.name == "get", args.count == 1 || args.count == 2 { hotMethod = 1 }
        else if let a = attr, simple, a.name == "append", args.count == 1 { hotMethod = 2 }
        else if let a = attr, simple, a.name == "pop", args.count <= 1 { hotMethod = 3 }
        else if let a = attr, simple, a.name == "insert", args.count == 2 { hotMethod = 4 }
        else if let a = attr, simple, a.name == "remove", args.count == 1 { hotMethod = 5 }
        else if let a = attr, simple, a.name == "add", args.count == 1 { hotMethod = 6 }
        else { hotMethod = 0 }
        recvLocal = hotMethod == 1 && args.allSatisfy(cannotRebindLocals) ? (fn as? Attribute)?.obj as? Name : nil
        introspects = args.isEmpty && kn.isEmpty && ["locals", "dir", "vars", "globals"].contains((fn as? Name)?.ref.name ?? "")
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
    /// 1: a native function (a builtin, or a module global such as `from math import sqrt`), 2: a builtin type,
    /// 3: a user function of the module (called with its exact arity),
    /// 4: `str(x)`, 5: `len(x)` (inlined), 6: a user class with a plain `__init__` (`construct`), 7: a user
    /// function of the module called with keywords or defaults (through the site's `CallPlan`), 8:
    /// `isinstance(x, T)` (inlined).
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
    /// `Cls.name(args)`: the class last seen (owned, so no other class takes its identity meanwhile), its version
    /// tag then, the function `name` is there, and whether it is a classmethod (called with the class first) or
    /// a static method or plain function (called as it is).
    @exclusivity(unchecked) var classCallee: PyClass?
    @exclusivity(unchecked) var classCalleeVersion = -1
    @exclusivity(unchecked) var classCalleeFunction: PyFunction?
    @exclusivity(unchecked) var classCalleeTakesClass = false

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
            if globalKind == 7 { return try callPlannedGlobal(f) }
            if globalKind == 8 { return try callIsInstance(f) }
            if globalKind == 9 { return try instantiateGlobal(f) }
            return try callStrOrLen(f)
        }
        return try evalGeneral(f)
    }

    /// A module-level function called with keywords or defaults (kind 7), through the site's plan; if the
    /// function no longer fits it, the site forgets the function and takes the general path.
    @inline(never)
    private func callPlannedGlobal(_ f: Frame) throws -> Value {
        let fn = unsafeDowncast(globalCallee!.object, to: PyFunction.self)
        if let p = plan(for: fn, receiver: false), let v = try callPlanned(fn, p, nil, f) { return v }
        globalKind = 0; globalCallee = nil; globalBox = nil
        return try evalGeneral(f)
    }

    /// `C(args)` for a user class without a metaclass that `construct` does not make (kind 9: a builtin type's
    /// subclass, an exception, a class with a `__new__` or a builtin `__init__`): the class's own construction
    /// (`Interpreter.instantiate`, which keeps its plan under the class's version tag), without looking again at
    /// what the name holds.
    @inline(never)
    private func instantiateGlobal(_ f: Frame) throws -> Value {
        let (pos, kw) = try evalArgs(f)
        return try globalCallee!._withUnsafeGuaranteedRef { c in
            try f.interpRef._withUnsafeGuaranteedRef { try $0.instantiate(unsafeDowncast(c, to: PyClass.self), pos, kw) }
        }
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
        let r: Value
        if simple && initFn._withUnsafeGuaranteedRef({ $0.code.simpleArity }) == args.count + 1 {
            r = try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethodDirect(initFn.object, inst, argBuf, f) }
        } else if let p = plan(for: initFn.object, receiver: true), let v = try callPlanned(initFn.object, p, inst, f) {
            r = v
        } else {
            globalKind = 0; globalCallee = nil; globalBox = nil; initFunction = nil
            return try evalGeneral(f)
        }
        if !r.isNone {
            throw f.interp.typeError("__init__() should return None, not '\(f.interp.typeName(r))'")
        }
        return inst
    }

    /// Whether instances of `c` are made exactly as `construct` makes them (object's `__new__`, no builtin base,
    /// not an exception) with a Python `__init__` taking this call's arguments; that `__init__`, else nil.
    private func plainInit(of c: PyClass, _ interp: Interpreter) -> PyFunction? {
        guard c.native == nil, !c.isException,
              !c.mro.contains(where: { $0 !== interp.objectClass && $0.native != nil }),
              case .obj(let newFn)? = c.lookup("__new__"), case .obj(let objectNew)? = interp.objectClass.lookup("__new__"),
              newFn === objectNew,
              c.meta.map({ interp.userMetaCall($0) == nil }) ?? true,
              case .obj(let ini as PyFunction)? = c.lookup("__init__"),
              simple && ini.code.simpleArity == args.count + 1 || plan(for: ini, receiver: true)?.fits(ini) == true
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
    /// A list's `append` (2), `pop` (3) or `insert` (4) with this site's arguments, inline; nil when the site's
    /// arguments do not fit the method (the general call then raises CPython's error). Errors of the values
    /// (an index out of range, not an int) are raised by the method itself.
    @inline(__always)
    private func callListOp(_ l: PyList, _ op: UInt8, _ f: Frame) throws -> Value? {
        guard simple else { return nil }
        switch op {
        case 2:
            guard args.count == 1 else { return nil }
            l.items.append(try evalChild(arg0Ref!, f))
            return Value.none
        case 3:
            guard args.count <= 1 else { return nil }
            if arg0Ref == nil {
                if l.items.isEmpty { throw f.interp.err("IndexError", "pop from empty list") }
                return l.items.removeLast()
            }
            let iv = try evalChild(arg0Ref!, f)
            let n = l.items.count
            if case .int(let i) = iv, n > 0 {
                let j = i < 0 ? i + n : i
                if j >= 0 && j < n { return j == n - 1 ? l.items.removeLast() : l.items.remove(at: j) }
            }
            return try f.interp.listMethod(l, "pop", [iv], [])
        case 4:
            guard args.count == 2 else { return nil }
            let iv = try evalChild(arg0Ref!, f)
            let x = try evalChild(arg1Ref!, f)
            guard case .int(var i) = iv else { return try f.interp.listMethod(l, "insert", [iv, x], []) }
            let n = l.items.count
            if i < 0 { i = max(0, i + n) }
            l.items.insert(x, at: min(i, n))
            return Value.none
        case 5:
            guard args.count == 1 else { return nil }
            try f.interp.listRemove(l, try evalChild(arg0Ref!, f))
            return Value.none
        default:
            return nil
        }
    }
    /// `isinstance(x, T)` (kind 8) with the builtin unchanged: both arguments evaluated in order, no argument
    /// array; a tuple or a bad second argument goes through the builtin's own check.
    @inline(never)
    private func callIsInstance(_ f: Frame) throws -> Value {
        let v = try evalChild(arg0Ref!, f)
        let t = try evalChild(arg1Ref!, f)
        return try f.interpRef._withUnsafeGuaranteedRef { i in
            if case .obj(let o) = t, let c = o as? PyClass { return .bool(i.isInstance(v, c)) }
            return .bool(try i.isInstanceOf(v, t))
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
            let plainFunction: Bool
            if case .obj(let m as PyFunction) = v, m.code.simpleArity == args.count + 1 { plainFunction = true } else { plainFunction = false }
            // `super().__init__()` reaching object's, which does nothing
            let objectInit = name == "__init__" && args.isEmpty && c === f.interp.objectClass
            if plainFunction || objectInit {
                sup.owner = ObjectIdentifier(fn)
                sup.selfClass = ObjectIdentifier(inst.cls)
                sup.version = inst.cls.version
                sup.startClass = ObjectIdentifier(so.cls)
                sup.method = nil
                sup.objectInit = objectInit
                if plainFunction, case .obj(let m as PyFunction) = v { sup.method = .passUnretained(m) }
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
            a._withUnsafeGuaranteedRef { $0.fillLoad(inst, f) }
            e = a._withUnsafeGuaranteedRef { $0.loads.find(inst) }
        }
        if let e {
            // copied out before the arguments run: they may call back into this site and change its cache
            let kind = e.pointee.kind
            if kind == .baseMethod, let b = inst.payload as? BuiltinBase {
                // `coll.append(x)` / `coll.pop(0)` on a list subclass's instance: the list's own fast operations
                if hotMethod >= 2 && hotMethod <= 5, case .list(let l) = b.value, let r = try callListOp(l, hotMethod, f) { return r }
                let (pos, kw) = try evalArgs(f)
                return try f.interpRef._withUnsafeGuaranteedRef { try $0.callNativeMethod(b.value, attr!.name, pos, kw) }
            }
            let callee = kind == .instanceSlot ? inst.slots[e.pointee.index] : e.pointee.value
            if kind == .builtinMethod, case .obj(let bo) = callee {
                let b = unsafeDowncast(bo, to: PyBuiltin.self)
                let (pos, kw) = try evalArgs(f)
                return try f.interpRef._withUnsafeGuaranteedRef { try b.fn($0, [recv] + pos, kw) }
            }
            if kind == .method, case .obj(let fo) = callee {
                let fn = unsafeDowncast(fo, to: PyFunction.self)
                if simple && fn.code.simpleArity == args.count + 1 {
                    return try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethodDirect(fn, recv, argBuf, f) }
                }
                if let p = plan(for: fn, receiver: true), let v = try callPlanned(fn, p, recv, f) { return v }
                let (pos, kw) = try evalArgs(f)
                return try f.interpRef._withUnsafeGuaranteedRef { try $0.callFunction(fn, [recv] + pos, kw) }
            }
            let (pos, kw) = try evalArgs(f)
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.call(callee, pos, kw) }
        }
        let (pos, kw) = try evalArgs(f)
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethod(recv, attr!.name, pos, kw) }
    }

    /// The function `Cls.name` names when it is a classmethod, a staticmethod or a plain function of the class
    /// (looked up once per class version tag), nil otherwise (a metaclass's attribute, a callable object).
    private func classFunction(_ c: PyClass) -> PyFunction? {
        if let seen = classCallee, seen === c, c.version == classCalleeVersion { return classCalleeFunction }
        guard c.meta == nil else { return nil }
        var fn: PyFunction?
        var takesClass = false
        switch c.lookup(attr!.name) {
        case .obj(let m as PyClassMethod)?: if case .obj(let x as PyFunction) = m.fn { fn = x; takesClass = true }
        case .obj(let m as PyStaticMethod)?: if case .obj(let x as PyFunction) = m.fn { fn = x }
        case .obj(let x as PyFunction)?: fn = x
        default: break
        }
        classCallee = c
        classCalleeVersion = c.version
        classCalleeFunction = fn
        classCalleeTakesClass = takesClass
        return fn
    }

    /// `Cls.name(args)` with `name` a function of the class: a classmethod gets the class in its first slot; no
    /// bound method is made.
    private func callClassFunction(_ fn: PyFunction, _ cls: Value, _ f: Frame) throws -> Value {
        if classCalleeTakesClass {
            if simple && fn.code.simpleArity == args.count + 1 {
                return try f.interpRef._withUnsafeGuaranteedRef { try $0.callMethodDirect(fn, cls, argBuf, f) }
            }
            if let p = plan(for: fn, receiver: true), let v = try callPlanned(fn, p, cls, f) { return v }
            let (pos, kw) = try evalArgs(f)
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.callFunction(fn, [cls] + pos, kw) }
        }
        if simple && fn.code.simpleArity == args.count { return try f.interp.callDirect(fn, argBuf, f) }
        if let p = plan(for: fn, receiver: false), let v = try callPlanned(fn, p, nil, f) { return v }
        let (pos, kw) = try evalArgs(f)
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.callFunction(fn, pos, kw) }
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
               sup.version == inst.cls.version, try sup.sameStart(f) {
                // `super().name(args)` as cached: the instance in the method's first slot, no super object
                if let m = sup.method {
                    return try f.interpRef._withUnsafeGuaranteedRef {
                        try $0.callMethodDirect(m.object, .obj(inst), argBuf, f)
                    }
                }
                if sup.objectInit { return .none }
            }
            let recv = try evalChild(recvRef!, f)
            if let sup = superCall, simple, case .obj(let so as PySuper) = recv { cacheSuperMethod(sup, so, f) }
            if case .obj(let o) = recv, let inst = o as? PyInstance {
                return try callInstanceMethod(inst, recv, f)
            }
            if case .obj(let o) = recv, let c = o as? PyClass, let fn = classFunction(c) {
                return try callClassFunction(fn, recv, f)
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
                case .list(let l) where hotMethod >= 2 && hotMethod <= 5: return try callListOp(l, hotMethod, f)!
                case .obj(let o) where hotMethod == 6 && type(of: o) == PySet.self:
                    // `s.add(x)` on a set (a frozenset has no add: the general path raises)
                    let s = unsafeDowncast(o, to: PySet.self)
                    guard !s.frozen else { break }
                    let x = try evalChild(arg0Ref!, f)
                    if !x.isIntOrStr { try f.checkHashable(x) }
                    s.add(x)
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
        if introspects, case .obj(let b as PyBuiltin) = callee, case .obj(let real)? = f.interp.builtins[b.name], real === b {
            return f.interp.frameNames(f, b.name)
        }
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
        if case .obj(let o) = callee, let pf = o as? PyFunction, let p = plan(for: pf, receiver: false) {
            if let n = fnName, n.ref.tag == 2, let box = n.ref.box, case .obj(let held)? = box.value, held === pf {
                // as kind 3: the box owns the function while its version is unchanged
                globalCallee = Unmanaged.passUnretained(pf)
                globalKind = 7
                globalBox = Unmanaged.passUnretained(box)
                globalVersion = box.version
            }
            if let v = try callPlanned(pf, p, nil, f) { return v }
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
        if let n = fnName, n.ref.tag == 2, let box = n.ref.box, case .obj(let c as PyClass)? = box.value,
           case .obj(let o) = callee, o === c, c.native == nil, c.meta == nil {
            // kind 9: the box owns the class while its version is unchanged
            globalCallee = Unmanaged.passUnretained(c)
            globalKind = 9
            globalBox = Unmanaged.passUnretained(box)
            globalVersion = box.version
            let (pos, kw) = try evalArgs(f)
            return try f.interpRef._withUnsafeGuaranteedRef { try $0.instantiate(c, pos, kw) }
        }
        if !introspects, let n = fnName, n.ref.tag == 2, let box = n.ref.box, box.value == nil, case .obj(let o) = callee {
            // the builtin is held by the interpreter's builtins table (which never changes after start-up)
            if let b = o as? PyBuiltin, b.selfValue == nil {
                globalCallee = Unmanaged.passUnretained(b)
                // `len(x)`: what the builtin does, without an argument array
                if simple && args.count == 1, case .obj(let l)? = f.interp.builtins["len"], l === b { globalKind = 5 }
                else if simple && args.count == 2, case .obj(let l)? = f.interp.builtins["isinstance"], l === b {
                    globalKind = 8
                } else { globalKind = 1 }
                globalBox = Unmanaged.passUnretained(box)
                globalVersion = box.version
            } else if let c = o as? PyClass, c.native != nil {
                globalCallee = Unmanaged.passUnretained(c)
                // `str(x)`: what the type's native constructor does with one positional argument
                globalKind = simple && args.count == 1 && c === f.interp.typeClasses["str"] ? 4 : 2
                globalBox = Unmanaged.passUnretained(box)
                globalVersion = box.version
            }
        } else if let n = fnName, n.ref.tag == 2, let box = n.ref.box, case .obj(let held as PyBuiltin)? = box.value,
                  case .obj(let o) = callee, o === held, held.selfValue == nil {
            // a module global holding a native function (`from math import sqrt`): the box owns it while its
            // version is unchanged, as for a user function (kind 3)
            globalCallee = Unmanaged.passUnretained(held)
            globalKind = 1
            globalBox = Unmanaged.passUnretained(box)
            globalVersion = box.version
        }
        if case .obj(let o) = callee, let m = o as? PyNativeMethod, m.listOp != 0, case .list(let l) = m.receiver,
           let r = try callListOp(l, m.listOp, f) {
            return r
        }
        if simple, case .obj(let o) = callee, let b = o as? PyBuiltin, let recv = b.selfValue {
            // a bound native method kept in a variable (`pop = items.pop`): the receiver and the arguments in
            // one array, not the arguments and then the receiver prepended to a copy
            var all: [Value] = []
            all.reserveCapacity(argBuf.count + 1)
            all.append(recv)
            for i in 0..<argBuf.count { all.append(try evalChild(argBuf.base[i], f)) }
            return try f.interpRef._withUnsafeGuaranteedRef { try b.fn($0, all, []) }
        }
        let (pos, kw) = try evalArgs(f)
        return try f.interpRef._withUnsafeGuaranteedRef { try $0.call(callee, pos, kw) }
    }
}

/// `super()` with no arguments: the defining class of the running function and its first argument; or
/// `super(C, obj)` with both arguments names (`super(Variable, self).__init__()`).
final class SuperExpr: Expr {
    /// The explicit form's arguments, nil for `super()`.
    let explicitClass: Expr?, explicitObject: Expr?
    init(line: Int, explicitClass: Expr? = nil, explicitObject: Expr? = nil) {
        self.explicitClass = explicitClass; self.explicitObject = explicitObject
        super.init(line: line)
    }
    /// The class the search started after when the cache below was filled (for the explicit form, which may
    /// name another class than the function's own).
    @exclusivity(unchecked) var startClass: ObjectIdentifier?
    /// The cached name is `__init__` found on `object` and called without arguments: nothing to do.
    @exclusivity(unchecked) var objectInit = false
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
        if let o = explicitObject, (o as? Name)?.localSlot() != 0 { return nil }
        guard let fn = f.fn, fn.code.simpleArity > 0, !fn.code.hasCellParams,
              case .obj(let o) = f.slots[0], let inst = o as? PyInstance else { return nil }
        return inst
    }

    /// For the explicit form: whether its class argument (a name: nothing runs) is the class the cache was filled
    /// for. The form without arguments always starts at the function's own class.
    @inline(__always)
    func sameStart(_ f: Frame) throws -> Bool {
        guard let ce = explicitClass else { return true }
        guard case .obj(let c) = try ce.eval(f) else { return false }
        return ObjectIdentifier(c) == startClass
    }

    override func eval(_ f: Frame) throws -> Value {
        if let ce = explicitClass, let oe = explicitObject {
            let c = try ce.eval(f)
            let o = try oe.eval(f)
            guard case .obj(let cls as PyClass) = c else {
                throw f.interp.typeError("super() argument 1 must be a type, not \(f.interp.typeName(c))")
            }
            return .obj(PySuper(cls, o))
        }
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
