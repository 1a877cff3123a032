// Calls: binding arguments to a function's slots, the direct and recycled-frame paths, bound methods, native
// functions, and calling any value. Mirrors CPython's `Objects/call.c` and `Python/ceval.c`'s call paths.
import CShim
import CPyLib
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    public func call(_ callee: Value, _ args: [Value], _ kw: [(String, Value)] = []) throws -> Value {
        guard case .obj(let o) = callee else { throw typeError("'\(typeName(callee))' object is not callable") }
        if let fn = o as? PyFunction { return try callFunction(fn, args, kw) }
        if let b = o as? PyBuiltin {
            if let s = b.selfValue { return try b.fn(self, [s] + args, kw) }
            return try b.fn(self, args, kw)
        }
        if let m = o as? PyBoundMethod {
            if case .obj(let fn as PyFunction) = m.fn { return try callFunction(fn, [m.receiver] + args, kw) }
            return try call(m.fn, [m.receiver] + args, kw)
        }
        if let m = o as? PyNativeMethod { return try callNativeMethod(m.receiver, m.name, args, kw) }
        if let c = o as? PyClass {
            if let m = c.meta, let mc = userMetaCall(m) { return try callBound(mc, callee, args, kw) }
            return try instantiate(c, args, kw)
        }
        if let i = o as? PyInstance, let f = i.cls.lookup("__call__") {
            return try callBound(f, .obj(i), args, kw)
        }
        throw typeError("'\(typeName(callee))' object is not callable")
    }

    /// Calls a function found on a class with `recv` as its first argument.
    func callBound(_ f: Value, _ recv: Value, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        switch f {
        case .obj(let fn as PyFunction): return try callFunction(fn, [recv] + args, kw)
        case .obj(let sm as PyStaticMethod): return try call(sm.fn, args, kw)
        case .obj(let cm as PyClassMethod):
            if case .obj(let c as PyClass) = recv { return try call(cm.fn, [.obj(c)] + args, kw) }
            return try call(cm.fn, [.obj(typeOf(recv))] + args, kw)
        case .obj(let b as PyBuiltin): return try b.fn(self, [recv] + args, kw)
        default: return try call(f, args, kw)
        }
    }

    func instantiate(_ c: PyClass, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        if let n = c.native { return try n(self, args, kw) }
        if c.construction.version != c.version { planConstruction(c) }
        // a metaclass (a user class deriving from `type`): a new class
        if c.construction.metaclass { return try instantiateMetaclass(c, args, kw) }
        // a `__new__` written in Python (a user class deriving from a builtin type other than object/exceptions)
        if let fnv = c.construction.userNew {
            let inst = try call(fnv, [.obj(c)] + args, kw)
            if case .obj(let i as PyInstance) = inst, i.cls.isSubclass(of: c), let ini = c.lookup("__init__"), case .obj(let f as PyFunction) = ini {
                _ = try callFunction(f, [inst] + args, kw)
            }
            return inst
        }
        let inst = PyInstance(c)
        if c.isException { inst.dict["args"] = .tuple(PyTuple(args)) }
        let initializer = c.construction.initializer
        if let base = c.construction.base {
            // a user subclass of a builtin type keeps the builtin value inside the instance
            let mutable = c.construction.mutable
            inst.payload = BuiltinBase(try base.native!(self, mutable ? [] : args, mutable ? [] : kw))
            if let ini = initializer {
                if case .obj(let f as PyFunction) = ini {
                    _ = try callFunction(f, [.obj(inst)] + args, kw)
                } else if mutable, case .obj(let b as PyBuiltin) = ini,
                          !(args.isEmpty && kw.isEmpty && c.construction.initializerIsBaseOwn) {
                    _ = try b.fn(self, [.obj(inst)] + args, kw)
                }
            }
            return .obj(inst)
        }
        if let ini = initializer {
            switch ini {
            case .obj(let f as PyFunction):
                let r = try callFunction(f, [.obj(inst)] + args, kw)
                if !r.isNone { throw typeError("__init__() should return None, not '\(typeName(r))'") }
            case .obj(let b as PyBuiltin): _ = try b.fn(self, [.obj(inst)] + args, kw)
            default: break
            }
        } else if !args.isEmpty || !kw.isEmpty {
            throw typeError("\(c.name)() takes no arguments")
        }
        return .obj(inst)
    }

    /// Works out `c.construction` at the class's current version tag.
    @inline(never)
    private func planConstruction(_ c: PyClass) {
        var p = ConstructionPlan()
        p.version = c.version
        p.metaclass = c.meta == nil && c.mro.count > 2 && c.mro.contains(where: { $0 === typeClass })
        if let newFn = c.lookup("__new__"), case .obj(let nf) = newFn, nf is PyFunction || nf is PyStaticMethod,
           !(objectClass.lookup("__new__").map { identical($0, newFn) } ?? false) {
            p.userNew = (nf as? PyStaticMethod)?.fn ?? newFn
        }
        p.base = c.mro.first(where: { $0 !== objectClass && $0.native != nil && typeClasses[$0.name] === $0 })
        p.mutable = p.base.map { ["list", "dict", "set", "bytearray"].contains($0.name) } ?? false
        p.initializer = c.lookup("__init__")
        if let base = p.base, let own = base.dict["__init__"], let ini = p.initializer { p.initializerIsBaseOwn = identical(own, ini) }
        c.construction = p
    }

    func argCountError(_ code: FuncCode, _ qual: String, given: Int) -> PyException {
        let np = code.params.count
        let withDefaults = code.params.count
        _ = withDefaults
        let s = np == 1 ? "" : "s"
        return typeError("\(qual)() takes \(np) positional argument\(s) but \(given) \(given == 1 ? "was" : "were") given")
    }

    /// The fast path of a call with exactly the positional parameters: arguments are evaluated straight into the
    /// new frame's slots, with no argument array.
    func callDirect(_ fn: PyFunction, _ args: RefBuffer<Expr>, _ caller: Frame) throws -> Value {
        let code = fn.code
        let f = frame(for: fn, code)
        // the call node owns its argument nodes: evaluate them without retaining each one; parameter slots of a
        // frame from `frame(for:)` hold None (nothing to release), so the value is moved in, not assigned
        for i in 0..<args.count { (f.slots + i).initialize(to: try evalChild(args.base[i], caller)) }
        return try runDirect(fn, code, f)
    }

    /// `recv.method(args)` where the method is the class's function `fn` taking exactly the receiver and the
    /// arguments: as `callDirect`, the receiver in the first slot; no bound method, no argument array.
    func callMethodDirect(_ fn: PyFunction, _ recv: Value, _ args: RefBuffer<Expr>, _ caller: Frame) throws -> Value {
        let code = fn.code
        let f = frame(for: fn, code)
        f.slots.initialize(to: recv)
        for i in 0..<args.count { (f.slots + 1 + i).initialize(to: try evalChild(args.base[i], caller)) }
        return try runDirect(fn, code, f)
    }

    /// Runs a frame whose parameter slots `callDirect` or `callMethodDirect` filled.
    @inline(__always)
    func runDirect(_ fn: PyFunction, _ code: FuncCode, _ f: consuming Frame) throws -> Value {
        if code.hasCellParams { for (s, c) in code.cellParams { f.cells[c].value = f.slots[s] } }
        // the depth is bounded by the recursion limit, so it cannot overflow: no checked arithmetic
        callDepth &+= 1
        defer { callDepth &-= 1 }
        if callDepth > recursionLimit || cshim_coro_stack_pointer() < stackLimit { try callLimitReached() }
        try checkInterrupt()  // a recursion with no loop in it still ends on Ctrl-C (and within a loop budget)
        // the same tail as `callFunction`, written out here on purpose: one shared helper taking the frame
        // borrowed (this one consumes it) measured 22% slower on richards, 15% on float
        f.line = code.firstLine
        do {
            var r = Value.none
            if try runBlock(code.bodyBuf, f) == .ret { swap(&r, &f.ret) }
            recycle(f, code)
            return r
        } catch let e as PyException {
            e.exc.traceback.append((code.file, f.line, code.name))
            throw e
        }
    }

    @inline(never)
    func recursionError() -> PyException { err("RecursionError", "maximum recursion depth exceeded") }

    /// A call found the recursion limit reached or, on a generator's stack, the stack pointer below `stackLimit`.
    @inline(never)
    func callLimitReached() throws {
        if callDepth > recursionLimit { throw recursionError() }
        try runningGenerator?._withUnsafeGuaranteedRef { try $0.stackLimitReached() }
    }

    /// A frame for a call of `fn`: a spare one of its code when there is one (slots all unbound, no cells),
    /// otherwise a new one; with fresh cells when the code has any.
    @inline(__always)
    func frame(for fn: PyFunction, _ code: FuncCode) -> Frame {
        if let spare = code.spareFrames, code.nOwnCells == 0, !fn.hasClosure,
           spare._withUnsafeGuaranteedRef({ $0.interpRef.toOpaque() == Unmanaged.passUnretained(self).toOpaque() }) {
            // the common case, inlined into the callers: a spare frame and no cells; the list's +1 becomes ours
            let f = spare.takeRetainedValue()
            code.spareFrames = f.nextFree
            f.nextFree = nil
            if f.fn !== fn { f.fn = fn; f.module = fn.module }
            return f
        }
        return frameWithCells(for: fn, code)
    }

    /// `frame(for:)` when there is no spare frame or the call needs cells.
    @inline(never)
    func frameWithCells(for fn: PyFunction, _ code: FuncCode) -> Frame {
        let f: Frame
        if let spare = code.spareFrames, spare._withUnsafeGuaranteedRef({ $0.interpRef.toOpaque() == Unmanaged.passUnretained(self).toOpaque() }) {
            f = spare.takeRetainedValue()
            code.spareFrames = f.nextFree
            f.nextFree = nil
            if f.fn !== fn { f.fn = fn; f.module = fn.module }
        } else {
            f = Frame(slots: code.nSlots, cells: [], module: fn.module, interp: self, fn: fn)
            // as a recycled frame's: parameter slots hold None until the binding writes them
            for i in 0..<min(code.nParamSlots, code.nSlots) { f.slots[i] = .none }
        }
        if code.nOwnCells == 0 {
            // only free variables (a closure's body, a lambda): the function's own cell array, shared, not copied
            if fn.hasClosure { f.cells = fn.closure }
        } else {
            var cells: [Cell] = []
            cells.reserveCapacity(code.nOwnCells + fn.closure.count)
            for _ in 0..<code.nOwnCells { cells.append(Cell()) }
            cells.append(contentsOf: fn.closure)
            f.cells = cells
        }
        return f
    }

    /// Gives a finished call's frame back to its code for the next call, unless something still holds it (a
    /// generator or a generator expression made in the call): its locals are released now, as CPython's are.
    /// The frame is consumed: the spare list takes over the caller's reference, with no retain and release.
    @inline(__always)
    func recycle(_ frame: consuming Frame, _ code: FuncCode) {
        var f = frame
        // a generator's frame is held by the generator, so it is never unique here
        guard isKnownUniquelyReferenced(&f) else { return }
        f.resetLocals(parameters: code.nParamSlots)
        // a function with cells can be in a cycle through them, which a spare frame holding it would keep alive
        // (the cycle collector counts the frame's reference as one from outside); functions without cells take
        // the fast path in `frame(for:)`, which keeps the last one
        if !f.cells.isEmpty { f.cells = []; f.fn = nil }
        f.nextFree = code.spareFrames
        code.spareFrames = Unmanaged.passRetained(f)
    }

    public func callFunction(_ fn: PyFunction, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        let code = fn.code
        callDepth &+= 1
        defer { callDepth &-= 1 }
        if callDepth > recursionLimit || cshim_coro_stack_pointer() < stackLimit { try callLimitReached() }
        try checkInterrupt()  // a recursion with no loop in it still ends on Ctrl-C (and within a loop budget)
        let f = frame(for: fn, code)
        let np = code.params.count
        if kw.isEmpty && args.count == np && code.varargs == nil && code.kwargs == nil && code.kwOnly.isEmpty {
            for i in 0..<np { f.slots[i] = args[i] }
        } else {
            try bindArgs(fn, f, args, kw)
        }
        for (s, c) in code.cellParams { f.cells[c].value = f.slots[s] }
        if code.isGenerator { return .obj(makeGenerator(f, code)) }
        f.line = code.firstLine
        do {
            var r = Value.none
            if try runBlock(code.bodyBuf, f) == .ret { swap(&r, &f.ret) }
            recycle(f, code)
            return r
        } catch let e as PyException {
            e.exc.traceback.append((code.file, f.line, code.name))
            throw e
        }
    }

    /// `fn` called with one positional argument many times over (`RepeatedCall`), or nil when the function needs
    /// more than that path does: `callFunction` calls it.
    func repeatedCall(_ fn: PyFunction) -> RepeatedCall? {
        let code = fn.code
        // one positional parameter (a default for it is never used); no cells to make or fill, not a generator;
        // room for one more call (else the general path raises RecursionError)
        guard code.simpleArity == 1, code.nOwnCells == 0, !code.hasCellParams, !fn.hasClosure,
              callDepth < recursionLimit else { return nil }
        return RepeatedCall(fn, code, frame(for: fn, code), self)
    }

    func bindArgs(_ fn: PyFunction, _ f: Frame, _ args: [Value], _ kw: [(String, Value)]) throws {
        let code = fn.code
        let np = code.params.count
        let qual = code.isLambda ? "<lambda>" : fn.qualname
        var set = [Bool](repeating: false, count: np + code.kwOnly.count)
        let nPos = min(args.count, np)
        for i in 0..<nPos { f.slots[i] = args[i]; set[i] = true }
        var slot = np + code.kwOnly.count
        if let _ = code.varargs {
            f.slots[slot] = .tuple(args.count > np ? PyTuple(Array(args[np...])) : PyTuple.empty)
            slot += 1
        } else if args.count > np {
            let required = np - fn.defaults.count
            if fn.defaults.isEmpty {
                throw typeError("\(qual)() takes \(np) positional argument\(np == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given")
            }
            throw typeError("\(qual)() takes from \(required) to \(np) positional arguments but \(args.count) \(args.count == 1 ? "was" : "were") given")
        }
        var kwd: PyDict? = nil
        if code.kwargs != nil { kwd = PyDict(); f.slots[slot] = .dict(kwd!) }
        for (k, v) in kw {
            if let i = code.params.firstIndex(of: k) {
                if set[i] { throw typeError("\(qual)() got multiple values for argument '\(k)'") }
                f.slots[i] = v; set[i] = true
            } else if let i = code.kwOnly.firstIndex(of: k) {
                f.slots[np + i] = v; set[np + i] = true
            } else if let d = kwd {
                d.set(.str(k), v)
            } else {
                throw typeError("\(qual)() got an unexpected keyword argument '\(k)'")
            }
        }
        let firstDefault = np - fn.defaults.count
        var missing: [String] = []
        for i in 0..<np where !set[i] {
            if i >= firstDefault { f.slots[i] = fn.defaults[i - firstDefault] } else { missing.append(code.params[i]) }
        }
        if !missing.isEmpty {
            throw typeError("\(qual)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(joinNames(missing))")
        }
        for (j, n) in code.kwOnly.enumerated() where !set[np + j] {
            if let d = fn.kwDefaults[n] { f.slots[np + j] = d } else { missing.append(n) }
        }
        if !missing.isEmpty {
            throw typeError("\(qual)() missing \(missing.count) required keyword-only argument\(missing.count == 1 ? "" : "s"): \(joinNames(missing))")
        }
    }

    func joinNames(_ n: [String]) -> String {
        let q = n.map { "'\($0)'" }
        if q.count == 1 { return q[0] }
        if q.count == 2 { return q[0] + " and " + q[1] }
        return q.dropLast().joined(separator: ", ") + ", and " + q.last!
    }

    /// `recv.name(args)` without allocating a bound method when possible.
    public func callMethod(_ recv: Value, _ name: String, _ args: [Value], _ kw: [(String, Value)]) throws -> Value {
        switch recv {
        case .obj(let o):
            if let i = o as? PyInstance {
                if let v = i.dict[name] { return try call(v, args, kw) }
                if let f = i.cls.lookup(name) {
                    if case .obj(let p as PyProperty) = f { return try call(try call(p.getter, [recv], []), args, kw) }
                    if case .obj(let fo) = f, fo is PyFunction || fo is PyStaticMethod || fo is PyClassMethod || fo is PyBuiltin {
                        return try callBound(f, recv, args, kw)
                    }
                    return try call(f, args, kw)
                }
                if let b = i.payload as? BuiltinBase {
                    // the built-in base's method; a name it lacks goes to the class's __getattr__, or is an
                    // AttributeError naming the class
                    do {
                        return try callNativeMethod(b.value, name, args, kw)
                    } catch let e as PyException where e.exc.cls.name == "AttributeError" && (try? getAttr(b.value, name)) == nil {
                        if i.cls.lookup(.getattr) == nil {
                            throw err("AttributeError", "'\(i.cls.name)' object has no attribute '\(name)'")
                        }
                        return try call(try getAttr(recv, name), args, kw)
                    }
                }
                if i.payload != nil || i.cls.isException {
                    return try call(try getAttr(recv, name), args, kw)
                }
                return try call(try getAttr(recv, name), args, kw)
            }
            if o is PyModule || o is PyClass || o is PySuper || o is PyFunction {
                return try call(try getAttr(recv, name), args, kw)
            }
            return try callNativeMethod(recv, name, args, kw)
        default:
            return try callNativeMethod(recv, name, args, kw)
        }
    }
}

/// One user function called with one positional argument many times over: the items of a pool worker's map
/// chunk. What `callFunction` decides on every call — how to bind the arguments, whether there are cells to fill,
/// whether the call makes a generator — `Interpreter.repeatedCall` decides once, and one frame serves every call:
/// the argument is moved into its slot, the body run, and the locals reset as `Interpreter.recycle` resets a
/// spare frame. A frame that something still holds after a call (a generator expression made in it) is left to
/// its holder and a fresh one taken. The calls count one level of `callDepth` from the first to the last, which
/// is what each of them would count while it runs. The frame goes back to its code's spares when this goes away.
final class RepeatedCall {
    private let fn: PyFunction
    private let code: FuncCode
    /// Held +1: read in place on every call, without the retain and release a strong property's read costs.
    private var frame: Unmanaged<Frame>
    /// The interpreter outlives every call it makes.
    private unowned(unsafe) let interp: Interpreter

    fileprivate init(_ fn: PyFunction, _ code: FuncCode, _ frame: Frame, _ interp: Interpreter) {
        self.fn = fn
        self.code = code
        self.frame = .passRetained(frame)
        self.interp = interp
        interp.callDepth &+= 1
    }

    deinit {
        interp.callDepth &-= 1
        interp.recycle(frame.takeRetainedValue(), code)
    }

    /// `fn(argument)`, as `Interpreter.callFunction` would make it.
    @inline(__always)
    func call(_ argument: Value) throws -> Value {
        defer { reset() }
        return try frame._withUnsafeGuaranteedRef { f in
            // the parameter slot holds None between calls (nothing to release): the argument is moved in
            f.slots.initialize(to: argument)
            f.line = code.firstLine
            do {
                var r = Value.none
                if try runBlock(code.bodyBuf, f) == .ret { swap(&r, &f.ret) }
                return r
            } catch {
                f.ret = .none
                if let e = error as? PyException { e.exc.traceback.append((code.file, f.line, code.name)) }
                throw error
            }
        }
    }

    /// Makes the frame ready for the next call: the parameter slot None, every other local unbound.
    @inline(__always)
    private func reset() {
        var f = frame.takeRetainedValue()
        if isKnownUniquelyReferenced(&f) {
            f.resetLocals(parameters: 1)
            frame = .passRetained(f)
        } else {
            frame = .passRetained(interp.frame(for: fn, code))
        }
    }
}
