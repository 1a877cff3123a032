// The interpreter: calls, attributes, operators, iteration and the exception machinery.
// Mirrors CPython's `Objects/abstract.c`, `Objects/typeobject.c` and `Python/ceval.c` call paths.
import CShim
import CPyLib
#if canImport(Glibc)
import Glibc
#endif

/// A Python exception travelling through Swift frames.
public struct PyException: Error, @unchecked Sendable {
    public let exc: PyInstance
    init(_ e: PyInstance) { exc = e }
}

/// Thrown by `sys.exit` / `SystemExit` reaching the top level.
public struct ExitRequest: Error { public let code: Int32 }

public final class Interpreter {
    @exclusivity(unchecked) public var builtins: [String: Value] = [:]
    @exclusivity(unchecked) var modules: [String: Value] = [:]
    /// Native modules not yet imported: name → builder. A later layer (multiprocessing) registers here.
    var nativeModules: [String: (Interpreter) throws -> PyModule] = [:]
    @exclusivity(unchecked) var excClasses: [String: PyClass] = [:]
    @exclusivity(unchecked) var typeClasses: [String: PyClass] = [:]
    @exclusivity(unchecked) var objectClass: PyClass!
    /// `type`, the metaclass of every class that has no other (see Classes.swift).
    @exclusivity(unchecked) var typeClass: PyClass!
    /// The classes of the Value cases other than `.obj` (`typeOf`): NoneType, bool, int, float, str, list, tuple,
    /// dict, set once the builtin types exist.
    @exclusivity(unchecked) var valueTypes: [PyClass] = []
    @exclusivity(unchecked) var functionType: PyClass!
    @exclusivity(unchecked) var handling: PyInstance?
    @exclusivity(unchecked) var callDepth = 0
    @exclusivity(unchecked) public var recursionLimit = 1000
    /// While a generator runs on its own stack, the lowest stack pointer a call may have before
    /// `stackLimitReached` (see Generator.swift); 0 on the thread's stack, which is sized for the recursion limit.
    @exclusivity(unchecked) var stackLimit: UInt = 0
    /// The generator whose stack the evaluator is on (nil: the thread's stack).
    @exclusivity(unchecked) var runningGenerator: Unmanaged<GeneratorState>?
    public var argv: [String] = []
    public var mainFile = "<stdin>"
    var out: PyFile
    var errf: PyFile
    /// The files `open()` made for writing, to flush at the program's end (see `flushOpenFiles`).
    var openFiles: [OpenFile] = []
    var openFilesPruneAt = 16
    var stdinFile: PyFile
    @exclusivity(unchecked) var interrupted = false
    @exclusivity(unchecked) var loopBudget: Int?
    let rng = SplitMix(seed: 0x5EED)
    /// `String(i)` for 0 ..< 256, for `str()` (each is a small, inline string: nothing to allocate). A property
    /// rather than a global, whose every read would go through a lazy-initialisation call.
    let smallIntStrings: [String] = (0..<256).map { String($0) }
    var sources: [String: [String]] = [:]
    var regexCache: [String: RegexPayload] = [:]
    var matchClass: PyClass?
    /// Function codes by compiled file, in parse order (the identity functions travel by), and the reverse map.
    var codeTable: [String: [FuncCode]] = [:]
    var codeIndex: [ObjectIdentifier: (String, Int)] = [:]
    /// Per-interpreter state of the layers that plug in native modules (the multiprocessing binding's is here).
    var layerState: [String: AnyObject] = [:]
    /// Run in a child process right after fork, before any program code: what CPython's
    /// `os.register_at_fork(after_in_child=…)` hooks do (the random module reseeds, as CPython's does).
    var afterForkInChildHooks: [() -> Void] = []
    /// Work other threads queue for the interpreter's thread (the callbacks of a pool's finished results), set by
    /// the multiprocessing layer once a pool or executor exists: `time.sleep` runs it as it arrives, as CPython's
    /// pool threads run callbacks while the main thread sleeps (`while len(done) < n: time.sleep(0.1)` ends).
    var queuedWork: (pending: () -> Bool, run: () throws -> Void)?

    /// Runs the after-fork hooks; the multiprocessing layer calls it first thing in every forked child.
    public func afterForkInChild() { for hook in afterForkInChildHooks { hook() } }

    public init() {
        out = PyFile(fd: 1, name: "<stdout>", writable: true)
        errf = PyFile(fd: 2, name: "<stderr>", writable: true)
        stdinFile = PyFile(fd: 0, name: "<stdin>", writable: false)
        rng.state = UInt64(UInt(bitPattern: Int(clockNanos())))
        setupTypes()
        setupBuiltins()
        installClassProtocol()
        valueTypes = ["NoneType", "bool", "int", "float", "str", "list", "tuple", "dict"].map { typeClasses[$0]! }
        functionType = typeClasses["function"]
        currentInterpreter = self
        registerStandardModules()
    }

    // MARK: errors

    func excClass(_ name: String) -> PyClass { excClasses[name] ?? excClasses["Exception"]! }

    /// Builds a Python exception of a builtin type, ready to throw.
    public func err(_ type: String, _ msg: String?) -> PyException {
        let inst = PyInstance(excClass(type))
        inst.dict["args"] = .tuple(msg.map { PyTuple([.str($0)]) } ?? PyTuple.empty)
        return PyException(inst)
    }
    func errValue(_ type: String, _ v: Value) -> PyException {
        let inst = PyInstance(excClass(type))
        inst.dict["args"] = .tuple(PyTuple([v]))
        return PyException(inst)
    }

    func typeError(_ msg: String) -> PyException { err("TypeError", msg) }

    /// Raises KeyboardInterrupt when `mpshInterruptPending` was set (by a SIGINT handler) or `interrupt()` was called.
    /// Polled at every loop iteration, at every call of a Python function and in `time.sleep`.
    @inline(__always)
    func checkInterrupt() throws {
        if mpshInterruptPending != 0 || interrupted { try interruptSlowPath() }
    }

    func interruptSlowPath() throws {
        if let b = loopBudget {
            // budget mode keeps the flag raised so every iteration comes here; normal runs never do
            if b <= 0 { throw err("RuntimeError", "loop budget exhausted") }
            loopBudget = b - 1
            if !interrupted { mpshInterruptPending = 1; return }
        }
        mpshInterruptPending = 0
        interrupted = false
        throw err("KeyboardInterrupt", nil)
    }

    /// Limits the number of loop iterations and function calls (all together) before RuntimeError is raised: for
    /// running untrusted or fuzzed programs. nil (the default) means no limit and costs nothing.
    public func setLoopBudget(_ n: Int?) {
        loopBudget = n
        mpshInterruptPending = n == nil ? 0 : 1
    }

    /// Asks the running program to raise KeyboardInterrupt at its next loop iteration.
    public func interrupt() { interrupted = true }

    func makeException(_ v: Value) throws -> PyInstance {
        switch v {
        case .obj(let i as PyInstance) where i.cls.isException: return i
        case .obj(let c as PyClass) where c.isException:
            let r = try call(v, [], [])
            if case .obj(let i as PyInstance) = r { return i }
        default: break
        }
        throw typeError("exceptions must derive from BaseException")
    }

    func exceptionMatches(_ e: PyInstance, _ t: Value) throws -> Bool {
        switch t {
        case .obj(let c as PyClass): return e.cls.isSubclass(of: c)
        case .tuple(let tu): for x in tu.items where try exceptionMatches(e, x) { return true }; return false
        default: throw typeError("catching classes that do not inherit from BaseException is not allowed")
        }
    }

    // MARK: types

    func typeName(_ v: Value) -> String {
        switch v {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigBox: return "int"
        case .float: return "float"
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .obj(let o):
            if let i = o as? PyInstance { return i.cls.name }
            if o === ellipsisObject { return "ellipsis" }
            if let it = o as? PyIterator { return it.kind }
            return o.typeName
        }
    }

    func typeOf(_ v: Value) -> PyClass {
        // the builtin types of the Value cases without a dictionary look-up by name (which hashes the name: 1% of
        // pyperformance's deepcopy, whose dispatch is `type(x)`)
        if valueTypes.count == 8 {  // (not yet while the builtin types are being made)
            switch v {
            case .none: return valueTypes[0]
            case .bool: return valueTypes[1]
            case .int, .bigBox: return valueTypes[2]
            case .float: return valueTypes[3]
            case .str: return valueTypes[4]
            case .list: return valueTypes[5]
            case .tuple: return valueTypes[6]
            case .dict: return valueTypes[7]
            case .obj: break
            }
        }
        if case .obj(let o) = v {
            if let i = o as? PyInstance { return i.cls }
            if o is PyFunction { return functionType ?? typeClasses["function"]! }
            if let c = o as? PyClass, let m = c.meta { return m }
            if let it = o as? PyIterator {
                if let c = typeClasses[it.kind] { return c }
                let c = PyClass(name: it.kind, bases: [objectClass], dict: [:])
                typeClasses[it.kind] = c
                return c
            }
        }
        return typeClasses[typeName(v)] ?? objectClass
    }

    func isInstance(_ v: Value, _ c: PyClass) -> Bool {
        if c === objectClass { return true }
        return typeOf(v).isSubclass(of: c)
    }

    func checkHashable(_ v: Value) throws {
        switch v {
        case .list, .dict: throw typeError("unhashable type: '\(typeName(v))'")
        case .obj(let o):
            if let s = o as? PySet, !s.frozen { throw typeError("unhashable type: 'set'") }
            if let i = o as? PyInstance {
                if case .none? = i.cls.lookup("__hash__") { throw typeError("unhashable type: '\(i.cls.name)'") }
                if i.cls.dict["__eq__"] != nil && i.cls.lookup("__hash__") == nil && i.payload == nil {
                    throw typeError("unhashable type: '\(i.cls.name)'")
                }
            }
        case .tuple(let t): for x in t.items { try checkHashable(x) }
        default: break
        }
    }

    // MARK: calls

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
        // a metaclass (a user class deriving from `type`): a new class
        if c.meta == nil, c.mro.count > 2, c.mro.contains(where: { $0 === typeClass }) {
            return try instantiateMetaclass(c, args, kw)
        }
        // a user class deriving from a builtin type other than object/exceptions: construct via the builtin
        if let newFn = c.lookup("__new__"), case .obj(let nf) = newFn, nf is PyFunction || nf is PyStaticMethod,
           !(objectClass.dict["__new__"].map { identical($0, newFn) } ?? false) {
            let fnv: Value = (nf as? PyStaticMethod)?.fn ?? newFn
            let inst = try call(fnv, [.obj(c)] + args, kw)
            if case .obj(let i as PyInstance) = inst, i.cls.isSubclass(of: c), let ini = c.lookup("__init__"), case .obj(let f as PyFunction) = ini {
                _ = try callFunction(f, [inst] + args, kw)
            }
            return inst
        }
        let inst = PyInstance(c)
        if c.isException { inst.dict["args"] = .tuple(PyTuple(args)) }
        if let base = c.mro.first(where: { $0 !== objectClass && $0.native != nil && typeClasses[$0.name] === $0 }) {
            // a user subclass of a builtin type keeps the builtin value inside the instance
            let mutable = ["list", "dict", "set", "bytearray"].contains(base.name)
            inst.payload = BuiltinBase(try base.native!(self, mutable ? [] : args, mutable ? [] : kw))
            if let ini = c.lookup("__init__") {
                if case .obj(let f as PyFunction) = ini { _ = try callFunction(f, [.obj(inst)] + args, kw) }
                else if mutable, case .obj(let b as PyBuiltin) = ini { _ = try b.fn(self, [.obj(inst)] + args, kw) }
            }
            return .obj(inst)
        }
        if let ini = c.lookup("__init__") {
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
    private func runDirect(_ fn: PyFunction, _ code: FuncCode, _ f: consuming Frame) throws -> Value {
        if code.hasCellParams { for (s, c) in code.cellParams { f.cells[c].value = f.slots[s] } }
        // the depth is bounded by the recursion limit, so it cannot overflow: no checked arithmetic
        callDepth &+= 1
        defer { callDepth &-= 1 }
        if callDepth > recursionLimit || cshim_coro_stack_pointer() < stackLimit { try callLimitReached() }
        try checkInterrupt()  // a recursion with no loop in it still ends on Ctrl-C (and within a loop budget)
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
        if code.nOwnCells > 0 || fn.hasClosure {
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
        if !f.cells.isEmpty { f.cells = [] }
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
                if let b = i.payload as? BuiltinBase { return try callNativeMethod(b.value, name, args, kw) }
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

    // MARK: attributes

    public func getAttr(_ v: Value, _ name: String) throws -> Value {
        if case .obj(let o) = v {
            if let i = o as? PyInstance {
                let found = i.cls.lookup(name)
                if let cv = found, case .obj(let p as PyProperty) = cv { return try call(p.getter, [v], []) }
                if let x = i.attr(name) { return x }
                if let cv = found {
                    switch cv {
                    case .obj(let f as PyFunction): return .obj(PyBoundMethod(v, .obj(f)))
                    case .obj(let b as PyBuiltin): return .obj(PyBoundMethod(v, .obj(b)))
                    case .obj(let sm as PyStaticMethod): return sm.fn
                    case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(.obj(i.cls), cm.fn))
                    default: return cv
                    }
                }
                switch name {
                case "__class__": return .obj(i.cls)
                case "__dict__":
                    let d = PyDict(); for (k, x) in i.attrItems { d.set(.str(k), x) }; return .dict(d)
                case "__cause__" where i.cls.isException: return i.cause
                case "__context__" where i.cls.isException: return i.context
                case "__traceback__" where i.cls.isException: return .none
                default: break
                }
                if let ga = i.cls.lookup("__getattr__") { return try callBound(ga, v, [.str(name)], []) }
                if let b = i.payload as? BuiltinBase, let x = try? nativeAttr(b.value, name) { return x }
                throw err("AttributeError", "'\(i.cls.name)' object has no attribute '\(name)'")
            }
            if let c = o as? PyClass {
                if let cv = c.lookup(name) {
                    switch cv {
                    case .obj(let sm as PyStaticMethod): return sm.fn
                    case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(v, cm.fn))
                    default: return cv
                    }
                }
                switch name {
                case "__name__": return .str(c.name)
                case "__qualname__": return .str(c.name)
                case "__module__": return .str(c.module)
                case "__mro__": return .tuple(PyTuple(c.mro.map { .obj($0) }))
                case "__bases__": return .tuple(PyTuple(c.bases.map { .obj($0) }))
                case "__base__": return c.bases.first.map { .obj($0) } ?? .none
                case "__doc__": return .none
                case "__dict__":
                    let d = PyDict(); for (k, x) in c.dict { d.set(.str(k), x) }; return .dict(d)
                default: break
                }
                if let tv = typeMethodValue(c, name) { return tv }
                if let m = c.meta, let mv = m.lookup(name) {
                    // the metaclass's attributes, bound to the class
                    switch mv {
                    case .obj(let p as PyProperty): return try call(p.getter, [v], [])
                    case .obj(let f as PyFunction): return .obj(PyBoundMethod(v, .obj(f)))
                    case .obj(let b as PyBuiltin): return .obj(PyBoundMethod(v, .obj(b)))
                    case .obj(let sm as PyStaticMethod): return sm.fn
                    case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(.obj(m), cm.fn))
                    default: return mv
                    }
                }
                throw err("AttributeError", "type object '\(c.name)' has no attribute '\(name)'")
            }
            if let m = o as? PyModule {
                if let x = m.globals[name]?.value { return x }
                if name == "__name__" { return .str(m.name) }
                if let sub = try? importModule(m.name + "." + name) { return sub }
                throw err("AttributeError", "module '\(m.name)' has no attribute '\(name)'")
            }
            if let s = o as? PySuper {
                var found = false
                let mro = typeOfForSuper(s.obj, s.cls).mro
                for c in mro {
                    if found, let f = c.dict[name] {
                        switch f {
                        case .obj(let fn as PyFunction): return .obj(PyBoundMethod(s.obj, .obj(fn)))
                        case .obj(let b as PyBuiltin): return .obj(PyBoundMethod(s.obj, .obj(b)))
                        case .obj(let cm as PyClassMethod): return .obj(PyBoundMethod(.obj(typeOfForSuper(s.obj, s.cls)), cm.fn))
                        case .obj(let sm as PyStaticMethod): return sm.fn
                        default: return f
                        }
                    }
                    if c === s.cls { found = true }
                }
                if name == "__init__" { return .obj(PyBuiltin("__init__") { _, _, _ in .none }) }
                throw err("AttributeError", "'super' object has no attribute '\(name)'")
            }
            if let f = o as? PyFunction {
                if let x = f.dict[name] { return x }
                switch name {
                case "__name__": return .str(f.code.name)
                case "__qualname__": return .str(f.qualname)
                case "__doc__": return f.code.docstring.map { .str($0) } ?? .none
                case "__module__": return .str(f.module.name)
                case "__defaults__": return f.defaults.isEmpty ? .none : .tuple(PyTuple(f.defaults))
                default:
                    if let x = f.dict[name] { return x }
                    throw err("AttributeError", "'function' object has no attribute '\(name)'")
                }
            }
            if let b = o as? PyBuiltin, name == "__name__" { return .str(b.name) }
            if let m = o as? PyBoundMethod {
                if name == "__self__" { return m.receiver }
                if name == "__func__" { return m.fn }
                return try getAttr(m.fn, name)
            }
            if let p = o as? PyProperty {
                if name == "setter" {
                    return .obj(PyBuiltin("setter") { _, a, _ in p.setter = a.first; return .obj(p) })
                }
                if name == "getter" { return .obj(PyBuiltin("getter") { _, a, _ in p.getter = a[0]; return .obj(p) }) }
            }
        }
        return try nativeAttr(v, name)
    }

    /// The builtin value inside an instance of a user subclass of list/dict/str/int/..., unless the class
    /// overrides `dunder` itself.
    @inline(__always)
    func builtinBase(_ v: Value, unless dunder: String) -> Value? {
        guard case .obj(let o) = v, let i = o as? PyInstance, let b = i.payload as? BuiltinBase else { return nil }
        if i.cls.lookup(dunder) != nil { return nil }
        return b.value
    }

    /// The class whose MRO `super(cls, v)` walks: `v` itself when it is a class deriving from `cls` (a class
    /// method's `super()`), else `v`'s type (for a class, its metaclass: a metaclass method's `super()`).
    func typeOfForSuper(_ v: Value, _ cls: PyClass) -> PyClass {
        if case .obj(let c as PyClass) = v, c.meta == nil || c.isSubclass(of: cls) { return c }
        return typeOf(v)
    }

    public func setAttr(_ v: Value, _ name: String, _ x: Value) throws {
        if case .obj(let o) = v {
            if let i = o as? PyInstance {
                if let cv = i.cls.lookup(name), case .obj(let p as PyProperty) = cv {
                    guard let s = p.setter else { throw err("AttributeError", "property '\(name)' of '\(i.cls.name)' object has no setter") }
                    _ = try call(s, [v, x], [])
                    return
                }
                if let sa = i.cls.lookup("__setattr__"), case .obj(let fn as PyFunction) = sa {
                    _ = try callFunction(fn, [v, .str(name), x], [])
                    return
                }
                i.dict[name] = x
                return
            }
            if let c = o as? PyClass { c.dict[name] = x; return }
            if let m = o as? PyModule { m.set(name, x); return }
            if let f = o as? PyFunction { f.dict[name] = x; return }
        }
        throw err("AttributeError", "'\(typeName(v))' object has no attribute '\(name)'")
    }

    func delAttr(_ v: Value, _ name: String) throws {
        if case .obj(let i as PyInstance) = v, i.dict.removeValue(forKey: name) != nil { return }
        if case .obj(let c as PyClass) = v, c.dict.removeValue(forKey: name) != nil { return }
        throw err("AttributeError", "'\(typeName(v))' object has no attribute '\(name)'")
    }

    public func hasAttr(_ v: Value, _ name: String) -> Bool {
        do { _ = try getAttr(v, name); return true } catch { return false }
    }

    // MARK: truthiness and comparison

    public func truthy(_ v: Value) throws -> Bool {
        if let b = builtinBase(v, unless: "__bool__") { return try truthy(b) }
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .bigBox(let b): return !b.v.isZero
        case .float(let d): return d != 0
        case .str(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.items.isEmpty
        case .dict(let d): return d.count > 0
        case .obj(let o):
            if let i = o as? PyInstance {
                if let b = i.cls.lookup("__bool__") { return try truthy(try callBound(b, v, [], [])) }
                if let l = i.cls.lookup("__len__") { return try truthy(try callBound(l, v, [], [])) }
                return true
            }
            if let s = o as? PySet { return s.d.count > 0 }
            if let dv = o as? PyDictView { return dv.d.count > 0 }
            if let b = o as? PyBytes { return !b.b.isEmpty }
            if let b = o as? PyByteArray { return !b.b.isEmpty }
            if let r = o as? PyRange { return r.count > 0 }
            return true
        }
    }

    public func eq(_ a: Value, _ b: Value) throws -> Bool {
        if let x = builtinBase(a, unless: "__eq__") { return try eq(x, builtinBase(b, unless: "__eq__") ?? b) }
        if let y = builtinBase(b, unless: "__eq__") { return try eq(a, y) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.str(let x), .str(let y)): return PyStr.equal(x, y)
        case (.list(let x), .list(let y)):
            if x === y { return true }
            if x.items.count != y.items.count { return false }
            for i in 0..<x.items.count where !(try eq(x.items[i], y.items[i])) { return false }
            return true
        case (.tuple(let x), .tuple(let y)):
            if x.items.count != y.items.count { return false }
            for i in 0..<x.items.count where !(try eq(x.items[i], y.items[i])) { return false }
            return true
        case (.dict(let x), .dict(let y)):
            if x.count != y.count { return false }
            for (k, v) in x.items {
                guard let w = y.get(k) else { return false }
                if !(try eq(v, w)) { return false }
            }
            return true
        case (.obj(let x as PyInstance), _):
            if let f = x.cls.lookup("__eq__") {
                let r = try callBound(f, a, [b], [])
                if case .obj(let o) = r, o === notImplemented { break }
                return try truthy(r)
            }
            if case .obj(let y as PyInstance) = b, y !== x, let f = y.cls.lookup("__eq__") {
                let r = try callBound(f, b, [a], [])
                if case .obj(let o) = r, o === notImplemented { return false }
                return try truthy(r)
            }
            return x === (b.objectRef)
        case (_, .obj(let y as PyInstance)):
            if let f = y.cls.lookup("__eq__") {
                let r = try callBound(f, b, [a], [])
                if case .obj(let o) = r, o === notImplemented { return false }
                return try truthy(r)
            }
            return false
        case (.bigBox, .int), (.int, .bigBox): return false   // a big int never fits a machine word
        case (.obj(let x as PyRange), .obj(let y as PyRange)):
            return x.count == y.count && (x.count == 0 || (x.start == y.start && (x.count == 1 || x.step == y.step)))
        default: return keyEquals(a, b)
        }
        if case .obj(let x) = a, case .obj(let y) = b { return x === y }
        return false
    }

    func compare(_ op: CmpKind, _ a: Value, _ b: Value) throws -> Value {
        .bool(try compareBool(op, a, b))
    }

    func compareBool(_ op: CmpKind, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case .eq: return try eq(a, b)
        case .ne:
            if case .obj(let x as PyInstance) = a, let f = x.cls.lookup("__ne__") { return try truthy(try callBound(f, a, [b], [])) }
            return !(try eq(a, b))
        case .isOp: return identical(a, b)
        case .isNot: return !identical(a, b)
        case .inOp: return try contains(b, a)
        case .notIn: return !(try contains(b, a))
        case .lt: return try less(a, b, "<")
        case .gt: return try less(b, a, ">", swapped: true)
        case .le:
            if case .obj(let x as PyInstance) = a, let f = x.cls.lookup("__le__") { return try truthy(try callBound(f, a, [b], [])) }
            if isNumberOrStr(a) && isNumberOrStr(b) { return try !less(b, a, "<=", swapped: true) }
            return try less(a, b, "<=") || eq(a, b)
        case .ge:
            if case .obj(let x as PyInstance) = a, let f = x.cls.lookup("__ge__") { return try truthy(try callBound(f, a, [b], [])) }
            if isNumberOrStr(a) && isNumberOrStr(b) { return try !less(a, b, ">=") }
            return try less(b, a, ">=", swapped: true) || eq(a, b)
        }
    }

    func isNumberOrStr(_ v: Value) -> Bool {
        switch v {
        case .int, .float, .bigBox, .bool, .str: return true
        default: return false
        }
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.str(let x), .str(let y)): return PyStr.equal(x, y)
        case (.list(let x), .list(let y)): return x === y
        case (.tuple(let x), .tuple(let y)): return x === y || (x.items.isEmpty && y.items.isEmpty)
        case (.dict(let x), .dict(let y)): return x === y
        case (.obj(let x), .obj(let y)): return x === y
        default: return false
        }
    }

    func numeric(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .bigBox(let b): return Double(b)
        default: return nil
        }
    }

    /// `a < b` (or the swapped form for `>`; `sym` is the operator as written, for the error message).
    func less(_ a: Value, _ b: Value, _ sym: String, swapped: Bool = false) throws -> Bool {
        if let x = builtinBase(a, unless: swapped ? "__gt__" : "__lt__") { return try less(x, builtinBase(b, unless: "__lt__") ?? b, sym, swapped: swapped) }
        if let y = builtinBase(b, unless: swapped ? "__lt__" : "__gt__") { return try less(a, y, sym, swapped: swapped) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.str(let x), .str(let y)): return PyStr.less(x, y)
        case (.bigBox(let x), .bigBox(let y)): return x.v < y.v
        case (.bigBox(let x), .int(let y)): return x.compare(y) < 0
        case (.int(let x), .bigBox(let y)): return y.compare(x) > 0
        case (.list(let x), .list(let y)): return try seqLess(x.items, y.items, sym)
        case (.tuple(let x), .tuple(let y)): return try seqLess(x.items, y.items, sym)
        case (.obj(let o), _) where o is PyInstance, (_, .obj(let o)) where o is PyInstance:
            _ = o
            // `a < b` as written (or `b > a` when swapped): the left operand's method first, then the reflected one
            // of the right operand; NotImplemented from both is a TypeError
            let (l, r) = swapped ? (b, a) : (a, b)
            let (lName, rName) = swapped ? ("__gt__", "__lt__") : ("__lt__", "__gt__")
            for (x, name, arg) in [(l, lName, r), (r, rName, l)] {
                guard case .obj(let i as PyInstance) = x, let f = i.cls.lookup(name) else { continue }
                let res = try callBound(f, x, [arg], [])
                if case .obj(let ni) = res, ni === notImplemented { continue }
                return try truthy(res)
            }
        case (.obj(let x as PySet), .obj(let y as PySet)):
            return x.d.count < y.d.count && x.d.keys.allSatisfy { $0.map { y.contains($0) } ?? true }
        case (.obj(let x as PyBytes), .obj(let y as PyBytes)): return x.b.lexicographicallyPrecedes(y.b)
        default:
            if let x = numeric(a), let y = numeric(b) {
                // a big int against a float: exactly, as CPython's
                if case .bigBox(let bx) = a, case .float(let fy) = b { return !fy.isNaN && bx.compare(fy) < 0 }
                if case .float(let fx) = a, case .bigBox(let by) = b { return !fx.isNaN && by.compare(fx) > 0 }
                if case .int(let ix) = a, case .float(let fy) = b, ix.magnitude > 1 << 53 { return !fy.isNaN && BigInt(ix).compare(fy) < 0 }
                if case .float(let fx) = a, case .int(let iy) = b, iy.magnitude > 1 << 53 { return !fx.isNaN && BigInt(iy).compare(fx) > 0 }
                return x < y
            }
        }
        let (l, r) = swapped ? (b, a) : (a, b)
        throw typeError("'\(sym)' not supported between instances of '\(typeName(l))' and '\(typeName(r))'")
    }

    func seqLess(_ x: [Value], _ y: [Value], _ sym: String) throws -> Bool {
        for i in 0..<min(x.count, y.count) {
            if try eq(x[i], y[i]) { continue }
            return try less(x[i], y[i], sym)
        }
        return x.count < y.count
    }

    func contains(_ container: Value, _ item: Value) throws -> Bool {
        if let b = builtinBase(container, unless: "__contains__") { return try contains(b, item) }
        switch container {
        case .str(let s):
            guard case .str(let t) = item else { throw typeError("'in <string>' requires string as left operand, not \(typeName(item))") }
            return s.contains(t)
        case .list(let l):
            for x in l.items where try eq(x, item) { return true }
            return false
        case .tuple(let t):
            for x in t.items where try eq(x, item) { return true }
            return false
        case .dict(let d):
            try checkHashable(item)
            return d.get(item) != nil
        case .obj(let o):
            if let s = o as? PySet { try checkHashable(item); return s.contains(item) }
            if let dv = o as? PyDictView, dv.kind == .keys { try checkHashable(item); return dv.d.get(item) != nil }
            if let r = o as? PyRange {
                guard case .int(let i) = item else { return false }
                if r.step > 0 { return i >= r.start && i < r.stop && (i - r.start) % r.step == 0 }
                return i <= r.start && i > r.stop && (r.start - i) % (-r.step) == 0
            }
            if let b = o as? PyBytes {
                if case .int(let i) = item { return b.b.contains(UInt8(truncatingIfNeeded: i)) }
                if case .obj(let sub as PyBytes) = item { return sub.b.isEmpty || bytesFind(b.b, sub.b, 0) >= 0 }
            }
            if let i = o as? PyInstance, let f = i.cls.lookup("__contains__") {
                return try truthy(try callBound(f, container, [item], []))
            }
            if let c = o as? PyClass, let f = metaDunder(c, "__contains__") {
                return try truthy(try callBound(f, container, [item], []))
            }
        default: break
        }
        var found = false
        do {
            try iterate(container) { x in if try self.eq(x, item) { found = true; return false }; return true }
        } catch let e as PyException where e.exc.cls.name == "TypeError" {
            throw typeError("argument of type '\(typeName(container))' is not iterable")
        }
        return found
    }

    // MARK: iteration

    /// Internal iteration: calls `body` for each item until it returns false. Fast for lists, ranges and tuples.
    public func iterate(_ v: Value, _ body: (Value) throws -> Bool) throws {
        switch v {
        case .list(let l):
            var i = 0
            while i < l.items.count {
                if !(try body(l.items[i])) { return }
                i += 1
            }
        case .tuple(let t):
            for x in t.items where !(try body(x)) { return }
        case .str(let s):
            try s.forEachChar(body)
        case .dict(let d):
            let n = d.count
            for k in d.orderedKeys {
                if !(try body(k)) { return }
                if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
            }
        case .obj(let o):
            if let r = o as? PyRange {
                var i = r.start
                while r.step > 0 ? i < r.stop : i > r.stop {
                    if !(try body(.int(i))) { return }
                    // a next value beyond Int's range is beyond `stop` too
                    let (next, o) = i.addingReportingOverflow(r.step)
                    if o { return }
                    i = next
                }
                return
            }
            if let s = o as? PySet { for x in s.elements where !(try body(x)) { return }; return }
            let it = try getIter(v)
            if let g = it as? GeneratorIterator {
                // a generator's values straight from it, not through its `nextFn` closure
                let s = g.state
                while let x = try s.next() { if !(try body(x)) { return } }
                return
            }
            while let x = try it.nextFn() { if !(try body(x)) { return } }
        default:
            throw typeError("'\(typeName(v))' object is not iterable")
        }
    }

    public func getIter(_ v: Value) throws -> PyIterator {
        if let b = builtinBase(v, unless: "__iter__") { return try getIter(b) }
        switch v {
        case .list(let l):
            // positions in a `Position`, not a captured `var` (a box checked for exclusivity at every access)
            let i = Position()
            return PyIterator("list_iterator") {
                let n = i.n
                if n < l.items.count { i.n = n + 1; return l.items[n] }
                return nil
            }
        case .tuple(let t):
            let i = Position()
            return PyIterator("tuple_iterator") {
                let n = i.n
                if n < t.items.count { i.n = n + 1; return t.items[n] }
                return nil
            }
        case .str(let s):
            var off = 0
            return PyIterator(s.isASCII ? "str_ascii_iterator" : "str_iterator") { s.nextChar(&off) }
        case .dict(let d):
            var i = 0
            let n = d.count
            return PyIterator("dict_keyiterator") { [self] in
                if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
                while i < d.keys.count { i += 1; if let k = d.keys[i - 1] { return k } }
                return nil
            }
        case .obj(let o):
            if let it = o as? PyIterator { return it }
            if let dv = o as? PyDictView {
                let d = dv.d
                var i = 0
                let n = d.count
                let kind = dv.kind
                return PyIterator(dv.typeName.replacingAll("dict_", "dict_") + "iterator") { [self] in
                    if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
                    while i < d.keys.count {
                        i += 1
                        if let k = d.keys[i - 1] {
                            switch kind {
                            case .keys: return k
                            case .values: return d.vals[i - 1]
                            case .items: return .tuple(PyTuple([k, d.vals[i - 1]]))
                            }
                        }
                    }
                    return nil
                }
            }
            if let r = o as? PyRange {
                let i = Position(r.start)
                return PyIterator("range_iterator") {
                    let v = i.n
                    if !i.done, r.step > 0 ? v < r.stop : v > r.stop {
                        let (next, o) = v.addingReportingOverflow(r.step)
                        if o { i.done = true } else { i.n = next }
                        return .int(v)
                    }
                    return nil
                }
            }
            if let s = o as? PySet {
                let els = s.elements
                var i = 0
                return PyIterator("set_iterator") { if i < els.count { i += 1; return els[i - 1] }; return nil }
            }
            if let b = o as? PyBytes {
                var i = 0
                return PyIterator("bytes_iterator") { if i < b.b.count { i += 1; return .int(Int(b.b[i - 1])) }; return nil }
            }
            if let c = o as? PyClass, let f = metaDunder(c, "__iter__") {
                let r = try callBound(f, v, [], [])
                if case .obj(let it as PyIterator) = r { return it }
                return try getIter(r)
            }
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__iter__") {
                    let r = try callBound(f, v, [], [])
                    if case .obj(let it as PyIterator) = r { return it }
                    if case .obj(let ri as PyInstance) = r, let nx = ri.cls.lookup("__next__") {
                        return PyIterator("iterator") { [self] in
                            do { return try callBound(nx, r, [], []) } catch let e as PyException where e.exc.cls.name == "StopIteration" { return nil }
                        }
                    }
                    return try getIter(r)
                }
                if let g = i.cls.lookup("__getitem__") {
                    var k = 0
                    return PyIterator("iterator") { [self] in
                        do { k += 1; return try callBound(g, v, [.int(k - 1)], []) } catch let e as PyException where e.exc.cls.name == "IndexError" || e.exc.cls.name == "StopIteration" { return nil }
                    }
                }
            }
            if let f = o as? PyFile {
                return PyIterator("iterator") { [self] in
                    let line = try fileReadLine(f)
                    return line.isEmpty ? nil : .str(line)
                }
            }
        default: break
        }
        throw typeError("'\(typeName(v))' object is not iterable")
    }

    public func toArray(_ v: Value) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t.items
        default:
            var out: [Value] = []
            try iterate(v) { out.append($0); return true }
            return out
        }
    }

    func next(_ it: PyIterator) throws -> Value {
        if let v = try it.nextFn() { return v }
        if let g = it as? GeneratorIterator { throw g.stopIteration() }
        throw err("StopIteration", nil)
    }

    // MARK: subscripts

    func normIndex(_ i: Int, _ n: Int, _ what: String) throws -> Int {
        let j = i < 0 ? i + n : i
        if j < 0 || j >= n { throw err("IndexError", "\(what) index out of range") }
        return j
    }

    func toIndex(_ v: Value, _ what: String) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigBox: throw err("IndexError", "cannot fit 'int' into an index-sized integer")
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__index__") { return try toIndex(try callBound(f, v, [], []), what) }
        default: break
        }
        throw typeError("\(what) indices must be integers or slices, not \(typeName(v))")
    }

    /// Resolves a slice against a length, as `PySlice_GetIndicesEx`.
    func sliceIndices(_ s: PySlice, _ n: Int) throws -> (Int, Int, Int) {
        var step = 1
        if !s.step.isNone { step = try toIndex(s.step, "slice") }
        if step == 0 { throw err("ValueError", "slice step cannot be zero") }
        func clamp(_ v: Value, _ def: Int, _ lo: Int, _ hi: Int) throws -> Int {
            if v.isNone { return def }
            var i = try toIndex(v, "slice")
            if i < 0 { i += n; if i < lo { i = lo } } else if i > hi { i = hi }
            return i
        }
        if step > 0 {
            return (try clamp(s.start, 0, 0, n), try clamp(s.stop, n, 0, n), step)
        }
        return (try clamp(s.start, n - 1, -1, n - 1), try clamp(s.stop, -1, -1, n - 1), step)
    }

    func sliceList<T>(_ a: [T], _ s: PySlice) throws -> [T] {
        let (start, stop, step) = try sliceIndices(s, a.count)
        if step == 1 { return start < stop ? Array(a[start..<stop]) : [] }
        var out: [T] = []
        out.reserveCapacity(step > 0 ? (max(0, stop - start) + step - 1) / step : (max(0, start - stop) - step - 1) / -step)
        var i = start
        if step > 0 { while i < stop { out.append(a[i]); i += step } } else { while i > stop { out.append(a[i]); i += step } }
        return out
    }

    /// `r[i]`, exactly as CPython computes it (with big ints): a range may be longer than Int.max, and
    /// `start + i * step` may overflow on the way to a result that fits.
    func rangeItem(_ r: PyRange, _ i: Int) throws -> Value {
        let outOfRange = err("IndexError", "range object index out of range")
        if let n = r.exactCount {
            let j = i < 0 ? i + n : i     // n <= Int.max and i < 0: no overflow
            guard j >= 0 && j < n else { throw outOfRange }
            let (m, o1) = j.multipliedReportingOverflow(by: r.step)
            if !o1 { let (v, o2) = r.start.addingReportingOverflow(m); if !o2 { return .int(v) } }
            return .bigOrInt(BigInt(r.start) + BigInt(j) * BigInt(r.step))
        }
        // longer than Int.max: its length as a big int
        let start = BigInt(r.start), step = BigInt(r.step)
        let n = r.step > 0 ? (BigInt(r.stop) - start + step - 1) / step : (start - BigInt(r.stop) - step - 1) / (-step)
        let j = i < 0 ? n + i : BigInt(i)
        guard j.signum >= 0, j < n else { throw outOfRange }
        return .bigOrInt(start + j * step)
    }

    public func getItem(_ v: Value, _ k: Value) throws -> Value {
        if let b = builtinBase(v, unless: "__getitem__") { return try getItem(b, k) }
        switch v {
        case .list(let l):
            if case .obj(let s as PySlice) = k { return .list(PyList(try sliceList(l.items, s))) }
            return l.items[try normIndex(try toIndex(k, "list"), l.items.count, "list")]
        case .tuple(let t):
            if case .obj(let s as PySlice) = k { return .tuple(PyTuple(try sliceList(t.items, s))) }
            return t.items[try normIndex(try toIndex(k, "tuple"), t.items.count, "tuple")]
        case .str(let s):
            if case .obj(let sl as PySlice) = k {
                let (start, stop, step) = try sliceIndices(sl, s.count)
                return s.slice(start, stop, step)
            }
            if case .int(let i) = k {
                let n = s.count
                let j = i < 0 ? i &+ n : i
                if j >= 0 && j < n { return s.item(j) }
            }
            return s.item(try normIndex(try toIndex(k, "string"), s.count, "string"))
        case .dict(let d):
            if let x = d.get(k) { return x }
            try checkHashable(k)
            if let i = d.get(.str("__missing_factory__")) { _ = i }
            throw errValue("KeyError", k)
        case .obj(let o):
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__getitem__") { return try callBound(f, v, [k], []) }
                if let dd = i.payload as? DefaultDictPayload { return try dd.get(self, k) }
                if let cls = i.payload as? PyDict { if let x = cls.get(k) { return x }; throw errValue("KeyError", k) }
                throw typeError("'\(i.cls.name)' object is not subscriptable")
            }
            if let r = o as? PyRange {
                if case .obj(let s as PySlice) = k {
                    let (a, b, c) = try sliceIndices(s, r.count)
                    let n2 = c > 0 ? max(0, (b - a + c - 1) / c) : max(0, (a - b - c - 1) / (-c))
                    return .obj(PyRange(r.start + a * r.step, r.start + (a + n2 * c) * r.step, r.step * c))
                }
                return try rangeItem(r, try toIndex(k, "range"))
            }
            if let b = o as? PyBytes {
                if case .obj(let s as PySlice) = k { return .obj(PyBytes(try sliceList(b.b, s))) }
                return .int(Int(b.b[try normIndex(try toIndex(k, "byte"), b.b.count, "index")]))
            }
            if let b = o as? PyByteArray {
                if case .obj(let s as PySlice) = k { return .obj(PyByteArray(try sliceList(b.b, s))) }
                return .int(Int(b.b[try normIndex(try toIndex(k, "bytearray"), b.b.count, "bytearray")]))
            }
            if let c = o as? PyClass {
                if let f = metaDunder(c, "__getitem__") { return try callBound(f, v, [k], []) }
                if let f = c.lookup("__class_getitem__") { return try callBound(f, v, [k], []) }
                return v // list[int] style generics in annotations
            }
        default: break
        }
        throw typeError("'\(typeName(v))' object is not subscriptable")
    }

    public func setItem(_ v: Value, _ k: Value, _ x: Value) throws {
        if let b = builtinBase(v, unless: "__setitem__") { return try setItem(b, k, x) }
        switch v {
        case .list(let l):
            if case .obj(let s as PySlice) = k {
                let (start, stop, step) = try sliceIndices(s, l.items.count)
                let newItems = try toArray(x)
                if step == 1 {
                    l.items.replaceSubrange(start..<max(start, stop), with: newItems)
                    return
                }
                var idx: [Int] = []
                var i = start
                if step > 0 { while i < stop { idx.append(i); i += step } } else { while i > stop { idx.append(i); i += step } }
                if idx.count != newItems.count {
                    throw err("ValueError", "attempt to assign sequence of size \(newItems.count) to extended slice of size \(idx.count)")
                }
                for (j, p) in idx.enumerated() { l.items[p] = newItems[j] }
                return
            }
            l.items[try normIndex(try toIndex(k, "list"), l.items.count, "list assignment")] = x
        case .dict(let d):
            try checkHashable(k)
            d.set(k, x)
        case .obj(let o):
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__setitem__") { _ = try callBound(f, v, [k, x], []); return }
                if let dd = i.payload as? DefaultDictPayload { try checkHashable(k); dd.d.set(k, x); return }
            }
            if let b = o as? PyByteArray {
                guard case .int(let n) = x else { throw typeError("an integer is required") }
                b.b[try normIndex(try toIndex(k, "bytearray"), b.b.count, "bytearray")] = UInt8(truncatingIfNeeded: n)
                return
            }
            throw typeError("'\(typeName(v))' object does not support item assignment")
        default:
            throw typeError("'\(typeName(v))' object does not support item assignment")
        }
    }

    func delItem(_ v: Value, _ k: Value) throws {
        if let b = builtinBase(v, unless: "__delitem__") { return try delItem(b, k) }
        switch v {
        case .list(let l):
            if case .obj(let s as PySlice) = k {
                let (start, stop, step) = try sliceIndices(s, l.items.count)
                if step == 1 { if start < stop { l.items.removeSubrange(start..<stop) }; return }
                var idx: [Int] = []
                var i = start
                if step > 0 { while i < stop { idx.append(i); i += step } } else { while i > stop { idx.append(i); i += step } }
                for p in idx.sorted(by: >) { l.items.remove(at: p) }
                return
            }
            l.items.remove(at: try normIndex(try toIndex(k, "list"), l.items.count, "list assignment"))
        case .dict(let d):
            if d.remove(k) == nil { throw errValue("KeyError", k) }
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__delitem__") { _ = try callBound(f, v, [k], []); return }
            if let dd = i.payload as? DefaultDictPayload { if dd.d.remove(k) == nil { throw errValue("KeyError", k) }; return }
            throw typeError("'\(i.cls.name)' object does not support item deletion")
        default:
            throw typeError("'\(typeName(v))' object does not support item deletion")
        }
    }

    // MARK: length

    /// The number of code points (Python's `len` of a str): UTF-8 bytes that do not continue a sequence, counted
    /// over the contiguous bytes (a tight loop) rather than by decoding scalar after scalar.
    func scalarCount(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { PyStr.codePointCount($0) }
    }

    public func len(_ v: Value) throws -> Int {
        if let b = builtinBase(v, unless: "__len__") { return try len(b) }
        switch v {
        case .str(let s): return s.count
        case .list(let l): return l.items.count
        case .tuple(let t): return t.items.count
        case .dict(let d): return d.count
        case .obj(let o):
            if let s = o as? PySet { return s.d.count }
            if let dv = o as? PyDictView { return dv.d.count }
            if let r = o as? PyRange {
                guard let n = r.exactCount else { throw err("OverflowError", "Python int too large to convert to C ssize_t") }
                return n
            }
            if let b = o as? PyBytes { return b.b.count }
            if let b = o as? PyByteArray { return b.b.count }
            if let c = o as? PyClass, let f = metaDunder(c, "__len__") {
                let r = try callBound(f, v, [], [])
                guard case .int(let n) = r else { throw typeError("'\(typeName(r))' object cannot be interpreted as an integer") }
                if n < 0 { throw err("ValueError", "__len__() should return >= 0") }
                return n
            }
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__len__") {
                    let r = try callBound(f, v, [], [])
                    guard case .int(let n) = r else { throw typeError("'\(typeName(r))' object cannot be interpreted as an integer") }
                    if n < 0 { throw err("ValueError", "__len__() should return >= 0") }
                    return n
                }
                if let dd = i.payload as? DefaultDictPayload { return dd.d.count }
            }
        default: break
        }
        throw typeError("object of type '\(typeName(v))' has no len()")
    }

    // MARK: modules

    /// Registers a native module, built on first import. This is how the multiprocessing binding plugs in.
    public func registerModule(_ name: String, _ build: @escaping (Interpreter) throws -> PyModule) {
        nativeModules[name] = build
    }

    func isRegistered(_ m: PyModule) -> Bool {
        if case .obj(let o)? = modules[m.name], o === m { return true }
        return false
    }

    public func importModule(_ name: String) throws -> Value {
        if let m = modules[name] { return m }
        // an embedded Python module (Lib/EmbeddedModules.swift) replaces a native stand-in of the same name
        if let b = nativeModules[name], cpylib_module_source(name) == nil {
            let m = try b(self)
            modules[name] = .obj(m)
            return .obj(m)
        }
        if let path = sourceModulePath(name) { return try loadSourceModule(name, path) }
        if let m = try loadEmbeddedModule(name) { return m }
        throw err("ModuleNotFoundError", "No module named '\(name)'")
    }
}

nonisolated(unsafe) let notImplemented = PyObject()

/// Set to non-zero from a SIGINT handler (the only thing the handler should do); the evaluator raises
/// KeyboardInterrupt at the next loop iteration. Mirrors CPython's `_PyErr_CheckSignals` polling.
@exclusivity(unchecked) nonisolated(unsafe) public var mpshInterruptPending: Int32 = 0

extension Value {
    var objectRef: PyObject? {
        switch self {
        case .obj(let o): return o
        case .list(let l): return l
        case .tuple(let t): return t
        case .dict(let d): return d
        default: return nil
        }
    }
}

/// A small, fast PRNG for `random` (does not reproduce CPython's Mersenne Twister stream).
final class SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    func nextDouble() -> Double { Double(next() >> 11) * (1.0 / 9007199254740992.0) }
}

func clockNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

extension Frame {
    /// Makes a finished call's locals ready for the next call of the same code (`Interpreter.recycle`,
    /// `RepeatedCall`): parameter slots are always written by the next call's binding, so None just lets go of
    /// the argument; every other local starts the next call unbound.
    @inline(__always)
    func resetLocals(parameters: Int) {
        let np = min(parameters, nSlots)
        for i in 0..<np { (slots + i).clearToNone() }
        if np < nSlots {
            let unbound = Value.obj(unboundMarker)
            for i in np..<nSlots { (slots + i).store(unbound) }
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

/// Where a builtin iterator stands (list, tuple, range): a class with unchecked fields, because a `var` captured
/// by the iterator's closure is a box that Swift checks for exclusive access at every read and write.
final class Position {
    @exclusivity(unchecked) var n: Int
    @exclusivity(unchecked) var done = false
    init(_ start: Int = 0) { n = start }
}
