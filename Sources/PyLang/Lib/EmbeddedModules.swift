// Standard modules written in Python (`Sources/CPyLib/python/*.py`), embedded in the binary by the CPyLib target.
// `Interpreter.importModule` runs one (as `<frozen NAME>`) when no native module and no NAME.py on sys.path (the
// program's own directory) has the name: CPython finds its pure-Python standard library on sys.path after the
// script's directory, so a program's own copy.py shadows the embedded copy module here as there.
import CPyLib

extension Interpreter {
    /// The Python source of embedded module `name`, or nil.
    static func embeddedModuleSource(_ name: String) -> String? {
        guard let p = cpylib_module_source(name) else { return nil }
        // its last line sets `__name__`, after the module's own lines, so that line numbers stay the file's
        return String(cString: p) + "\n__name__ = '\(name)'\n"
    }

    /// Imports an embedded module: registered before it runs (so a circular import sees it), dropped if it fails.
    func loadEmbeddedModule(_ name: String) throws -> Value? {
        guard let source = Interpreter.embeddedModuleSource(name) else { return nil }
        let file = "<frozen \(name)>"
        let m = PyModule(name: name)
        modules[name] = .obj(m)
        do {
            let prog: CompiledProgram
            do { prog = try compile(source, file: file, module: m) } catch {
                throw err("SyntaxError", "\(error.message) (\(file), line \(error.line))")
            }
            try run(prog, in: m)
        } catch {
            modules[name] = nil
            throw error
        }
        return .obj(m)
    }
}
