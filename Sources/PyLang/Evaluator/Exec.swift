// `exec` and `eval` with a globals dict and a locals mapping. Mirrors CPython's `builtin_exec_impl` and
// `builtin_eval_impl` (`Python/bltinmodule.c`).
//
// A module's globals are boxes (`GlobalBox`) that name nodes hold directly, not a dict, so a dict passed as globals
// cannot itself be the namespace the code runs in. Each such dict gets a stand-in module, kept while the dict lives
// so that successive calls with one dict share it (a function defined by one exec sees the names a later exec
// binds). Before a run, the entries the dict gained, changed or lost since the last run are carried into the
// module; after it (also when it raises), the module's bindings are written back, updated keys in place and new
// ones in binding order, as CPython's dict would hold them.
//
// What is not live: code running in the stand-in module (a function defined by the exec and called later, say)
// reads and writes the module, not the dict. A change made to the dict from outside reaches such a function only
// at the next exec/eval with that dict, and its `global` assignments reach the dict only then. `globals()` in that
// code returns the dict itself, brought up to date; what is then stored in it is seen by the code at the next
// exec/eval, not at once. A dict returned by `globals()` elsewhere is a snapshot of its module, and an exec with it
// runs in that module itself.
//
// A locals mapping other than the globals makes the module-level code run as a class body does: every module-level
// name is looked up in the mapping, then in the globals, then in the builtins, and bound in the mapping (CPython's
// LOAD_NAME / STORE_NAME); functions defined there have the globals as theirs. A dict is used in place. Another
// mapping is read (`__getitem__`) up front for the names the code uses at module level, and after the run the
// names it deleted are deleted from it and those it changed are stored (`__setitem__`), rather than each at once.

/// A dict that stands for a module's globals: one given to `exec`/`eval` (with its stand-in module), or one that
/// `globals()` or a module-level `locals()`/`vars()` returned (a snapshot of the module's own globals).
final class ExecNamespace {
    weak var dict: PyDict?
    let module: PyModule
    /// The dict's str entries as of the last synchronisation: what tells the changes made to the dict since.
    var seen: [String: Value] = [:]
    init(_ d: PyDict, _ m: PyModule) { dict = d; module = m }
}

/// The interpreter's table of `ExecNamespace`s, by dict; kept in `Interpreter.layerState`.
final class ExecNamespaces {
    var byDict: [ObjectIdentifier: ExecNamespace] = [:]
    /// The stand-in modules of `exec`/`eval` dicts, for `globals()` called in code that runs in one.
    var byModule: [ObjectIdentifier: ExecNamespace] = [:]
    /// When `byDict` next drops the entries of dicts that went away.
    var pruneAt = 64
    /// What `__builtins__` is set to in a globals dict that lacks it (CPython: the builtins module's dict).
    var builtinsDict: PyDict?
}

extension Interpreter {
    var execNamespaces: ExecNamespaces {
        if let t = layerState["exec"] as? ExecNamespaces { return t }
        let t = ExecNamespaces()
        layerState["exec"] = t
        return t
    }

    private func remember(_ ns: ExecNamespace, _ d: PyDict) {
        let t = execNamespaces
        t.byDict[ObjectIdentifier(d)] = ns
        if t.byDict.count >= t.pruneAt {
            t.byDict = t.byDict.filter { $0.value.dict != nil }
            t.byModule = t.byModule.filter { $0.value.dict != nil }
            t.pruneAt = max(64, t.byDict.count * 2)
        }
    }

    /// Records `d`, a snapshot of `module`'s globals (what `globals()` returns), so that `exec(src, d)` runs in
    /// `module` itself, as it does in CPython where the two are one dict.
    func registerGlobalsView(_ d: PyDict, of module: PyModule) {
        let ns = ExecNamespace(d, module)
        ns.seen = strEntries(d)
        remember(ns, d)
    }

    /// The dict `globals()` returns in code running in `module`: the `exec` dict the module stands for, brought up
    /// to date, or a new snapshot of the module's globals.
    func globalsDict(of module: PyModule) -> PyDict {
        if let ns = execNamespaces.byModule[ObjectIdentifier(module)], let d = ns.dict {
            writeBack(ns, d)
            return d
        }
        let d = PyDict()
        for (k, v) in module.boundInOrder { d.set(.str(k), v) }
        registerGlobalsView(d, of: module)
        return d
    }

    private func namespace(for g: PyDict) -> ExecNamespace {
        if let ns = execNamespaces.byDict[ObjectIdentifier(g)], ns.dict === g { return ns }
        // CPython takes `__module__` from the globals' `__name__`, "builtins" when there is none
        var name = "builtins"
        if case .str(let s)? = g.get(.str("__name__")) { name = s.s }
        let ns = ExecNamespace(g, PyModule(name: name))
        remember(ns, g)
        execNamespaces.byModule[ObjectIdentifier(ns.module)] = ns
        return ns
    }

    private func strEntries(_ d: PyDict) -> [String: Value] {
        var r: [String: Value] = [:]
        for (k, v) in d.items { if case .str(let s) = k { r[s.s] = v } }
        return r
    }

    /// Carries into the module what was bound, rebound or deleted in the dict since the last synchronisation
    /// (in the dict's order, so that the module's binding order follows the dict's).
    private func syncIn(_ ns: ExecNamespace, _ d: PyDict) {
        let now = strEntries(d)
        for (k, v) in d.items {
            guard case .str(let s) = k else { continue }
            if let old = ns.seen[s.s], identical(old, v) { continue }
            ns.module.set(s.s, v)
        }
        for k in ns.seen.keys where now[k] == nil { ns.module.globals[k]?.value = nil }
        ns.seen = now
    }

    /// Writes the module's bindings into the dict: deleted names leave it, changed ones are updated in place,
    /// new ones are added in the order they were bound.
    private func writeBack(_ ns: ExecNamespace, _ d: PyDict) {
        var gone: [Value] = []
        for (k, _) in d.items { if case .str(let s) = k, ns.module.get(s.s) == nil { gone.append(k) } }
        for k in gone { _ = d.remove(k) }
        for (k, v) in ns.module.boundInOrder {
            if let old = d.get(.str(k)), identical(old, v) { continue }
            d.set(.str(k), v)
        }
        ns.seen = strEntries(d)
    }

    /// The dict `v` is: a dict, or an instance of a subclass of dict (its own entries; CPython's exec, too, reads a
    /// globals dict without calling the subclass's methods).
    private func underlyingDict(_ v: Value) -> PyDict? {
        if case .dict(let d) = v { return d }
        if case .obj(let i as PyInstance) = v, case .dict(let d)? = (i.payload as? BuiltinBase)?.value { return d }
        return nil
    }

    /// Whether `v` passes CPython's `PyMapping_Check` (it can be subscripted).
    private func isMapping(_ v: Value) -> Bool {
        switch v {
        case .dict, .list, .tuple, .str: return true
        case .obj(let i as PyInstance): return i.cls.lookup("__getitem__") != nil || underlyingDict(v) != nil
        case .obj(let o): return o is PyBytes
        default: return false
        }
    }

    /// The Python exception for a syntax error in code given to `exec`/`eval`, with CPython's attributes
    /// (`msg`, `filename`, `lineno`, `offset`, `text`) and arguments.
    func syntaxErrorException(_ e: SyntaxError) -> PyException {
        if e.kind == "RecursionError" { return err("RecursionError", e.message) }
        let inst = PyInstance(excClasses[e.kind] ?? excClass("SyntaxError"))
        let textValue: Value = e.sourceLine.isEmpty ? .none : .str(PyStr(e.sourceLine + "\n"))
        // the end of the error is not tracked: it is given as its start
        let details: [Value] = [.str(PyStr(e.file)), .int(e.line), .int(e.col), textValue, .int(e.line), .int(e.col)]
        inst.dict["args"] = .tuple(PyTuple([.str(PyStr(e.message)), .tuple(PyTuple(details))]))
        inst.dict["msg"] = .str(PyStr(e.message))
        inst.dict["filename"] = details[0]
        inst.dict["lineno"] = details[1]
        inst.dict["offset"] = details[2]
        inst.dict["text"] = textValue
        inst.dict["end_lineno"] = details[4]
        inst.dict["end_offset"] = details[5]
        return PyException(inst)
    }

    /// `exec(source, globals=None, locals=None)` and `eval(...)`: `fname` says which.
    func execOrEval(_ fname: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        let isEval = fname == "eval"
        if let k = kw.first {
            // CPython 3.11 takes no keywords here (3.13 takes globals= and locals=)
            throw typeError(isEval ? "eval() takes no keyword arguments"
                                   : "'\(k.0)' is an invalid keyword argument for exec()")
        }
        if a.isEmpty { throw typeError("\(fname)() takes at least 1 positional argument (0 given)") }
        if a.count > 3 { throw typeError("\(fname)() takes at most 3 positional arguments (\(a.count) given)") }
        var src: String
        switch a[0] {
        case .str(let s): src = s.s
        case .obj(let b as PyBytes): src = String(decoding: b.b, as: UTF8.self)
        default: throw typeError("\(fname)() arg 1 must be a string, bytes or code object")
        }
        let gArg = a.count > 1 ? a[1] : .none
        let lArg = a.count > 2 ? a[2] : .none
        // the order of CPython's checks: exec looks at the globals first, eval at the locals
        if isEval, !lArg.isNone, !isMapping(lArg) { throw typeError("locals must be a mapping") }
        var g: PyDict?
        switch gArg {
        case .none: break
        case _ where underlyingDict(gArg) != nil: g = underlyingDict(gArg)
        default:
            if isEval {
                throw typeError(isMapping(gArg) ? "globals must be a real dict; try eval(expr, {}, mapping)"
                                                : "globals must be a dict")
            }
            throw typeError("exec() globals must be a dict, not \(typeName(gArg))")
        }
        if !isEval, !lArg.isNone, !isMapping(lArg) {
            throw typeError("locals must be a mapping or None, not \(typeName(lArg))")
        }

        // the globals: the dict's stand-in module, or the main module when there is no dict (as before)
        var synced: [(ExecNamespace, PyDict)] = []
        let module: PyModule
        if let g {
            if g.get(.str("__builtins__")) == nil {
                let t = execNamespaces
                if t.builtinsDict == nil {
                    let b = PyDict()
                    for (k, v) in builtins.sorted(by: { $0.key < $1.key }) { b.set(.str(PyStr(k)), v) }
                    t.builtinsDict = b
                }
                g.set(.str("__builtins__"), .dict(t.builtinsDict!))
            }
            let ns = namespace(for: g)
            module = ns.module
            synced.append((ns, g))
        } else {
            module = mainModule()
        }
        // the locals: none when they are the globals (the same dict, or a view of the same module's globals); a
        // dict, or a dict subclass that does not override reading or storing, is used in place
        var localsDict: PyDict?
        var mapping: Value?
        var plainLocals: PyDict?
        if case .dict(let d) = lArg {
            plainLocals = d
        } else if builtinBase(lArg, unless: "__getitem__") != nil, builtinBase(lArg, unless: "__setitem__") != nil {
            plainLocals = underlyingDict(lArg)
        }
        if let d = plainLocals {
            if let ns = execNamespaces.byDict[ObjectIdentifier(d)], ns.dict === d, ns.module === module {
                if d !== g { synced.append((ns, d)) }
            } else {
                localsDict = d
            }
        } else if !lArg.isNone {
            mapping = lArg
            localsDict = PyDict()
        }
        for (ns, d) in synced { syncIn(ns, d) }
        defer { for (ns, d) in synced { writeBack(ns, d) } }

        if isEval { src = String(src.drop { $0 == " " || $0 == "\t" }) }
        // CPython shows no source lines for "<string>" in a traceback; here `compile` records them, so what was there
        // before (a `-c` program's) is put back, and code run by exec does not take the lines of earlier code
        let savedLines = sources["<string>"]
        defer { sources["<string>"] = savedLines }
        let prog: CompiledProgram
        let root: Scope
        do {
            (prog, root) = try compileScoped(src, file: "<string>", module: module, namesInLocals: localsDict != nil)
        } catch {
            throw syntaxErrorException(error)
        }
        // eval: the program must be one expression
        var expr: ExprStmt?
        if isEval {
            expr = prog.body.count == 1 ? prog.body[0] as? ExprStmt : nil
            if expr == nil {
                let first = prog.body.first
                let line = prog.body.count > 1 && first is ExprStmt ? prog.body[1].line : first?.line ?? 0
                throw syntaxErrorException(SyntaxError(file: "<string>", line: line, col: 1, message: "invalid syntax"))
            }
        }
        // a mapping that is not a dict: the names the code uses at module level, read now (a missing one is
        // looked up in the globals and builtins)
        var before: [(String, Value)] = []
        if let mapping, let ld = localsDict {
            var tried = Set<String>()
            for r in root.refs where tried.insert(r.name).inserted {
                do {
                    let v = try getItem(mapping, .str(PyStr(r.name)))
                    before.append((r.name, v))
                    ld.set(.str(PyStr(r.name)), v)
                } catch let e as PyException where e.exc.cls.isSubclass(of: excClass("KeyError")) {
                    continue
                }
            }
        }
        let f = Frame(slots: prog.nSlots, cells: (0..<prog.nCells).map { _ in Cell() }, module: module, interp: self,
                      fn: nil)
        f.classNS = localsDict
        var result = Value.none
        do {
            if let e = expr {
                f.line = e.line
                result = try e.e.eval(f)
            } else {
                _ = try runBlock(prog.body, f)
            }
        } catch let e as PyException {
            e.exc.traceback.append((prog.file, f.line, "<module>"))
            if let mapping, let ld = localsDict { try? writeBack(ld, before, to: mapping) }
            throw e
        }
        if let mapping, let ld = localsDict { try writeBack(ld, before, to: mapping) }
        return result
    }

    /// Stores into a locals mapping (`__setitem__`) the names whose values the run changed, and deletes from it
    /// (`__delitem__`) those the run deleted.
    private func writeBack(_ ld: PyDict, _ before: [(String, Value)], to mapping: Value) throws {
        var read: [String: Value] = [:]
        for (k, v) in before {
            read[k] = v
            if ld.get(.str(PyStr(k))) == nil { try delItem(mapping, .str(PyStr(k))) }
        }
        for (k, v) in ld.items {
            guard case .str(let s) = k else { continue }
            if let old = read[s.s], identical(old, v) { continue }
            try setItem(mapping, k, v)
        }
    }
}
