// The multiprocessing binding: the modules `multiprocessing`, `multiprocessing.connection`,
// `multiprocessing.shared_memory` and `queue`, over the Multiprocessing library.
// Mirrors CPython's `Lib/multiprocessing/__init__.py` and `context.py` (the names a program imports).
//
// How it works:
// - Processes are forked from the interpreter (its buffered output flushed first), so a target — a def, a lambda,
//   a closure, a bound method — runs directly in the child: nothing is pickled, which is why lambdas and closures
//   work as targets where CPython refuses them under spawn.
// - Items put on a Queue or sent on a Pipe are encoded with the interpreter's value codec (`Interpreter.encode`)
//   and travel as bytes through the library's queue and connection; lambdas and closures travel too (by code
//   identity: the receiver runs the same program).
// - A child ends with `_exit` (the library's `Process` does it) after the interpreter flushed its output; an
//   exception in the child prints "Process Process-1:" and the traceback, and gives exit code 1.
// - Blocking waits (join, get, recv, acquire, wait) wait in slices of 50 ms so that Ctrl-C (KeyboardInterrupt)
//   reaches a program blocked on another process.
// - Start methods: fork, spawn and forkserver, as CPython's (SpawnBinding.swift). Under fork (the default) a child
//   is a copy of the interpreter, so a lambda or a closure target runs. Under spawn the child is a fresh mpsh that
//   runs the main file as `__mp_main__` and finds its target by name; under forkserver the server runs the main
//   file once and the children fork from it; a spawn or forkserver Pool's workers run the main file as
//   `__mp_main__` too. A program without a main file on disk (-c, stdin, the shell) is forked under every method.
// - Processes start from the interpreter's own thread only. Generators run on that thread (each on a stack of its
//   own, see Generator.swift), so a `start()` inside a generator body forks as anywhere else, and a generator
//   suspended when the process forks goes on in the child, as in CPython.
import CShim
import Multiprocessing
import PoolBridge
#if canImport(Glibc)
import Glibc
#endif

/// Per-interpreter state of the binding: its classes, the processes it started, the start method.
final class MPBinding {
    unowned let interp: Interpreter
    /// The thread that imported multiprocessing (the program's own thread): the only one allowed to fork. Set at
    /// import, not when the binding is created: `extendMultiprocessing` may be called from another thread.
    var interpreterThread = pthread_self()
    var startMethod: String?
    /// Python Process objects by pid, to answer active_children() with the user's own objects.
    var instances: [pid_t: PyInstance] = [:]
    /// In a child: the Python object of the process this is (current_process()).
    var currentInstance: PyInstance?
    var mainProcessObject: PyInstance?
    /// Process.run as the binding made it: a child whose `run` is still this one calls its target directly.
    var processRunMethod: AnyObject?
    /// Set by `Process.start` for the fork it is about to make: the call the child makes, when its `run` is
    /// Process.run's own (see `runChild`).
    var childCall: (process: PyInstance, target: Value, args: [Value], kw: [(String, Value)])?
    /// The classes of `get_context('spawn').Process` and `get_context('forkserver').Process`, by method.
    var contextProcessClasses: [String: PyClass] = [:]
    /// The directory `get_temp_dir()` made for this process's Unix sockets, and the process that made it (a
    /// forked child inherits the pair: it uses its parent's directory and leaves it to the parent).
    var tempDir: (path: String, creator: pid_t)?
    /// The last process that made a `multiprocessing.util.Finalize` with an exit priority (a started manager's
    /// shutdown, a Listener's socket file): only that process has finalizers of its own to run at its end (a forked
    /// child inherits its parent's registry, whose finalizers are not its to run). 0 until one is made.
    var finalizerOwner: pid_t = 0

    // Classes, built once per interpreter.
    var processClass: PyClass!
    var queueClass: PyClass!
    var joinableQueueClass: PyClass!
    var simpleQueueClass: PyClass!
    var connectionClass: PyClass!
    var lockClass: PyClass!
    var rlockClass: PyClass!
    var semaphoreClass: PyClass!
    var boundedSemaphoreClass: PyClass!
    var conditionClass: PyClass!
    var eventClass: PyClass!
    var barrierClass: PyClass!
    var valueClass: PyClass!
    var arrayClass: PyClass!
    var sharedMemoryClass: PyClass!
    var memoryviewClass: PyClass!
    var emptyClass: PyClass!
    var fullClass: PyClass!
    var processErrorClass: PyClass!
    var timeoutErrorClass: PyClass!
    var authenticationErrorClass: PyClass!
    var bufferTooShortClass: PyClass!
    var brokenBarrierClass: PyClass!

    /// Hooks run on the `multiprocessing` module when it is built: how Pool, concurrent.futures and Manager add
    /// their names later (`Interpreter.extendMultiprocessing`).
    var extensions: [(Interpreter, PyModule) throws -> Void] = []
    /// Contexts that other targets provide, by start-method name (`get_context('mpi')` from the mpsh-mpi
    /// executable's mpi4py binding): a registration point, consulted for names this binding does not know.
    var contextProviders: [String: (Interpreter) throws -> Value] = [:]

    private var mpModule: PyModule?

    // The pool's, manager's and executor's state, made on first use. Stored properties of the binding (one per
    // interpreter, `Interpreter.mpBinding`): a dictionary look-up and cast would cost thousands of instructions
    // per task.
    lazy var poolState = PoolBindingState()
    lazy var managerState = ManagerState()
    lazy var futuresState: FuturesState = {
        let s = FuturesState()
        makeFuturesClasses(s)
        return s
    }()

    init(_ interp: Interpreter) {
        self.interp = interp
        // The interpreter runs on the main thread (mpsh) or on a thread of its own whose creator only waits for it
        // (`withLargeStack`), and generators run on that same thread: no other thread
        // holds a lock when the program forks, so the library's multi-threaded fork warning would only be noise.
        Multiprocessing.Process.otherThreadsAreParkedAtFork()
        _ = SpawnChild.function  // registered before any fork server starts: its children run it
        makeExceptions()
        makeProcessClass()
        makeQueueClasses()
        makeConnectionClass()
        makeSyncClasses()
        makeSharedClasses()
        installPoolBinding()
    }

    // MARK: errors

    func exceptionClass(_ name: String, module: String, base: PyClass) -> PyClass {
        let c = PyClass(name: name, bases: [base], dict: [:])
        c.module = module
        return c
    }

    func makeExceptions() {
        let exc = interp.excClass("Exception")
        emptyClass = exceptionClass("Empty", module: "_queue", base: exc)
        fullClass = exceptionClass("Full", module: "queue", base: exc)
        processErrorClass = exceptionClass("ProcessError", module: "multiprocessing.context", base: exc)
        timeoutErrorClass = exceptionClass("TimeoutError", module: "multiprocessing.context", base: processErrorClass)
        authenticationErrorClass = exceptionClass("AuthenticationError", module: "multiprocessing.context", base: processErrorClass)
        bufferTooShortClass = exceptionClass("BufferTooShort", module: "multiprocessing.context", base: processErrorClass)
        brokenBarrierClass = exceptionClass("BrokenBarrierError", module: "threading", base: interp.excClass("RuntimeError"))
    }

    /// An exception of one of the binding's classes, ready to throw.
    func raise(_ cls: PyClass, _ msg: String? = nil) -> PyException {
        let inst = PyInstance(cls)
        inst.dict["args"] = .tuple(msg.map { PyTuple([.str($0)]) } ?? PyTuple.empty)
        return PyException(inst)
    }

    func err(_ type: String, _ msg: String?) -> PyException { interp.err(type, msg) }

    /// Library errors as the Python exceptions CPython raises for them.
    func pyError(_ e: Error) -> Error {
        if e is PyException || e is ExitRequest { return e }
        switch e {
        case let q as QueueError:
            switch q {
            case .empty: return raise(emptyClass)
            case .full: return raise(fullClass)
            case .closed: return err("ValueError", "Queue is closed")
            case .taskDoneTooManyTimes: return err("ValueError", "task_done() called too many times")
            default: return err("OSError", q.description)
            }
        case let c as ConnectionError:
            switch c {
            case .endOfFile: return err("EOFError", nil)
            case .brokenPipe: return err("BrokenPipeError", "[Errno 32] Broken pipe")
            case .closed: return err("OSError", "handle is closed")
            case .notReadable: return err("OSError", "connection is write-only")
            case .notWritable: return err("OSError", "connection is read-only")
            case .messageTooLong: return err("OSError", "bad message length")
            default: return err("OSError", c.description)
            }
        case let s as SynchronizeError:
            switch s {
            case .notAcquired: return err("ValueError", "semaphore or lock released too many times")
            case .notOwner: return err("AssertionError", "attempt to release recursive lock not owned by thread")
            case .releasedTooManyTimes: return err("ValueError", "semaphore or lock released too many times")
            case .alreadyHeld:
                return err("RuntimeError", "this process already holds the Lock and a Lock is not recursive: acquiring it again would wait for ever (use RLock to nest)")
            default: return err("RuntimeError", s.description)
            }
        case is BrokenBarrierError: return raise(brokenBarrierClass)
        case let p as ProcessError:
            switch p {
            case .stillRunning, .closed: return err("ValueError", p.description)
            case .system: return err("OSError", p.description)
            default: return err("AssertionError", p.description)
            }
        case let s as SystemError: return err("OSError", s.description)
        case let c as CodecError:
            if let name = c.inheritedOnly {
                return err("RuntimeError", "\(name) objects should only be shared between processes through inheritance")
            }
            return err("TypeError", "cannot send this value to another process: \(c.message)")
        default: return err("OSError", "\(e)")
        }
    }

    /// Runs a library call, turning its errors into Python exceptions.
    @inline(__always)
    func lib<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw pyError(error) }
    }

    // MARK: arguments

    /// Binds positional and keyword arguments to parameter names, as a Python signature does.
    func bind(_ a: [Value], _ kw: [(String, Value)], _ names: [String], _ fname: String) throws -> [Value?] {
        if a.count > names.count {
            throw interp.typeError("\(fname)() takes at most \(names.count) argument\(names.count == 1 ? "" : "s") (\(a.count) given)")
        }
        var r = [Value?](repeating: nil, count: names.count)
        for k in a.indices { r[k] = a[k] }
        if kw.isEmpty { return r }
        for (k, v) in kw {
            guard let i = names.firstIndex(of: k) else {
                throw interp.typeError("\(fname)() got an unexpected keyword argument '\(k)'")
            }
            if r[i] != nil { throw interp.typeError("\(fname)() got multiple values for argument '\(k)'") }
            r[i] = v
        }
        return r
    }

    /// A timeout argument: None → nil (for ever); a number of seconds (negative counts as zero).
    func timeout(_ v: Value?) throws -> Duration? {
        guard let v, !v.isNone else { return nil }
        let s = try interp.toDouble(v)
        if s.isNaN { throw err("ValueError", "timeout must be a number") }
        return .nanoseconds(Int64(max(0, min(s, 1e9)) * 1e9))
    }

    func truthy(_ v: Value?, default d: Bool) throws -> Bool {
        guard let v else { return d }
        return try interp.truthy(v)
    }

    /// Waits in slices so that KeyboardInterrupt reaches a program blocked on another process. `attempt` gets a
    /// slice and answers whether the wait is over.
    func waitSliced(_ timeout: Duration?, _ attempt: (Duration) throws -> Bool) throws -> Bool {
        let slice = Duration.milliseconds(50)
        guard let timeout else {
            while true {
                if try attempt(slice) { return true }
                try interp.checkInterrupt()
            }
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            if try attempt(max(.zero, min(left, slice))) { return true }
            try interp.checkInterrupt()
            if ContinuousClock.now >= deadline { return false }
        }
    }

    /// The payload of a binding object, or a TypeError naming what was expected.
    func payload<T: AnyObject>(_ v: Value, _ type: T.Type, _ what: String) throws -> T {
        if case .obj(let i as PyInstance) = v, let p = i.payload as? T { return p }
        throw interp.typeError("expected a \(what) object, got '\(interp.typeName(v))'")
    }

    func instance(_ cls: PyClass, _ payload: AnyObject) -> Value {
        let i = PyInstance(cls)
        i.payload = payload
        return .obj(i)
    }

    func method(_ name: String, _ f: @escaping NativeFn) -> (String, Value) { (name, .obj(PyBuiltin(name, f))) }

    func property(_ name: String, get: @escaping NativeFn, set: NativeFn? = nil) -> (String, Value) {
        let p = PyProperty(.obj(PyBuiltin(name, get)))
        if let set { p.setter = .obj(PyBuiltin(name, set)) }
        return (name, .obj(p))
    }

    func makeClass(_ name: String, module: String, base: PyClass? = nil, _ members: [(String, Value)]) -> PyClass {
        let c = PyClass(name: name, bases: [base ?? interp.objectClass], dict: Dictionary(members, uniquingKeysWith: { $1 }))
        c.module = module
        return c
    }

    /// `__enter__`/`__exit__` over acquire/release methods already in `members`.
    func withSupport(_ acquire: String = "acquire", _ release: String = "release") -> [(String, Value)] {
        [method("__enter__") { i, a, _ in try i.callMethod(a[0], acquire, [], []) },
         method("__exit__") { i, a, _ in _ = try i.callMethod(a[0], release, [], []); return .bool(false) }]
    }

    // MARK: values across processes

    func encode(_ v: Value) throws -> [UInt8] {
        do { return try interp.encode(v) } catch let e as CodecError { throw pyError(e) }
    }

    /// Encodes into a buffer the caller keeps (its storage reused: no allocation per message).
    func encode(_ v: Value, into out: inout [UInt8]) throws {
        do { try interp.encode(v, into: &out) } catch let e as CodecError { throw pyError(e) }
    }

    func decode(_ b: [UInt8]) throws -> Value {
        do { return try interp.decode(b) } catch let e as CodecError {
            throw err("RuntimeError", "a value received from another process could not be decoded: \(e.description)")
        }
    }

    // MARK: modules

    func multiprocessingModule() throws -> PyModule {
        if let m = mpModule { return m }
        let m = PyModule(name: "multiprocessing")
        mpModule = m
        interpreterThread = pthread_self()
        // as CPython's multiprocessing/__init__.py: what a spawned child defines in its __mp_main__ (a class, a
        // function) names a module the parent has
        if interp.modules["__mp_main__"] == nil, let main = interp.modules["__main__"] { interp.modules["__mp_main__"] = main }
        fillContext { m.set($0, $1) }
        m.set("connection", try interp.importModule("multiprocessing.connection"))
        m.set("shared_memory", try interp.importModule("multiprocessing.shared_memory"))
        m.fn("get_context") { [unowned self] _, a, kw in try self.getContext(try self.bind(a, kw, ["method"], "get_context")[0]) }
        m.fn("set_start_method") { [unowned self] i, a, kw in
            let b = try self.bind(a, kw, ["method", "force"], "set_start_method")
            let force = try self.truthy(b[1], default: false)
            if self.startMethod != nil && !force { throw self.err("RuntimeError", "context has already been set") }
            guard let v = b[0] else { throw i.typeError("set_start_method() missing required argument 'method'") }
            if v.isNone { self.startMethod = nil; return .none }
            let name = try i.strArg(v, "set_start_method")
            guard ["fork", "spawn", "forkserver"].contains(name) else { throw self.err("ValueError", "cannot find context for '\(name)'") }
            self.startMethod = name
            return .none
        }
        m.fn("get_start_method") { [unowned self] _, _, _ in .str(self.startMethod ?? "fork") }
        // multiprocessing.util's logging helpers, imported when first called (they import logging)
        for name in ["log_to_stderr", "get_logger"] {
            m.fn(name) { i, a, kw in
                try i.call(try i.getAttr(try i.importModule("multiprocessing.util"), name), a, kw)
            }
        }
        m.fn("get_all_start_methods") { _, _, _ in .list(PyList([.str("fork"), .str("spawn"), .str("forkserver")])) }
        for notYet in ["Pool", "Manager"] where m.get(notYet) == nil {
            m.fn(notYet) { [unowned self] _, _, _ in
                throw self.err("NotImplementedError", "multiprocessing.\(notYet) is not available in mpsh yet: use Process with a Queue")
            }
        }
        for ext in extensions { try ext(interp, m) }
        return m
    }

    /// The names a context carries (the module's and get_context()'s are the same).
    func fillContext(_ set: (String, Value) -> Void) {
        set("Process", .obj(processClass))
        set("Queue", .obj(queueClass))
        set("JoinableQueue", .obj(joinableQueueClass))
        set("SimpleQueue", .obj(simpleQueueClass))
        set("Lock", .obj(lockClass))
        set("RLock", .obj(rlockClass))
        set("Semaphore", .obj(semaphoreClass))
        set("BoundedSemaphore", .obj(boundedSemaphoreClass))
        set("Condition", .obj(conditionClass))
        set("Event", .obj(eventClass))
        set("Barrier", .obj(barrierClass))
        set("Value", .obj(PyBuiltin("Value") { [unowned self] _, a, kw in try self.newValue(a, kw, raw: false) }))
        set("Array", .obj(PyBuiltin("Array") { [unowned self] _, a, kw in try self.newArray(a, kw, raw: false) }))
        set("RawValue", .obj(PyBuiltin("RawValue") { [unowned self] _, a, kw in try self.newValue(a, kw, raw: true) }))
        set("RawArray", .obj(PyBuiltin("RawArray") { [unowned self] _, a, kw in try self.newArray(a, kw, raw: true) }))
        set("Pipe", .obj(PyBuiltin("Pipe") { [unowned self] _, a, kw in try self.pipe(a, kw) }))
        set("current_process", .obj(PyBuiltin("current_process") { [unowned self] _, _, _ in self.currentProcess() }))
        set("parent_process", .obj(PyBuiltin("parent_process") { [unowned self] _, _, _ in self.parentProcess() }))
        set("active_children", .obj(PyBuiltin("active_children") { [unowned self] _, _, _ in self.activeChildren() }))
        set("cpu_count", .obj(PyBuiltin("cpu_count") { _, _, _ in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }))
        set("freeze_support", .obj(PyBuiltin("freeze_support") { _, _, _ in .none }))
        set("ProcessError", .obj(processErrorClass))
        set("TimeoutError", .obj(timeoutErrorClass))
        set("AuthenticationError", .obj(authenticationErrorClass))
        set("BufferTooShort", .obj(bufferTooShortClass))
    }

    func getContext(_ method: Value?) throws -> Value {
        var name = startMethod ?? "fork"
        if let method, !method.isNone { name = try interp.strArg(method, "get_context") }
        let clsName: String
        switch name {
        case "fork": clsName = "ForkContext"
        case "spawn": clsName = "SpawnContext"
        case "forkserver": clsName = "ForkServerContext"
        default:
            if let provider = contextProviders[name] { return try provider(interp) }
            throw err("ValueError", "cannot find context for '\(name)'")
        }
        let cls = makeClass(clsName, module: "multiprocessing.context", [])
        let ctx = PyInstance(cls)
        fillContext { ctx.dict[$0] = $1 }
        if let m = mpModule { for (k, b) in m.globals where ctx.dict[k] == nil && !k.hasPrefix("_") { if let v = b.value { ctx.dict[k] = v } } }
        ctx.dict["get_start_method"] = .obj(PyBuiltin("get_start_method") { _, _, _ in .str(name) })
        ctx.dict["_name"] = .str(name)
        if name != "fork" {
            // CPython's SpawnContext.Process is SpawnProcess (named SpawnProcess-N), and its Pool starts
            // SpawnPoolWorker-N processes that run the main module as __mp_main__
            ctx.dict["Process"] = .obj(contextProcessClass(name))
            if let pool = ctx.dict["Pool"] {
                ctx.dict["Pool"] = .obj(PyBuiltin("Pool") { i, a, kw in
                    try i.call(pool, a, kw.contains { $0.0 == "context" } ? kw : kw + [("context", .str(name))])
                })
            }
        }
        return .obj(ctx)
    }

    func connectionModule() throws -> PyModule {
        let m = PyModule(name: "multiprocessing.connection")
        m.set("__name__", .str("multiprocessing.connection"))
        m.set("Connection", .obj(connectionClass))
        m.set("Pipe", .obj(PyBuiltin("Pipe") { [unowned self] _, a, kw in try self.pipe(a, kw) }))
        m.fn("wait") { [unowned self] _, a, kw in try self.connectionWait(a, kw) }
        m.set("AuthenticationError", .obj(authenticationErrorClass))
        m.set("BufferTooShort", .obj(bufferTooShortClass))
        addSocketConnectionFunctions(to: m)
        // Listener, Client and the challenge functions are Python (SourceModules.swift), compiled when first
        // used: `import multiprocessing` imports this module, and most programs never open a socket
        lazyNames(in: m, from: "_mpsh_connection", ["Listener", "Client", "deliver_challenge", "answer_challenge",
                                                    "address_type", "arbitrary_address"])
        return m
    }

    /// Names in `module` that stand for those of the Python module `source` (registered below), imported on the
    /// first call. Each is a function that calls the real one: an `isinstance` check against it is not possible
    /// (the real classes are reachable as `type(obj)`).
    func lazyNames(in module: PyModule, from source: String, _ names: [String]) {
        for name in names {
            module.set(name, .obj(PyBuiltin(name) { i, a, kw in
                try i.call(try i.getAttr(try i.importModule(source), name), a, kw)
            }))
        }
    }

    /// `multiprocessing.synchronize`: the synchronisation classes themselves (scripts import them for type
    /// annotations and isinstance checks, e.g. `from multiprocessing.synchronize import Lock as LockType`).
    func synchronizeModule() throws -> PyModule {
        let mp = try multiprocessingModule()
        let m = PyModule(name: "multiprocessing.synchronize")
        for name in ["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier"] {
            if let v = mp.get(name) { m.set(name, v) }
        }
        return m
    }

    func sharedMemoryModule() throws -> PyModule {
        let m = PyModule(name: "multiprocessing.shared_memory")
        m.set("__name__", .str("multiprocessing.shared_memory"))
        m.set("SharedMemory", .obj(sharedMemoryClass))
        lazyNames(in: m, from: "_mpsh_shared_memory", ["ShareableList"])
        return m
    }

    func queueModule() throws -> PyModule {
        let m = PyModule(name: "queue")
        m.set("__name__", .str("queue"))
        m.set("Empty", .obj(emptyClass))
        m.set("Full", .obj(fullClass))
        try runSource(Self.queueSource, in: m, file: "<queue>")
        return m
    }
}

extension Interpreter {
    /// The binding of this interpreter, created on first use.
    var mpBinding: MPBinding {
        if let b = layerState["multiprocessing"] as? MPBinding { return b }
        let b = MPBinding(self)
        layerState["multiprocessing"] = b
        return b
    }

    /// Registers `multiprocessing`, `multiprocessing.connection`, `multiprocessing.shared_memory` and `queue`.
    func registerMultiprocessingModules() {
        registerModule("multiprocessing") { i in try i.mpBinding.multiprocessingModule() }
        registerModule("multiprocessing.connection") { i in try i.mpBinding.connectionModule() }
        registerModule("multiprocessing.shared_memory") { i in try i.mpBinding.sharedMemoryModule() }
        registerModule("multiprocessing.synchronize") { i in try i.mpBinding.synchronizeModule() }
        registerModule("queue") { i in try i.mpBinding.queueModule() }
        registerModule("_mpsh_connection") { i in
            let b = i.mpBinding
            let m = PyModule(name: "multiprocessing.connection")
            m.set("__name__", .str("multiprocessing.connection"))
            m.fn("wait") { _, a, kw in try b.connectionWait(a, kw) }
            m.set("AuthenticationError", .obj(b.authenticationErrorClass))
            m.set("BufferTooShort", .obj(b.bufferTooShortClass))
            m.fn("_get_temp_dir") { _, _, _ in try b.tempDirectory() }
            try b.runSource(MPBinding.connectionSource, in: m, file: "<multiprocessing.connection>")
            return m
        }
        registerModule("_mpsh_shared_memory") { i in
            let b = i.mpBinding
            let m = PyModule(name: "multiprocessing.shared_memory")
            m.set("__name__", .str("multiprocessing.shared_memory"))
            m.set("SharedMemory", .obj(b.sharedMemoryClass))
            m.set("partial", try i.getAttr(try i.importModule("functools"), "partial"))
            try b.runSource(MPBinding.shareableListSource, in: m, file: "<multiprocessing.shared_memory>")
            return m
        }
        registerModule("_queue") { i in
            let m = PyModule(name: "_queue")
            m.set("Empty", .obj(i.mpBinding.emptyClass))
            return m
        }
        registerModule("multiprocessing.util") { i in
            let b = i.mpBinding
            let m = try b.sourceModule("multiprocessing.util", MPBinding.utilSource)
            m.fn("get_temp_dir") { _, _, _ in try b.tempDirectory() }
            m.fn("_note_finalizer") { _, _, _ in b.finalizerOwner = getpid(); return .none }
            return m
        }
        registerModule("multiprocessing.sharedctypes") { i in
            _ = try i.importModule("multiprocessing")
            return try i.mpBinding.sourceModule("multiprocessing.sharedctypes", MPBinding.sharedctypesSource)
        }
        registerPoolManagerFuturesModules()
        // Only what multiprocessing raises (Barrier's BrokenBarrierError); a fuller threading module replaces
        // this one by registering its own, and should take the class from `mpBinding.brokenBarrierClass`.
        if nativeModules["threading"] == nil {
            registerModule("threading") { i in
                let m = PyModule(name: "threading")
                m.set("BrokenBarrierError", .obj(i.mpBinding.brokenBarrierClass))
                return m
            }
        }
    }

    /// Adds names to the `multiprocessing` module when it is built (Pool, Manager, concurrent.futures plug in
    /// here): `hook(interp, module)` runs once, after the binding's own names are set, and may replace them.
    public func extendMultiprocessing(_ hook: @escaping (Interpreter, PyModule) throws -> Void) {
        mpBinding.extensions.append(hook)
    }
}

extension Interpreter {
    /// What CPython's multiprocessing does when the interpreter exits: the finalizers of exit priority 0 or more
    /// run (a started manager is shut down), daemonic children are terminated, then every child is joined, then
    /// the other finalizers run. Call it on the interpreter's own thread when a program (or the REPL) ends: a
    /// child gets its parent-death signal when the thread that forked it ends, so waiting for children must happen
    /// before this thread returns. Does nothing if the program never imported multiprocessing.
    /// Mirrors `multiprocessing.util._exit_function`.
    public func finishChildren() {
        guard let binding = layerState["multiprocessing"] as? MPBinding else { return }
        flushAll()
        binding.runExitFinalizers(0)
        Children.finish()
        binding.runExitFinalizers(nil)
        removeTempDirAtExit()
    }

    /// The finalizers (`multiprocessing.util.Finalize`) of this process whose exit priority is at least `minimum`,
    /// or all of them (nil): the first and the last step of multiprocessing's end of a process, around the join of
    /// its children. Does nothing if this process made none.
    public func runExitFinalizers(_ minimum: Int?) {
        (layerState["multiprocessing"] as? MPBinding)?.runExitFinalizers(minimum)
    }

    /// The last of a program's end (after its children are joined and its atexit functions have run): removes the
    /// directory `get_temp_dir()` made for this process's sockets, if this process made it. Does nothing if the
    /// program never imported multiprocessing.
    public func removeTempDirAtExit() {
        (layerState["multiprocessing"] as? MPBinding)?.removeTempDir()
    }
}

extension MPBinding {
    /// `multiprocessing.util.get_temp_dir()`: the directory where a Listener made without an address puts its
    /// socket, one a process, made on first use by `tempfile.mkdtemp(prefix='pymp-')` (under TMPDIR, else /tmp) and
    /// removed when the process that made it ends (`removeTempDir`), by SIGTERM too (terminate(): a pool's
    /// workers end so; CPython's leave their directory behind) unless the program handles SIGTERM itself. A forked
    /// child uses its parent's.
    func tempDirectory() throws -> Value {
        if let dir = tempDir { return .str(dir.path) }
        let mkdtemp = try interp.getAttr(try interp.importModule("tempfile"), "mkdtemp")
        let made = try interp.call(mkdtemp, [], [("prefix", .str("pymp-"))])
        let path = try interp.str(made)
        tempDir = (path, getpid())
        _ = cshim_term_remove_dir(path)
        return made
    }

    /// At a process's end: removes `tempDirectory`'s directory and what is in it, if this process made it (a
    /// forked child leaves its parent's alone). Mirrors the finalizer CPython's get_temp_dir registers, with
    /// exitpriority -100: the last to run, after the children are joined.
    func removeTempDir() {
        guard let dir = tempDir, dir.creator == getpid() else { return }
        tempDir = nil
        removeTree(dir.path)
        // (forgotten after, not before: a SIGTERM meanwhile still removes what is left)
        _ = cshim_term_remove_dir(nil)
    }

    /// Runs `multiprocessing.util._run_finalizers(minimum)` if this process made finalizers of its own (see
    /// `finalizerOwner`); one that raises is reported on stderr and the others still run.
    func runExitFinalizers(_ minimum: Int?) {
        guard finalizerOwner == getpid(), case .obj(let util as PyModule)? = interp.modules["multiprocessing.util"],
              let run = util.get("_run_finalizers") else { return }
        do {
            _ = try interp.call(run, [minimum.map { .int($0) } ?? .none])
        } catch let e as PyException {
            interp.flushAll()
            interp.writeStderr(interp.formatTraceback(e.exc))
        } catch {
            interp.writeStderr("mpsh: \(error)\n")
        }
        interp.flushAll()
    }

    /// The end of a child process (a forked Process, a pool or executor worker) as CPython's `_exit_function` makes
    /// it, when the child has something of its own to end: its finalizers of exit priority 0 or more, its own
    /// children joined, its other finalizers, then its socket directory removed. A child that made neither
    /// finalizers nor a socket directory skips it all (its children are joined by the library as it exits).
    func finishChildProcess() {
        let me = getpid()
        guard finalizerOwner == me || tempDir?.creator == me else { return }
        runExitFinalizers(0)
        Children.finish()
        runExitFinalizers(nil)
        removeTempDir()
    }
}

/// Removes `path` and everything below it, following no link (`shutil.rmtree`); what cannot be removed stays.
func removeTree(_ path: String) {
    if unlink(path) == 0 || errno != EISDIR { return }
    var names: [String] = []
    if let dir = opendir(path) {
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
    }
    for name in names { removeTree(path + "/" + name) }
    rmdir(path)
}
