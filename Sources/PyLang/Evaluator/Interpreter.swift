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
    @exclusivity(unchecked) var modules: [String: Value] = [:] { didSet { syncSysModules() } }
    /// `sys.modules` once `sys` is imported: kept in step with `modules` (a module imported, or dropped after a
    /// failed import), so a program sees `sys.modules['__main__']` and the modules imported after `sys`.
    @exclusivity(unchecked) var sysModules: PyDict?
    private func syncSysModules() {
        guard let d = sysModules else { return }
        for (k, v) in modules {
            if let have = d.get(.str(k)), identical(have, v) { continue }
            d.set(.str(k), v)
        }
        for k in d.orderedKeys {
            // a module the interpreter dropped goes; what the program put there itself stays
            if case .str(let name) = k, modules[name.s] == nil, case .obj(let o)? = d.get(k), o is PyModule { d.remove(k) }
        }
    }
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
    /// Work the safe points (every loop turn and call) must do before going on: 1 = `interrupt()` was called
    /// (KeyboardInterrupt), 2 = the cycle collector asked for a collection (`GC`). One byte, so the poll is one load.
    @exclusivity(unchecked) var pendingWork: UInt8 = 0
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
        GC.readStressSetting()
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
        if mpshInterruptPending != 0 || pendingWork != 0 { try interruptSlowPath() }
    }

    func interruptSlowPath() throws {
        if pendingWork & 2 != 0 {
            pendingWork &= ~2
            GC.collect()
            if mpshInterruptPending == 0 && pendingWork == 0 { return }
        }
        if let b = loopBudget {
            // budget mode keeps the flag raised so every iteration comes here; normal runs never do
            if b <= 0 { throw err("RuntimeError", "loop budget exhausted") }
            loopBudget = b - 1
            if pendingWork & 1 == 0 { mpshInterruptPending = 1; return }
        }
        mpshInterruptPending = 0
        pendingWork = 0
        throw err("KeyboardInterrupt", nil)
    }

    /// Limits the number of loop iterations and function calls (all together) before RuntimeError is raised: for
    /// running untrusted or fuzzed programs. nil (the default) means no limit and costs nothing.
    public func setLoopBudget(_ n: Int?) {
        loopBudget = n
        mpshInterruptPending = n == nil ? 0 : 1
    }

    /// Asks the running program to raise KeyboardInterrupt at its next loop iteration.
    public func interrupt() { pendingWork |= 1 }

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
            // iterators and dict views: a class of their own, named as CPython's (dict_keys, list_iterator), made
            // on first use
            let kind = (o as? PyIterator)?.kind ?? (o is PyDictView ? o.typeName : nil)
            if let kind {
                if let c = typeClasses[kind] { return c }
                let c = PyClass(name: kind, bases: [objectClass], dict: [:])
                typeClasses[kind] = c
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
                if case .none? = i.cls.lookup(.hash) { throw typeError("unhashable type: '\(i.cls.name)'") }
                if i.cls.dict["__eq__"] != nil && i.cls.lookup(.hash) == nil && i.payload == nil {
                    throw typeError("unhashable type: '\(i.cls.name)'")
                }
            }
        case .tuple(let t): for x in t.items { try checkHashable(x) }
        default: break
        }
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


/// Where a builtin iterator stands (list, tuple, range): a class with unchecked fields, because a `var` captured
/// by the iterator's closure is a box that Swift checks for exclusive access at every read and write.
final class Position {
    @exclusivity(unchecked) var n: Int
    @exclusivity(unchecked) var done = false
    init(_ start: Int = 0) { n = start }
}
