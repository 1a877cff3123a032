// The pool's worker side in the binding: running a task or a chunk sent by the parent, the exceptions and remote
// tracebacks sent back, and a forked process becoming a pool or executor worker (initializer, names, flags).
// Mirrors the worker half of CPython's `Lib/multiprocessing/pool.py`.
import Foundation
import Multiprocessing
import PoolBridge
#if canImport(Glibc)
import Glibc
#endif

extension MPBinding {
    // MARK: the worker side

    /// Runs one task in a pool worker: decodes (mode, function, payload), calls, encodes the outcome. Never throws.
    func runTask(_ bytes: [UInt8]) -> [UInt8] {
        let interp = self.interp   // one strong reference for the task, not one per use of the unowned one
        var outcome: Value
        do {
            let task = try interp.decode(bytes)
            guard case .tuple(let t) = task, t.items.count == 3, case .str(let mode) = t.items[0] else {
                throw err("RuntimeError", "a pool task could not be read")
            }
            let fn = t.items[1]
            let payload = try fromRefs(t.items[2])
            let value: Value
            switch mode {
            case "m", "s":
                switch try runChunk(mode == "s", fn, payload) {
                case .encoded(let outcome):
                    interp.flushAll()
                    return outcome
                case .values(let results):
                    value = .list(PyList(results))
                }
            default:
                guard case .tuple(let p) = payload, p.items.count == 2 else {
                    throw err("RuntimeError", "a pool task could not be read")
                }
                var args: [Value] = []
                try interp.iterate(p.items[0]) { args.append($0); return true }
                var kw: [(String, Value)] = []
                if case .dict(let d) = p.items[1] {
                    for (k, v) in d.items { kw.append((try interp.strArg(k, "keyword"), v)) }
                }
                value = try interp.call(fn, args, kw)
            }
            outcome = .tuple(PyTuple([.bool(true), value]))
        } catch let e as PyException where e.exc.cls.isSubclass(of: interp.excClass("SystemExit")) {
            let code = (try? interp.str(e.exc.dict["args"].flatMap { v -> Value? in
                if case .tuple(let t) = v { return t.items.first } else { return nil } } ?? .none)) ?? "None"
            outcome = .tuple(PyTuple([.bool(false), .tuple(PyTuple([.str("SystemExit"), .str(code)]))]))
        } catch let e as PyException {
            interp.flushAll()
            outcome = .tuple(PyTuple([.bool(false), exceptionPayload(e.exc, traceback: remoteTracebackText(e.exc))]))
        } catch let e as ExitRequest {
            outcome = .tuple(PyTuple([.bool(false), .tuple(PyTuple([.str("SystemExit"), .str("\(e.code)")]))]))
        } catch {
            outcome = .tuple(PyTuple([.bool(false), .tuple(PyTuple([.str("RuntimeError"), .str("\(error)")]))]))
        }
        interp.flushAll()
        if let bytes = try? interp.encode(outcome) { return bytes }
        // The result cannot travel: CPython's MaybeEncodingError.
        var resultRepr = "?"
        if case .tuple(let t) = outcome, t.items.count == 2 { resultRepr = (try? interp.repr(t.items[1])) ?? "?" }
        let reason = (try? interp.encode(outcome)).map { _ in "" } ?? "the value cannot be sent to another process"
        let fallback = Value.tuple(PyTuple([.bool(false), .tuple(PyTuple([
            .str("MaybeEncodingError"), .str("Error sending result: '\(resultRepr)'. Reason: '\(reason)'")]))]))
        return (try? interp.encode(fallback)) ?? []
    }

    /// A map chunk's results: already encoded as its outcome while they came (all scalars, the usual case), or
    /// as values for the general encoding.
    enum ChunkResults {
        case encoded([UInt8])
        case values([Value])
    }

    /// Runs a map (`star` false: `fn(x)`) or starmap (`fn(*x)`) chunk: the items of a list, or of a range (a
    /// chunk of `map(f, range(...))` travels as one). Results are written into the outcome's bytes as they come
    /// (`MapChunkWriter`) until one is not a scalar; from there on they are kept as values.
    func runChunk(_ star: Bool, _ fn: Value, _ payload: Value) throws -> ChunkResults {
        let interp = self.interp
        let range: PyRange?
        let items: [Value]
        if !star, case .obj(let r as PyRange) = payload {
            range = r
            items = []
        } else if case .list(let l) = payload {
            range = nil
            items = l.items
        } else {
            throw err("RuntimeError", "a pool task could not be read")
        }
        let n = range?.count ?? items.count
        var writer = MapChunkWriter(count: n)
        if star {
            for item in items {
                var args: [Value] = []
                try interp.iterate(item) { args.append($0); return true }
                try writer.add(interp.call(fn, args), interp)
            }
        } else if case .obj(let f as PyFunction) = fn, let repeated = interp.repeatedCall(f) {
            // the usual map: a def of one parameter, through one prepared call for the whole chunk, in a loop
            // of its own per kind of payload
            if let range {
                let step = range.step
                var x = range.start
                for _ in 0..<n {
                    try writer.add(repeated.call(.int(x)), interp)
                    x &+= step
                }
            } else {
                for item in items { try writer.add(repeated.call(item), interp) }
            }
        } else {
            // one argument array for the whole chunk, its element replaced per item (the callee copies what it
            // keeps)
            var one: [Value] = [.none]
            for k in 0..<n {
                if let range { one[0] = .int(range.start &+ k &* range.step) } else { one[0] = items[k] }
                try writer.add(interp.call(fn, one), interp)
            }
        }
        if let kept = writer.kept { return .values(kept) }
        return .encoded(writer.bytes())
    }

    /// An exception as it travels: (class, args) when both encode, otherwise (class name, message); with
    /// `traceback`, the worker's traceback as text after them (the parent's RemoteTraceback).
    func exceptionPayload(_ exc: PyInstance, traceback: String? = nil) -> Value {
        let args = exc.dict["args"] ?? .tuple(PyTuple.empty)
        let tail: [Value] = traceback.map { [.str($0)] } ?? []
        let full = Value.tuple(PyTuple([.obj(exc.cls), args] + tail))
        // Only when the parent can rebuild it: the class must be found again by module and name.
        if let bytes = try? interp.encode(full), (try? interp.decode(bytes)) != nil { return full }
        let message = (try? interp.str(.obj(exc))) ?? ""
        return .tuple(PyTuple([.str(exc.cls.name), .str(message)] + tail))
    }

    /// A worker's exception as the text its RemoteTraceback holds: the traceback CPython's worker formats
    /// (`traceback.format_exception`, chained exceptions included) between triple quotes, after mpi4py's
    /// "### MPI rank N on host" line in an MPI worker. Mirrors `multiprocessing.pool.ExceptionWithTraceback`.
    func remoteTracebackText(_ exc: PyInstance) -> String {
        let header = (interp.layerState["mpi4py"] as? MPI4PyState).map {
            "### MPI rank \($0.runtime.rank) on \($0.runtime.processorName)\n"
        } ?? ""
        return header + "\"\"\"\n" + interp.formatTraceback(exc) + "\"\"\""
    }

    /// A class for the remote traceback a worker's exception has as its `__cause__`: `str()` is the traceback
    /// text, held in `tb` too. Mirrors `multiprocessing.pool.RemoteTraceback`.
    func makeRemoteTracebackClass(_ name: String, module: String) -> PyClass {
        let c = exceptionClass(name, module: module, base: interp.excClass("Exception"))
        c.dict["__init__"] = .obj(PyBuiltin("__init__") { [unowned self] _, a, _ in
            guard a.count == 2, case .obj(let inst as PyInstance) = a[0] else {
                throw self.interp.typeError("\(name).__init__() takes exactly one argument (the traceback text)")
            }
            inst.dict["tb"] = a[1]
            inst.dict["args"] = .tuple(PyTuple([a[1]]))
            return .none
        })
        c.dict["__str__"] = .obj(PyBuiltin("__str__") { [unowned self] _, a, _ in
            guard case .obj(let inst as PyInstance) = a[0], let tb = inst.dict["tb"] else { return .str("") }
            return .str(try self.interp.str(tb))
        })
        return c
    }

    /// The exception to raise in the parent for a worker's exception payload; with `remote`, its `__cause__` is
    /// an instance of that class holding the worker's traceback, as CPython's `rebuild_exc` makes it.
    func exceptionFrom(_ payload: Value, remote: PyClass? = nil) -> PyException {
        let e = exceptionFrom(payload)
        guard let remote, case .tuple(let t) = payload, t.items.count == 3, case .str = t.items[2],
              let text = try? interp.str(t.items[2]) else {
            return e
        }
        let cause = PyInstance(remote)
        cause.dict["tb"] = .str("\n" + text)
        cause.dict["args"] = .tuple(PyTuple([.str("\n" + text)]))
        e.exc.cause = .obj(cause)
        return e
    }

    /// The exception to raise in the parent for a worker's exception payload (its traceback, if any, left out).
    func exceptionFrom(_ payload: Value) -> PyException {
        guard case .tuple(let t) = payload, t.items.count == 2 || t.items.count == 3 else {
            return err("RuntimeError", "a worker failed")
        }
        if case .obj(let cls as PyClass) = t.items[0] {
            var args: [Value] = []
            if case .tuple(let a) = t.items[1] { args = a.items }
            if case .obj(let inst as PyInstance)? = try? interp.call(.obj(cls), args), inst.cls.isException {
                inst.dict["args"] = t.items[1]
                return PyException(inst)
            }
            let inst = PyInstance(cls)
            inst.dict["args"] = t.items[1]
            return PyException(inst)
        }
        let name = (try? interp.str(t.items[0])) ?? "RuntimeError"
        let message = (try? interp.str(t.items[1])) ?? ""
        if name == "MaybeEncodingError" {
            let inst = PyInstance(poolState.maybeEncodingErrorClass)
            inst.dict["args"] = .tuple(PyTuple([.str(message)]))
            return PyException(inst)
        }
        // sys.exit() in a task must not end the parent program (CPython's worker would die and the task hang).
        if name == "SystemExit" { return err("RuntimeError", "a pool task called sys.exit(\(message))") }
        return err(interp.excClasses[name] != nil ? name : "RuntimeError", message)
    }

    /// A library pool error as the Python exception the program sees.
    func poolError(_ e: Error) -> Error {
        if e is PyException || e is ExitRequest { return e }
        guard let p = e as? PoolError else {
            if let r = e as? RemoteError { return err("RuntimeError", r.description) }
            if let d = e as? DescribedError { return err("RuntimeError", d.description) }
            return pyError(e)
        }
        switch p {
        case .notRunning: return err("ValueError", "Pool not running")
        case .timedOut: return raise(timeoutErrorClass)
        case .invalidArgument(let text): return err("ValueError", text)
        case .cancelled: return raise(futuresCancelledClass)
        case .brokenPool: return raise(brokenProcessPoolClass, p.description)
        case .workerDied, .resultLost, .terminated, .initializerFailed:
            return raise(processErrorClass, p.description)
        default: return err("RuntimeError", p.description)
        }
    }

    /// What a pool or executor worker runs first: it becomes `current_process()` (ForkPoolWorker-N); under spawn
    /// and forkserver (the pool's context, the executor's mp_context) it runs the main module as `__mp_main__`
    /// (see SpawnBinding.swift: the workers are forks, so this is what makes the module's output appear once per
    /// worker and its globals the module's own); then the user's initializer (`PoolTaskContext.userInitializer`,
    /// inherited from the parent when the pool forked).
    func initializeWorker(executor: Bool) throws {
        becomeWorker(executor: executor)
        if PoolTaskContext.shared.workerStartMethod != "fork", mainIsAFile {
            defer { interp.flushAll() }
            do { _ = try interp.runMainAsMpMain(interp.mainFile) } catch let e as PyException {
                interp.writeStderr(interp.formatTraceback(e.exc))
            }
        }
        if let (f, args) = PoolTaskContext.shared.userInitializer {
            defer { interp.flushAll() }
            _ = try interp.call(f, args)
        }
    }

    /// In a pool worker: current_process() describes this worker, as CPython's ForkProcess does.
    func becomeWorker(executor: Bool) {
        let me = Multiprocessing.Process.current
        // CPython's executor workers are plain processes (ForkProcess-N, SpawnProcess-N under spawn); the pool's are
        // ForkPoolWorker-N (SpawnPoolWorker-N, ForkServerPoolWorker-N). N is
        // the number the parent took for this worker from its process counter (`workerIdentities`), the library
        // numbering the pool's workers 1, 2, ...; a replacement worker beyond the pool's size continues from the
        // last number taken (CPython would take the counter's next number at that time).
        let prefix = "ForkPoolWorker-"
        var identity = me.identity
        let taken = PoolTaskContext.shared.workerIdentities
        if me.name.hasPrefix(prefix), let k = Int(me.name.dropFirst(prefix.count)), k >= 1, let last = taken.last {
            identity = k <= taken.count ? taken[k - 1] : Array(last.dropLast()) + [last[last.count - 1] + k - taken.count]
        }
        let number = identity.map(String.init).joined(separator: ":")
        let startedBy = PoolTaskContext.shared.workerStartMethod
        let kind = startedBy == "spawn" ? "Spawn" : startedBy == "forkserver" ? "ForkServer" : "Fork"
        let name = me.name.hasPrefix(prefix) && !identity.isEmpty
            ? (executor ? kind + "Process-" : kind + "PoolWorker-") + number : me.name
        // CPython's executor workers are not daemonic (since 3.9), the pool's are
        let className = kind + "Process"
        let cls = makeClass(className, module: "multiprocessing.context", [
            method("is_alive") { _, _, _ in .bool(true) },
            method("__repr__") { _, _, _ in
                .str("<\(className) name='\(name)' parent=\(me.parentPID ?? 0) started\(executor ? "" : " daemon")>")
            },
        ])
        let i = PyInstance(cls)
        i.dict["name"] = .str(name)
        i.dict["daemon"] = .bool(!executor)
        i.dict["pid"] = .int(Int(me.pid))
        i.dict["ident"] = .int(Int(me.pid))
        i.dict["exitcode"] = Value.none
        i.dict["_identity"] = .tuple(PyTuple(identity.map { .int($0) }))
        currentInstance = i
        instances = [:]
    }

    func checkForkThread() throws {
        if pthread_equal(pthread_self(), interpreterThread) == 0 {
            throw err("RuntimeError", "a pool can only be started from the program's own thread")
        }
    }
}
