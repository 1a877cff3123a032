// multiprocessing.Process, current_process, parent_process, active_children.
// Mirrors CPython's `Lib/multiprocessing/process.py` (BaseProcess) with the fork start method.
import Multiprocessing
import PoolBridge
#if canImport(Glibc)
import Glibc
#endif

/// What a Python Process object holds: the library process and the facts its repr needs.
final class ProcessBox {
    /// Replaced at `start()` by a process that runs the target by name when it starts by spawn or forkserver.
    var proc: Multiprocessing.Process
    let parentPID: pid_t
    var startedHere = false
    init(_ p: Multiprocessing.Process, parentPID: pid_t = getpid()) { proc = p; self.parentPID = parentPID }
}

extension MPBinding {
    func processBox(_ v: Value) throws -> ProcessBox {
        if case .obj(let i as PyInstance) = v {
            if let b = i.payload as? ProcessBox { return b }
            throw err("AttributeError", "'\(i.cls.name)' object has no attribute '_popen': Process.__init__() was not called (call super().__init__() first in \(i.cls.name).__init__)")
        }
        throw interp.typeError("expected a Process object, got '\(interp.typeName(v))'")
    }

    func isCurrent(_ v: Value) -> Bool {
        if case .obj(let i as PyInstance) = v, let c = currentInstance { return i === c }
        return false
    }

    func makeProcessClass() {
        let members: [(String, Value)] = [
            method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { throw i.typeError("Process.__init__ needs self") }
                let b = try self.bind(Array(a.dropFirst()), kw, ["group", "target", "name", "args", "kwargs", "daemon"], "Process")
                if let g = b[0], !g.isNone { throw self.err("AssertionError", "group argument must be None for now") }
                var name: String?
                if let n = b[2], !n.isNone { name = try i.str(n) }
                var daemon: Bool?
                if let d = b[5], !d.isNone { daemon = try i.truthy(d) }
                // unowned, not weak: a weak reference would give the binding and the instance a side table, and
                // every retain and release of them would take the slow path (in a child, the side table is one
                // more page to fault in). The closure runs only in a child forked by `start`, whose caller holds
                // the instance.
                // made with its default name first: "Process-N:M" is its identity, CPython's `_identity`
                let proc = Multiprocessing.Process(name: nil, daemon: daemon) { [unowned self, unowned inst] in
                    try self.runChild(inst)
                }
                let numbers = proc.name.split(separator: "-").last.map { $0.split(separator: ":").compactMap { Int($0) } } ?? []
                inst.dict["_identity"] = .tuple(PyTuple(numbers.map { .int($0) }))
                if let name {
                    proc.name = name
                } else if inst.cls !== self.processClass, let dash = proc.name.firstIndex(of: "-") {
                    proc.name = inst.cls.name + String(proc.name[dash...])   // CPython: type(self).__name__ + '-N'
                }
                inst.payload = ProcessBox(proc)
                inst.dict["_target"] = b[1] ?? Value.none
                inst.dict["_args"] = .tuple(PyTuple(try b[3].map { try i.toArray($0) } ?? []))
                inst.dict["_kwargs"] = b[4] ?? .dict(PyDict())
                return .none
            },
            method("run") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                return try self.runTarget(inst)
            },
            method("start") { [unowned self] _, a, _ in try self.start(a[0]); return .none },
            method("join") { [unowned self] _, a, kw in
                let b = try self.bind(Array(a.dropFirst()), kw, ["timeout"], "join")
                let box = try self.processBox(a[0])
                if self.isCurrent(a[0]) { throw self.err("AssertionError", "can only join a child process") }
                if box.proc.state == .closed { throw self.err("ValueError", "process object is closed") }
                if box.parentPID != getpid() { throw self.err("AssertionError", "can only join a child process") }
                guard box.startedHere else { throw self.err("AssertionError", "can only join a started process") }
                let t = try self.timeout(b[0])
                if try self.waitSliced(t, { slice in try self.lib { try box.proc.join(timeout: slice) } }), let pid = box.proc.pid {
                    self.instances.removeValue(forKey: pid)
                }
                return .none
            },
            method("is_alive") { [unowned self] _, a, _ in
                if self.isCurrent(a[0]) { return .bool(true) }
                let box = try self.processBox(a[0])
                if box.proc.state == .closed { throw self.err("ValueError", "process object is closed") }
                if box.parentPID != getpid() { throw self.err("AssertionError", "can only test a child process") }
                return .bool(box.startedHere && box.proc.isAlive)
            },
            method("terminate") { [unowned self] _, a, _ in try self.signalProcess(a[0]) { try $0.terminate() } },
            method("kill") { [unowned self] _, a, _ in try self.signalProcess(a[0]) { try $0.kill() } },
            method("close") { [unowned self] _, a, _ in
                let box = try self.processBox(a[0])
                try self.lib { try box.proc.close() }
                return .none
            },
            method("__repr__") { [unowned self] _, a, _ in .str(try self.processRepr(a[0])) },
            property("name", get: { [unowned self] _, a, _ in
                if case .obj(let i as PyInstance) = a[0], i.payload == nil, let n = i.dict["_name"] { return n }
                return .str(try self.processBox(a[0]).proc.name)
            }, set: { [unowned self] i, a, _ in
                guard case .str(let s) = a[1] else { throw self.err("AssertionError", "name must be a string") }
                if case .obj(let inst as PyInstance) = a[0], inst.payload == nil { inst.dict["_name"] = .str(s); return .none }
                try self.processBox(a[0]).proc.name = s.s
                _ = i
                return .none
            }),
            property("daemon", get: { [unowned self] _, a, _ in .bool(try self.processBox(a[0]).proc.daemon) },
                     set: { [unowned self] i, a, _ in
                let box = try self.processBox(a[0])
                if box.startedHere { throw self.err("AssertionError", "process has already started") }
                box.proc.daemon = try i.truthy(a[1])
                return .none
            }),
            property("pid", get: { [unowned self] _, a, _ in try self.pidValue(a[0]) }),
            property("ident", get: { [unowned self] _, a, _ in try self.pidValue(a[0]) }),
            property("exitcode", get: { [unowned self] _, a, _ in
                let box = try self.processBox(a[0])
                if box.proc.state == .closed { throw self.err("ValueError", "process object is closed") }
                guard box.startedHere, box.parentPID == getpid(), let c = box.proc.exitCode else { return .none }
                return .int(Int(c))
            }),
            property("sentinel", get: { [unowned self] _, a, _ in
                let box = try self.processBox(a[0])
                if box.proc.state == .closed { throw self.err("ValueError", "process object is closed") }
                guard box.startedHere else { throw self.err("ValueError", "process not started") }
                return .int(Int(try self.lib { try box.proc.sentinel }))
            }),
        ]
        processClass = makeClass("Process", module: "multiprocessing.context", members)
        if case .obj(let run)? = processClass.dict["run"] { processRunMethod = run }
    }

    func pidValue(_ v: Value) throws -> Value {
        if isCurrent(v) { return .int(Int(getpid())) }
        let box = try processBox(v)
        if box.proc.state == .closed { throw err("ValueError", "process object is closed") }
        return box.proc.pid.map { .int(Int($0)) } ?? .none
    }

    func signalProcess(_ v: Value, _ send: (Multiprocessing.Process) throws -> Void) throws -> Value {
        let box = try processBox(v)
        if box.proc.state == .closed { throw err("ValueError", "process object is closed") }
        guard box.startedHere else { throw err("AttributeError", "'NoneType' object has no attribute 'terminate'") }
        try lib { try send(box.proc) }
        return .none
    }

    func start(_ v: Value) throws {
        let box = try processBox(v)
        guard case .obj(let inst as PyInstance) = v else { return }
        if box.proc.state == .closed { throw err("ValueError", "process object is closed") }
        if box.startedHere { throw err("AssertionError", "cannot start a process twice") }
        if box.parentPID != getpid() { throw err("AssertionError", "can only start a process object created by current process") }
        if Multiprocessing.Process.current.daemon {
            throw err("AssertionError", "daemonic processes are not allowed to have children")
        }
        guard pthread_equal(pthread_self(), interpreterThread) != 0 else {
            throw err("RuntimeError", "a process can only be started from the program's own thread")
        }
        interp.flushAll()
        SharedMemoryTracker.start()  // before the first child: every process of the program shares it
        let method = startMethod(of: inst)
        // a program without a file (-c, standard input, the shell) has no main module to run again: fork
        if method != "fork", mainIsAFile {
            try startSpawned(inst, box, method == "spawn" ? .spawn : .forkserver)
        } else {
            childCall = plainRunCall(inst)
            defer { childCall = nil }
            try lib { try box.proc.start() }
        }
        box.startedHere = true
        if let pid = box.proc.pid { instances[pid] = inst }
    }

    /// `Process.run()`: calls the target with the arguments given at creation.
    func runTarget(_ inst: PyInstance) throws -> Value {
        let target = inst.dict["_target"] ?? .none
        if target.isNone { return .none }
        var kw: [(String, Value)] = []
        if case .dict(let d)? = inst.dict["_kwargs"] {
            for (k, v) in d.items { kw.append((try interp.strArg(k, "run"), v)) }
        }
        var args: [Value] = []
        if let x = inst.dict["_args"] { args = try interp.toArray(x) }
        return try interp.call(target, args, kw)
    }

    /// Whether `inst` is a plain Process whose `run` is still Process.run's own (no subclass, nothing patched).
    func runsOwnRun(_ inst: PyInstance) -> Bool {
        guard inst.cls === processClass, inst.dict["run"] == nil, case .obj(let run)? = processClass.dict["run"] else {
            return false
        }
        return run === processRunMethod
    }

    /// The call `Process.run()` makes, found without calling anything, when `run` is Process.run's own and its
    /// arguments are the usual ones (a tuple, a dict with str keys); nil otherwise (the child then finds it itself).
    func plainRunCall(_ inst: PyInstance) -> (process: PyInstance, target: Value, args: [Value], kw: [(String, Value)])? {
        guard runsOwnRun(inst) else { return nil }
        var args: [Value] = []
        if let x = inst.dict["_args"] {
            guard case .tuple(let t) = x else { return nil }
            args = t.items
        }
        var kw: [(String, Value)] = []
        if case .dict(let d)? = inst.dict["_kwargs"] {
            for (k, v) in d.items {
                guard case .str(let name) = k else { return nil }
                kw.append((name.s, v))
            }
        }
        return (inst, inst.dict["_target"] ?? .none, args, kw)
    }

    /// In the child, after fork: runs `run()` and turns its outcome into an exit code. The library then joins
    /// this child's own children and ends the process with `_exit(code)` (a child that made finalizers or a socket
    /// directory of its own joins them here, between its finalizers, then removes the directory:
    /// `finishChildProcess`).
    ///
    /// Every page this touches costs the child a page fault (its code, or a copy of a page of the parent's): the
    /// parent's children stay in `instances` (active_children() keeps only this process's own), a Process whose
    /// `run` is Process.run's own makes the call its parent found for it before the fork (`childCall`: no look-up
    /// of its target and arguments, whose code and objects are pages of their own), and a clean exit returns
    /// instead of throwing ProcessExit.
    func runChild(_ inst: PyInstance) throws {
        interp.afterForkInChild()
        currentInstance = inst
        var code: Int32 = 0
        do {
            if let c = childCall, c.process === inst {
                if !c.target.isNone { _ = try interp.call(c.target, c.args, c.kw) }
            } else if runsOwnRun(inst) {
                _ = try runTarget(inst)
            } else {
                _ = try interp.callMethod(.obj(inst), "run", [], [])
            }
        } catch let e as PyException {
            if e.exc.cls.isSubclass(of: interp.excClass("SystemExit")) {
                code = interp.handleUncaught(e.exc)
            } else {
                let name = (try? processBox(.obj(inst)).proc.name) ?? "?"
                interp.flushAll()
                interp.writeStderr("Process \(name):\n")
                _ = interp.handleUncaught(e.exc)
                code = 1
            }
        } catch let e as ExitRequest {
            code = e.code
        } catch {
            interp.writeStderr("Process \(Multiprocessing.Process.current.name):\nmpsh: internal error: \(error)\n")
            code = 1
        }
        interp.flushAll()
        // this child's finalizers and socket directory, if it made any, around the join of its own children
        finishChildProcess()
        if code != 0 { throw ProcessExit(code) }
    }

    func processRepr(_ v: Value) throws -> String {
        guard case .obj(let inst as PyInstance) = v else { return "<Process>" }
        let box = try processBox(v)
        var status: String
        var exitcode: Int32?
        if isCurrent(v) { status = "started" }
        else if box.proc.state == .closed { status = "closed" }
        else if box.parentPID != getpid() { status = "unknown" }
        else if !box.startedHere { status = "initial" }
        else {
            exitcode = box.proc.exitCode
            status = exitcode != nil ? "stopped" : "started"
        }
        var info = [inst.cls.name, "name=" + strRepr(box.proc.name)]
        if box.startedHere, !isCurrent(v), status != "closed", let pid = box.proc.pid { info.append("pid=\(pid)") }
        info.append("parent=\(box.parentPID)")
        info.append(status)
        if let c = exitcode { info.append("exitcode=" + exitCodeName(c)) }
        if box.proc.daemon { info.append("daemon") }
        return "<" + info.joined(separator: " ") + ">"
    }

    func exitCodeName(_ c: Int32) -> String {
        let names: [Int32: String] = [SIGTERM: "SIGTERM", SIGKILL: "SIGKILL", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV",
                                      SIGABRT: "SIGABRT", SIGHUP: "SIGHUP", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                      SIGPIPE: "SIGPIPE", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2", SIGQUIT: "SIGQUIT",
                                      SIGALRM: "SIGALRM", SIGCHLD: "SIGCHLD", SIGCONT: "SIGCONT", SIGSTOP: "SIGSTOP"]
        if c < 0, let n = names[-c] { return "-" + n }
        return String(c)
    }

    // MARK: the process tree

    func currentProcess() -> Value {
        if let c = currentInstance { return .obj(c) }
        if let m = mainProcessObject { return .obj(m) }
        let cls = makeClass("_MainProcess", module: "multiprocessing.process", [
            method("is_alive") { _, _, _ in .bool(true) },
            method("__repr__") { i, a, _ in
                guard case .obj(let o as PyInstance) = a[0] else { return .str("") }
                return .str("<_MainProcess name=\(strRepr((try? i.str(o.dict["name"] ?? .none)) ?? "MainProcess")) parent=None started>")
            },
        ])
        let m = PyInstance(cls)
        m.dict["name"] = .str("MainProcess")
        m.dict["daemon"] = .bool(false)
        m.dict["pid"] = .int(Int(getpid()))
        m.dict["ident"] = .int(Int(getpid()))
        m.dict["exitcode"] = Value.none
        mainProcessObject = m
        return .obj(m)
    }

    func parentProcess() -> Value {
        guard let parent = Multiprocessing.Process.parent else { return .none }
        let cls = makeClass("_ParentProcess", module: "multiprocessing.process", [
            method("is_alive") { _, _, _ in .bool(parent.isAlive) },
            method("join") { [unowned self] _, a, kw in
                let t = try self.timeout(try self.bind(Array(a.dropFirst()), kw, ["timeout"], "join")[0])
                _ = try self.waitSliced(t) { slice in
                    if !parent.isAlive { return true }
                    var ts = timespec(tv_sec: 0, tv_nsec: Int(min(slice, .milliseconds(10)).components.attoseconds / 1_000_000_000))
                    nanosleep(&ts, nil)
                    return !parent.isAlive
                }
                return .none
            },
            method("__repr__") { _, _, _ in .str("<_ParentProcess name=\(strRepr(parent.name)) parent=None unknown>") },
        ])
        let p = PyInstance(cls)
        p.dict["name"] = .str(parent.name)
        p.dict["pid"] = .int(Int(parent.pid))
        p.dict["ident"] = .int(Int(parent.pid))
        p.dict["daemon"] = .bool(false)
        return .obj(p)
    }

    func activeChildren() -> Value {
        let live = Set(Children.pids())
        instances = instances.filter { live.contains($0.key) }   // finished ones are forgotten, as CPython's _children
        return .list(PyList(instances.sorted { $0.key < $1.key }.map { .obj($0.value) }))
    }
}
