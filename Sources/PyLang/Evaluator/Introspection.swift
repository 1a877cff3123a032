// `locals()`, `dir()`, `vars()` and `globals()` without arguments: the names of the frame that calls them. The
// call site (`CallExpr.introspects`) hands its frame over, since a builtin otherwise never sees its caller's frame.

extension Interpreter {
    /// The calling frame's variables as `name` returns them: a dict for `locals`/`vars`, the sorted names for
    /// `dir`. A function lists its bound variables (parameters, assigned names, free variables of a closure); a
    /// class body its namespace; a module its globals.
    func frameNames(_ f: Frame, _ name: String) -> Value {
        if name == "globals" { return .dict(globalsDict(of: f.module)) }
        let d = PyDict()
        if let code = f.fn?.code {
            for v in code.localNames {
                let value: Value?
                if v.isCell {
                    value = v.index < f.cells.count ? f.cells[v.index].value : nil
                } else if case .obj(let o) = f.slots[v.index], o === f.unbound.takeUnretainedValue() {
                    value = nil
                } else {
                    value = f.slots[v.index]
                }
                if let value { d.set(.str(v.name), value) }
            }
        } else if let ns = f.classNS {
            for (k, v) in ns.items { d.set(k, v) }
        } else {
            for (k, v) in f.module.boundInOrder { d.set(.str(k), v) }
            // at module level these are the globals: `exec(src, globals(), locals())` runs in the module
            if name != "dir" { registerGlobalsView(d, of: f.module) }
        }
        guard name == "dir" else { return .dict(d) }
        let names = d.items.compactMap { k, _ -> String? in if case .str(let s) = k { return s.s } else { return nil } }
        return .list(PyList(names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map { .str($0) }))
    }
}
