// The spawn and forkserver start methods for mpsh programs, as CPython's.
//
// Under fork a child is a copy of the interpreter and runs its target directly (a lambda or a closure too). Under
// spawn and forkserver the child is a program that starts afresh, as CPython's:
// - spawn: the library runs `/proc/self/exe` (this mpsh) with its request socket in the environment; mpsh's
//   `main` hands it to `serveSpawnedChild()` before anything else. The child runs the program's main file as the
//   module `__mp_main__` (also `sys.modules['__main__']`, so `if __name__ == '__main__':` code is skipped and the
//   globals are the module's own, not the parent's at `start()`), then finds the target by name and runs it.
//   Mirrors `multiprocessing.spawn` (`get_preparation_data`, `prepare`, `_fixup_main_from_path`).
// - forkserver: the library's fork server, a fork of the program made at first use, starts a fresh interpreter
//   that runs the main file as `__mp_main__` once (CPython 3.14's server preloads `__main__` the same way); each
//   child is forked from the server and finds its target there. The server never flushes what the module printed:
//   every child inherits the unwritten text and writes it as it ends, as CPython's children do when standard
//   output is a file or a pipe.
//
// What travels (`SpawnCall`): the main file, sys.argv and sys.path, the target by reference (its module and
// qualified name: CPython pickles a function so), the arguments in the interpreter's value codec, and the shared
// objects among them (queues, locks, semaphores, events, pipe ends) as the library sends them: their memory's
// descriptors. The rule, as CPython's: the target must be importable by name; a lambda or a nested function is
// refused at `start()` with CPython's error (`_pickle.PicklingError: Can't pickle <function <lambda> ...>:
// attribute lookup <lambda> on __main__ failed`, `AttributeError: Can't pickle local object 'f.<locals>.g'`),
// and a Process subclass travels as its class (by name) and its attributes. Beyond CPython: values inside the
// arguments that the codec rebuilds exactly (a lambda, a closure, a bound method: the child compiled the same
// file, so the code is the same) travel too.
import Foundation
import Multiprocessing
#if canImport(Glibc)
import Glibc
#endif

/// A shared object among a spawned child's arguments, as the library sends it.
enum SpawnShared: Codable {
    case queue(Multiprocessing.Queue<[UInt8]>)
    case joinableQueue(JoinableQueue<[UInt8]>)
    case simpleQueue(Multiprocessing.Queue<[UInt8]>)
    case lock(Lock)
    case rlock(RLock)
    case semaphore(Multiprocessing.Semaphore)
    case boundedSemaphore(BoundedSemaphore)
    case event(Event)
    case connection(Connection)
    /// A Value or Array: its memory, C type and length, and its lock's index among the shared objects (nil: raw).
    case ctypes(memory: SharedMemory, code: String, count: Int, isArray: Bool, lock: Int?)
    /// A Condition, and the index of the Lock or RLock object the program gave it (or got from it).
    case condition(Condition, lock: Int)
    case barrier(Barrier, parties: Int)
}

/// How the child finds what to run.
enum SpawnTarget: Codable {
    /// `Process.run` of the binding: the target by module and qualified name (`.none`: no target).
    case function(module: String, qualname: String)
    /// `Process.run` of the binding, with a target that travels in the arguments (a bound method ...).
    case encoded
    /// No target: run() does nothing.
    case nothing
    /// A subclass with its own `run`: the class by module and name, its attributes in the arguments.
    case instance(module: String, name: String)
}

/// Everything a spawned child needs. Mirrors CPython's preparation data and pickled process object.
struct SpawnCall: Codable {
    var mainFile: String
    var argv: [String]
    var path: [String]
    var unbuffered: Bool
    /// The class the child's `current_process()` has (`Process`, `SpawnProcess`, `ForkServerProcess`).
    var processClass: String
    var target: SpawnTarget
    /// The codec's bytes: a tuple (target or None, args, kwargs), or the instance's attributes (a dict).
    var arguments: [UInt8]
    var shared: [SpawnShared]
}

/// The child's side, and what a process must have done for it.
enum SpawnChild {
    /// The function every spawned and fork-server child runs. Registered in every mpsh process (by the binding's
    /// creation, and by `serveSpawnedChild` in a spawned one) before any child or server starts.
    static let function: RemoteFunction<SpawnCall, Int> = {
        do { return try RemoteFunction("mpsh.spawn") { call in try SpawnChild.run(call) } } catch {
            fatalError("mpsh.spawn could not be registered: \(error)")
        }
    }()

    /// In the fork server: the interpreter that ran the main module once; its children run their targets in it.
    nonisolated(unsafe) static var prepared: Interpreter?

    /// A fresh interpreter with the parent's sys.argv and sys.path. Not a `Shell`: the quick-command runtime
    /// (compiled Python, a quarter of a child's start-up) is installed only for a main file that uses quick
    /// commands (`runMainAsMpMain`).
    static func freshInterpreter(mainFile: String, argv: [String], path: [String]) -> Interpreter {
        let interp = Interpreter()
        interp.argv = argv
        interp.mainFile = mainFile
        if case .obj(let sys as PyModule)? = try? interp.importModule("sys") {
            sys.set("path", .list(PyList(path.map { .str($0) })))
        }
        return interp
    }

    /// The fork server's preparation: the main module run once as `__mp_main__`. Its output stays in the
    /// interpreter's buffer (see the file's comment); an exception in it is printed, and the children then fail
    /// to find their targets, as CPython's.
    static func prepareServer(mainFile: String, argv: [String], path: [String]) {
        let interp = freshInterpreter(mainFile: mainFile, argv: argv, path: path)
        prepared = interp
        do {
            _ = try interp.runMainAsMpMain(mainFile)
        } catch let e as PyException {
            _ = interp.handleUncaught(e.exc)
        } catch {
            interp.writeStderr("mpsh fork server: \(error)\n")
        }
        warmCallDecoding()
    }

    /// Decodes, once in the fork server, a call of each target kind: the decoder's first-use work for `SpawnCall`
    /// (its enum's coding keys found by demangling, their metadata and conformances) is then inherited by every
    /// child instead of being done again in each: the children's page faults fell by 43% and their CPU time by
    /// 39%, ~140 µs a child here (perf, 300 forkserver start+joins of a trivial target).
    static func warmCallDecoding() {
        let targets: [SpawnTarget] = [.function(module: "m", qualname: "f"), .encoded, .nothing,
                                      .instance(module: "m", name: "C")]
        for target in targets {
            function.warmArgumentDecoding(SpawnCall(mainFile: "m", argv: ["m"], path: ["m"], unbuffered: false,
                                                    processClass: "Process", target: target, arguments: [0],
                                                    shared: []))
        }
    }

    /// In the child: runs the main module (unless the fork server did), rebuilds the arguments, and runs the
    /// target as CPython's `Process._bootstrap` does. A non-zero exit status is thrown as `ProcessExit`.
    static func run(_ call: SpawnCall) throws -> Int {
        let interp: Interpreter
        if let prepared {
            interp = prepared
        } else {
            if call.unbuffered { mpshUnbufferedOutput = true }
            interp = freshInterpreter(mainFile: call.mainFile, argv: call.argv, path: call.path)
            if !call.mainFile.hasPrefix("<") {
                do { _ = try interp.runMainAsMpMain(call.mainFile) } catch let e as PyException {
                    throw ProcessExit(interp.handleUncaught(e.exc))
                }
            }
        }
        defer {
            interp.joinChildrenAtExit()
            interp.flushOpenFiles()
            interp.flushAll()
        }
        return try interp.mpBinding.runSpawned(call)
    }
}

/// Whether this mpsh was started by the spawn method: its `main` then calls `serveSpawnedChild()` first, on the
/// evaluator's large stack. Mirrors the `--multiprocessing-fork` argument CPython's spawned interpreter gets.
public var isSpawnedChild: Bool { Multiprocessing.isSpawnedChild }

/// Serves a child started by the spawn method; returns at once in any other process (see `isSpawnedChild`).
public func serveSpawnedChild() {
    _ = SpawnChild.function
    Multiprocessing.bootstrap()
}

extension Interpreter {
    /// Runs the program's main file again as the module `__mp_main__`, which becomes `sys.modules['__main__']`
    /// too, as CPython's spawned child does (`runpy.run_path(main_path, run_name="__mp_main__")`). The file is
    /// compiled as the parent compiled it (quick commands translated), so a function the parent encodes by its
    /// code identity names the same code here, bound to this module's globals.
    func runMainAsMpMain(_ file: String) throws -> PyModule {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw err("FileNotFoundError", "[Errno 2] No such file or directory: '\(file)'")
        }
        let source: String
        do { source = try Lexer.decodeSource([UInt8](data), file: file) } catch {
            throw err("SyntaxError", error.message)
        }
        let translated: String
        switch QuickCommands.preprocess(source, file: file, isPython: { Interpreter.check($0) == nil }) {
        case .success(let t): translated = t
        case .failure(let e): throw err("SyntaxError", e.message)
        }
        if translated != source { installShellRuntime() }
        let m = PyModule(name: "__mp_main__")
        m.set("__name__", .str("__mp_main__"))
        m.set("__file__", .str(file))
        m.set("__doc__", .none)
        m.set("__builtins__", .none)
        modules["__mp_main__"] = .obj(m)
        modules["__main__"] = .obj(m)
        let before = Set(codeTable.keys)
        let prog: CompiledProgram
        do { prog = try compile(translated, file: file, module: m) } catch {
            throw err("SyntaxError", error.message)
        }
        if translated != source { sources[file] = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        if let recompiled = codeTable.keys.first(where: { !before.contains($0) }) { adoptCodes(recompiled, as: file) }
        try run(prog, in: m)
        return m
    }
}

extension MPBinding {
    // MARK: the parent's side

    /// Whether the program has a main file to run again in a spawned child. A program without one (`-c`,
    /// standard input, the shell, an embedder's source) has its spawn and forkserver children forked, as before
    /// this existed: its functions could not be found by name in a fresh interpreter.
    var mainIsAFile: Bool {
        let file = interp.mainFile
        guard !file.hasPrefix("<") else { return false }
        var info = stat()
        return stat(file, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The start method a Process object starts with: its context's (`SpawnProcess`), else the one set, else fork.
    func startMethod(of inst: PyInstance) -> String {
        if case .str(let s)? = try? interp.getAttr(.obj(inst), "_start_method") { return s.s }
        return startMethod ?? "fork"
    }

    /// CPython's spawn and forkserver read the start method for the child's preparation data, which fixes the
    /// default context: a later `set_start_method` without `force` raises "context has already been set".
    func settleDefaultContext() {
        if startMethod == nil { startMethod = "fork" }
    }

    /// The class of `get_context(method).Process`: a subclass of Process named as CPython's.
    func contextProcessClass(_ method: String) -> PyClass {
        if let c = contextProcessClasses[method] { return c }
        let name = method == "spawn" ? "SpawnProcess" : method == "forkserver" ? "ForkServerProcess" : "ForkProcess"
        let c = PyClass(name: name, bases: [processClass], dict: ["_start_method": .str(method)])
        c.module = "multiprocessing.context"
        contextProcessClasses[method] = c
        return c
    }

    /// Whether `inst` runs Process.run's own code (its class and it override nothing).
    func hasOwnRun(_ inst: PyInstance) -> Bool {
        guard inst.dict["run"] == nil, case .obj(let run)? = try? interp.getAttr(.obj(inst.cls), "run") else { return false }
        return run === processRunMethod
    }

    /// Starts `inst` by spawn or forkserver: replaces its library process by one that runs `mpsh.spawn` with the
    /// call this builds (the target by name, the arguments encoded), and starts it.
    func startSpawned(_ inst: PyInstance, _ box: ProcessBox, _ method: StartMethod) throws {
        let call = try spawnCall(inst)
        settleDefaultContext()
        if method == .forkserver {
            let (file, argv, path) = (call.mainFile, call.argv, call.path)
            ForkServer.setPreparation { SpawnChild.prepareServer(mainFile: file, argv: argv, path: path) }
        }
        let proc = Multiprocessing.Process(replacing: box.proc, startMethod: method, function: SpawnChild.function,
                                           argument: call)
        box.proc = proc
        try lib { try proc.start() }
    }

    /// What the child is told: CPython's preparation data and the process object, by reference.
    func spawnCall(_ inst: PyInstance) throws -> SpawnCall {
        var shared: [SpawnShared] = []
        var sharedIndex: [ObjectIdentifier: Int] = [:]
        func share(_ i: PyInstance) throws -> Int? {
            if let k = sharedIndex[ObjectIdentifier(i)] { return k }
            // an object's parts (a Value's lock) first: the child rebuilds them in order
            guard let object = try sharedObject(i, share: share) else { return nil }
            shared.append(object)
            sharedIndex[ObjectIdentifier(i)] = shared.count - 1
            return shared.count - 1
        }
        let target: SpawnTarget
        let payload: Value
        if hasOwnRun(inst) {
            let fn = inst.dict["_target"] ?? .none
            let args = inst.dict["_args"] ?? .tuple(PyTuple([]))
            let kwargs = inst.dict["_kwargs"] ?? .dict(PyDict())
            if fn.isNone {
                target = .nothing
                payload = .tuple(PyTuple([.none, args, kwargs]))
            } else if let (module, qualname) = try reference(fn) {
                target = .function(module: module, qualname: qualname)
                payload = .tuple(PyTuple([.none, args, kwargs]))
            } else {
                target = .encoded
                payload = .tuple(PyTuple([fn, args, kwargs]))
            }
        } else {
            let cls = inst.cls
            try checkImportable(.obj(cls), module: cls.module, qualname: cls.name)
            target = .instance(module: cls.module, name: cls.name)
            let attributes = PyDict()
            for (k, v) in inst.attrItems { attributes.set(.str(k), v) }
            payload = .dict(attributes)
        }
        let arguments: [UInt8]
        do { arguments = try interp.encode(payload, sharing: share) } catch let e as CodecError {
            throw pyError(e)
        }
        var path: [String] = []
        if case .obj(let sys as PyModule)? = interp.modules["sys"], case .list(let l)? = sys.get("path") {
            path = l.items.compactMap { if case .str(let s) = $0 { return s.s } else { return nil } }
        }
        var argv = interp.argv
        if case .obj(let sys as PyModule)? = interp.modules["sys"], case .list(let l)? = sys.get("argv") {
            argv = l.items.compactMap { if case .str(let s) = $0 { return s.s } else { return nil } }
        }
        return SpawnCall(mainFile: interp.mainFile, argv: argv, path: path, unbuffered: mpshUnbufferedOutput,
                         processClass: inst.cls === processClass || contextProcessClasses.values.contains { $0 === inst.cls }
                            ? inst.cls.name : "Process",
                         target: target, arguments: arguments, shared: shared)
    }

    /// A function's or class's reference (module, qualified name), as pickle saves it; nil for a value that is not
    /// a plain function, builtin or class (it then travels through the codec). Throws CPython's pickling error for
    /// a lambda, a nested function, or one its module does not hold under its name.
    func reference(_ v: Value) throws -> (String, String)? {
        switch v {
        case .obj(let f as PyFunction):
            if f.qualname.contains("<locals>") {
                throw err("AttributeError", "Can't pickle local object '\(f.qualname)'")
            }
            try checkImportable(v, module: f.module.name, qualname: f.qualname)
            return (f.module.name == "__mp_main__" ? "__main__" : f.module.name, f.qualname)
        case .obj(let b as PyBuiltin):
            let home = interp.builtinHome(b)
            return home.hasPrefix("<type>") ? nil : (home, b.name)
        case .obj(let c as PyClass):
            try checkImportable(v, module: c.module, qualname: c.name)
            return (c.module, c.name)
        default:
            return nil
        }
    }

    /// Raises CPython's PicklingError unless `module` holds `v` as `qualname`.
    func checkImportable(_ v: Value, module: String, qualname: String) throws {
        var found: Value?
        if case .obj(let m as PyModule)? = interp.modules[module] {
            found = .obj(m)
            for part in qualname.split(separator: ".") {
                guard let here = found, let next = try? interp.getAttr(here, String(part)) else { found = nil; break }
                found = next
            }
        } else if module == "builtins" {
            found = interp.builtins[qualname]
        }
        guard let found, let a = found.objectRef, let b = v.objectRef, a === b else {
            let why = found == nil ? "attribute lookup \(qualname) on \(module) failed" : "it's not the same object as \(module).\(qualname)"
            let pickle = try interp.importModule("pickle")
            let cls = try interp.getAttr(pickle, "PicklingError")
            guard case .obj(let e as PyInstance) = try interp.call(cls, [.str("Can't pickle \(try interp.repr(v)): \(why)")]) else {
                throw err("TypeError", "cannot pickle \(try interp.repr(v))")
            }
            throw PyException(e)
        }
    }

    /// The library object behind a binding object that a spawned child can share, or nil.
    func sharedObject(_ i: PyInstance, share: (PyInstance) throws -> Int?) throws -> SpawnShared? {
        switch i.payload {
        case let q as QueueBox:
            if let j = q.joinable { return .joinableQueue(j) }
            return i.cls.isSubclass(of: simpleQueueClass) ? .simpleQueue(q.queue) : .queue(q.queue)
        case let l as LockBox: return .lock(l.lock)
        case let l as RLockBox: return .rlock(l.lock)
        case let s as SemaphoreBox:
            if let b = s.sem as? BoundedSemaphore { return .boundedSemaphore(b) }
            return .semaphore(s.sem)
        case let e as EventBox: return .event(e.event)
        case let c as ConnectionBox: return .connection(c.conn)
        case let v as CTypesBox:
            var lock: Int?
            if case .obj(let l as PyInstance)? = v.lockValue {
                guard let k = try share(l) else { return nil }
                lock = k
            }
            return .ctypes(memory: v.memory, code: String(v.type.code), count: v.count, isArray: v.isArray, lock: lock)
        case let c as ConditionBox:
            guard case .obj(let l as PyInstance) = c.lockValue, let k = try share(l) else { return nil }
            return .condition(c.cond, lock: k)
        case let b as BarrierBox: return .barrier(b.barrier, parties: b.parties)
        default: return nil
        }
    }

    // MARK: the child's side

    /// A shared object rebuilt as the binding object the program knows.
    func sharedValue(_ s: SpawnShared, earlier: [Value]) throws -> Value {
        switch s {
        case .queue(let q): return instance(queueClass, QueueBox(queue: q))
        case .joinableQueue(let q): return instance(joinableQueueClass, QueueBox(queue: q))
        case .simpleQueue(let q): return instance(simpleQueueClass, QueueBox(queue: q))
        case .lock(let l): return instance(lockClass, LockBox(l))
        case .rlock(let l): return instance(rlockClass, RLockBox(l))
        case .semaphore(let x): return instance(semaphoreClass, SemaphoreBox(x, bound: nil))
        case .boundedSemaphore(let x): return instance(boundedSemaphoreClass, SemaphoreBox(x, bound: x.bound))
        case .event(let e): return instance(eventClass, EventBox(e))
        case .connection(let c): return instance(connectionClass, ConnectionBox(c))
        case let .ctypes(memory, code, count, isArray, lock):
            guard let c = code.first, let type = CType.all[c], lock.map({ $0 < earlier.count }) ?? true else {
                throw err("RuntimeError", "a shared Value or Array could not be rebuilt")
            }
            let box = CTypesBox(memory: memory, type: type, count: count, isArray: isArray, lock: lock.map { earlier[$0] })
            return instance(isArray ? arrayClass : valueClass, box)
        case let .condition(c, lock):
            guard lock < earlier.count else { throw err("RuntimeError", "a shared Condition could not be rebuilt") }
            return instance(conditionClass, ConditionBox(c, earlier[lock]))
        case let .barrier(b, parties): return instance(barrierClass, BarrierBox(b, parties))
        }
    }

    /// Looks `qualname` up in `module` (the main module is `__mp_main__` here), as pickle's `find_class`; raises
    /// CPython's AttributeError when it is not there.
    func lookUp(_ module: String, _ qualname: String) throws -> Value {
        let m = try interp.importModule(module)
        var v = m
        for part in qualname.split(separator: ".") {
            guard let next = try? interp.getAttr(v, String(part)) else {
                let where_ = module == "__main__" || module == "__mp_main__"
                    ? "<module '__mp_main__' from '\(interp.mainFile)'>" : (try? interp.repr(m)) ?? module
                throw err("AttributeError", "Can't get attribute '\(qualname)' on \(where_)")
            }
            v = next
        }
        return v
    }

    /// Runs the process `call` describes in this (spawned or fork-server) child; returns 0 or throws ProcessExit.
    func runSpawned(_ call: SpawnCall) throws -> Int {
        _ = try interp.importModule("multiprocessing")
        var shared: [Value] = []
        for s in call.shared { shared.append(try sharedValue(s, earlier: shared)) }
        let decoded: Value
        do { decoded = try interp.decode(call.arguments, shared: shared) } catch let e as CodecError {
            throw err("RuntimeError", "the process's arguments could not be rebuilt: \(e.description)")
        }
        let me = Multiprocessing.Process(describingCurrent: ())
        let inst: PyInstance
        switch call.target {
        case .instance(let module, let name):
            guard case .obj(let cls as PyClass) = try lookUp(module, name) else {
                throw err("TypeError", "\(module).\(name) is not a class")
            }
            inst = PyInstance(cls)
            if case .dict(let d) = decoded { for (k, v) in d.items { if case .str(let s) = k { inst.dict[s.s] = v } } }
        case .function, .encoded, .nothing:
            let cls = call.processClass == "Process" ? processClass!
                : contextProcessClass(call.processClass == "SpawnProcess" ? "spawn" : "forkserver")
            inst = PyInstance(cls)
            guard case .tuple(let t) = decoded, t.items.count == 3 else {
                throw err("RuntimeError", "the process's arguments could not be rebuilt")
            }
            var target = t.items[0]
            if case .function(let module, let qualname) = call.target { target = try lookUp(module, qualname) }
            inst.dict["_target"] = target
            inst.dict["_args"] = t.items[1]
            inst.dict["_kwargs"] = t.items[2]
        }
        inst.dict["_identity"] = .tuple(PyTuple(Multiprocessing.Process.current.identity.map { .int($0) }))
        inst.payload = ProcessBox(me, parentPID: Multiprocessing.Process.parent?.pid ?? getppid())
        childCall = nil
        try runChild(inst)
        return 0
    }
}
