// The public entry points: compile a program, run it as `__main__`, print Python-style tracebacks.
// Mirrors CPython's `Python/pythonrun.c` (PyRun_SimpleFile, PyErr_Print).
import Foundation

/// A parsed and resolved program, ready to run (possibly several times) in a module.
public final class CompiledProgram {
    let body: [Stmt]
    let nSlots: Int
    let nCells: Int
    public let file: String
    init(body: [Stmt], nSlots: Int, nCells: Int, file: String) {
        self.body = body; self.nSlots = nSlots; self.nCells = nCells; self.file = file
    }
}

extension Interpreter {
    /// Parses and resolves `source` against `module`'s globals. Throws a positioned `SyntaxError`.
    public func compile(_ source: String, file: String, module: PyModule) throws(SyntaxError) -> CompiledProgram {
        try compileScoped(source, file: file, module: module).program
    }

    /// `compile`, also returning the module-level scope (the names it refers to); with `namesInLocals`, the
    /// module-level names are resolved for a locals mapping of their own (see `Resolver.namesInLocals`).
    func compileScoped(_ source: String, file: String, module: PyModule,
                       namesInLocals: Bool = false) throws(SyntaxError) -> (program: CompiledProgram, root: Scope) {
        sources[file] = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let toks = try Lexer.tokenize(source, file: file)
        let root = Scope(.module, parent: nil, name: "<module>")
        var p = Parser(tokens: toks, file: file, source: source, module: root)
        let body = try p.parseModule()
        try Resolver(module: module, namesInLocals: namesInLocals).resolve(root)
        registerCodes(file, root)
        return (CompiledProgram(body: body, nSlots: root.slotCount, nCells: root.ownCells.count, file: file), root)
    }

    /// Only parses (lexer + parser + resolver) without running: for tools and the fuzz test.
    public static func check(_ source: String, file: String = "<fuzz>") -> SyntaxError? {
        do {
            let toks = try Lexer.tokenize(source, file: file)
            let root = Scope(.module, parent: nil, name: "<module>")
            var p = Parser(tokens: toks, file: file, source: source, module: root)
            _ = try p.parseModule()
            try Resolver(module: PyModule(name: "__fuzz__")).resolve(root)
            return nil
        } catch { return error }
    }

    /// Runs a compiled program in `module`. Python exceptions propagate as `PyException`.
    public func run(_ prog: CompiledProgram, in module: PyModule) throws {
        let f = Frame(slots: prog.nSlots, cells: (0..<prog.nCells).map { _ in Cell() }, module: module, interp: self, fn: nil)
        do {
            _ = try runBlock(prog.body, f)
        } catch let e as PyException {
            e.exc.traceback.append((prog.file, f.line, "<module>"))
            throw e
        }
    }

    /// Runs a compiled chunk the way the interactive shell does: when the chunk is a single expression statement,
    /// returns its value (the shell prints its repr unless it is None); otherwise runs it and returns nil.
    public func runInteractive(_ prog: CompiledProgram, in module: PyModule) throws -> Value? {
        if prog.body.count == 1, let e = prog.body[0] as? ExprStmt {
            let f = Frame(slots: prog.nSlots, cells: (0..<prog.nCells).map { _ in Cell() }, module: module, interp: self, fn: nil)
            f.line = e.line
            do {
                return try e.e.eval(f)
            } catch let ex as PyException {
                ex.exc.traceback.append((prog.file, f.line, "<module>"))
                throw ex
            }
        }
        try run(prog, in: module)
        return nil
    }

    /// Creates (or returns) the `__main__` module.
    public func mainModule() -> PyModule {
        if case .obj(let m as PyModule)? = modules["__main__"] { return m }
        let m = PyModule(name: "__main__")
        m.set("__name__", .str("__main__"))
        m.set("__file__", .str(mainFile))
        m.set("__doc__", .none)
        m.set("__builtins__", .none)
        modules["__main__"] = .obj(m)
        return m
    }

    // MARK: the program's own modules

    /// Where a module of the program's own is: `NAME.py` in a directory of `sys.path` (the program's directory
    /// first, as CPython's `sys.path[0]`; "" is the current directory). Top-level names only.
    func sourceModulePath(_ name: String) -> String? {
        guard !name.isEmpty, !name.contains("."), !name.contains("/"),
              case .obj(let sys as PyModule)? = modules["sys"], case .list(let path)? = sys.get("path") else { return nil }
        for entry in path.items {
            guard case .str(let dirStr) = entry else { continue }
            let dir = dirStr.s
            let candidate = dir.isEmpty ? name + ".py" : dir + "/" + name + ".py"
            var info = stat()
            if stat(candidate, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { return candidate }
        }
        return nil
    }

    /// Runs a module of the program's own, once: registered before it runs (so that a circular import sees it,
    /// as CPython's does) and dropped again if it fails.
    func loadSourceModule(_ name: String, _ path: String) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw err("ImportError", "cannot read \(path) for module '\(name)': \(String(cString: strerror(errno)))")
        }
        let m = PyModule(name: name)
        m.set("__name__", .str(name))
        m.set("__file__", .str(path))
        m.set("__doc__", .none)
        modules[name] = .obj(m)
        do {
            let prog: CompiledProgram
            do { prog = try compile(try Lexer.decodeSource([UInt8](data), file: path), file: path, module: m) } catch {
                throw err(error.kind == "RecursionError" ? "RecursionError" : "SyntaxError", "\(error.message) (\(path), line \(error.line))")
            }
            try run(prog, in: m)
        } catch {
            modules[name] = nil
            throw error
        }
        return .obj(m)
    }

    /// `sys.path[0]` for a program run from `file`: its directory, or "" (the current directory) for `-c`, stdin
    /// and the interactive shell, as CPython's.
    public func setProgramDirectory(_ file: String) {
        guard case .obj(let sys as PyModule) = (try? importModule("sys")) ?? .none else { return }
        var dir = ""
        if !file.hasPrefix("<") {
            let absolute = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
            dir = (absolute as NSString).deletingLastPathComponent
        }
        sys.set("path", .list(PyList([.str(dir)])))
    }

    func execIn(_ src: String, file: String, module: PyModule) throws -> Value {
        let prog: CompiledProgram
        do { prog = try compile(src, file: file, module: module) } catch {
            throw err(error.kind == "RecursionError" ? "RecursionError" : "SyntaxError", error.message)
        }
        try run(prog, in: module)
        return .none
    }

    /// Runs a whole program as `__main__` the way `python3 file.py` does: prints syntax errors and tracebacks to
    /// stderr and returns the process exit status. This is what the `mpsh` command and a spawned child call.
    public func runMain(source: String, file: String) -> Int32 {
        mainFile = file
        let m = mainModule()
        m.set("__file__", .str(file))
        let prog: CompiledProgram
        do { prog = try compile(source, file: file, module: m) } catch {
            flushAll()
            writeStderr(error.description + "\n")
            return 1
        }
        let status = runProtected { try run(prog, in: m) }
        finishChildren()
        return status
    }

    /// Runs `body`, turning SystemExit into a status and printing any other uncaught exception.
    public func runProtected(_ body: () throws -> Void) -> Int32 {
        var status: Int32 = 0
        do {
            try body()
        } catch let e as PyException {
            status = handleUncaught(e.exc)
        } catch let e as ExitRequest {
            status = e.code
        } catch {
            flushAll()
            writeStderr("mpsh: internal error: \(error)\n")
            status = 1
        }
        flushAll()
        return status
    }

    func handleUncaught(_ exc: PyInstance) -> Int32 {
        if exc.cls.isSubclass(of: excClass("SystemExit")) {
            let code = exc.dict["code"] ?? (excArgs(exc).first ?? .none)
            switch code {
            case .none: return 0
            case .int(let n): return Int32(truncatingIfNeeded: n)
            case .bool(let b): return b ? 1 : 0
            default:
                flushAll()
                writeStderr(((try? str(code)) ?? "") + "\n")
                return 1
            }
        }
        flushAll()
        if exc.cls.name == "CommandError", exc.cls.module == "_mpsh" {
            // a malformed quick command: its message, at the program's line, without the runtime's traceback
            let place = exc.traceback.first { $0.0 != "<mpsh>" }.map { "\($0.0):\($0.1): " } ?? ""
            writeStderr(place + ((try? str(.obj(exc))) ?? "") + "\n")
            return 1
        }
        writeStderr(formatTraceback(exc))
        if exc.cls.isSubclass(of: excClass("KeyboardInterrupt")) { return 130 }
        return 1
    }

    /// The text CPython prints for an uncaught exception, chained causes and contexts included.
    public func formatTraceback(_ exc: PyInstance) -> String {
        var s = ""
        if case .obj(let c as PyInstance) = exc.cause {
            s += formatTraceback(c) + "\nThe above exception was the direct cause of the following exception:\n\n"
        } else if case .obj(let c as PyInstance) = exc.context, c !== exc {
            s += formatTraceback(c) + "\nDuring handling of the above exception, another exception occurred:\n\n"
        }
        if !exc.traceback.isEmpty {
            s += "Traceback (most recent call last):\n"
            // the quick commands' runtime (`<mpsh>`) is mpsh's own code, not the program's: its frames are left
            // out, as CPython leaves out importlib's
            for (file, line, name) in exc.traceback.reversed() where file != "<mpsh>" {
                s += "  File \"\(file)\", line \(line), in \(name)\n"
                if let lines = sources[file], line >= 1, line <= lines.count {
                    let t = lines[line - 1].trimmingCharacters(in: " \t\r")
                    if !t.isEmpty { s += "    \(t)\n" }
                }
            }
        }
        return s + exceptionLine(exc) + "\n"
    }

    /// `Type: message` — the last line of a traceback.
    public func exceptionLine(_ exc: PyInstance) -> String {
        let msg = syntaxErrorMessage(exc) ?? (try? str(.obj(exc))) ?? ""
        let name = exc.cls.module == "builtins" || exc.cls.module == "__main__" ? exc.cls.name : exc.cls.module + "." + exc.cls.name
        return msg.isEmpty ? name : name + ": " + msg
    }

    /// A SyntaxError's `msg` when it has CPython's details (`exec`/`eval` make those): what a traceback's last line
    /// shows, without the place that `str()` adds.
    func syntaxErrorMessage(_ exc: PyInstance) -> String? {
        guard exc.cls.isSubclass(of: excClass("SyntaxError")), case .str(let m)? = exc.dict["msg"],
              case .tuple? = excArgs(exc).last else { return nil }
        return m.s
    }

    public func writeStderr(_ s: String) {
        fileFlush(out)
        errf.buffer.append(contentsOf: s.utf8)
        fileFlush(errf)
    }
}

/// Runs `body` on a thread with a large stack (deep recursion in the tree walker needs it) and waits for it.
///
/// A pthread that this thread joins, not a Foundation `Thread`: MPShell's reference counting is not atomic (see
/// Package.swift), so the body's thread must be completely finished, its closure and everything it captured
/// released, before this thread touches any of it again. (Foundation releases a Thread's closure a moment after
/// the body returns, concurrently with a caller woken by a semaphore.) pthread_create and pthread_join order the two
/// threads' accesses.
public func withLargeStack<T>(_ size: Int = 512 << 20, _ body: @escaping () -> T) -> T {
    let box = LargeStackBox(body)
    let run = LargeStackRun { box.value = box.body() }
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    defer { pthread_attr_destroy(&attr) }
    pthread_attr_setstacksize(&attr, size)
    var thread = pthread_t()
    let argument = Unmanaged.passRetained(run).toOpaque()
    let code = pthread_create(&thread, &attr, { argument in
        Unmanaged<LargeStackRun>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, argument)
    if code != 0 {
        // No thread (no memory for the stack): run here, on the stack there is.
        Unmanaged<LargeStackRun>.fromOpaque(argument).release()
        return body()
    }
    pthread_join(thread, nil)
    return box.value!
}

final class LargeStackBox<T> {
    var value: T?
    let body: () -> T
    init(_ b: @escaping () -> T) { body = b }
}

final class LargeStackRun {
    let body: () -> Void
    init(_ b: @escaping () -> Void) { body = b }
}

/// A program's text from its bytes, or CPython's SyntaxError (positioned) for bytes that are not UTF-8 and for
/// NUL bytes. See `Lexer.decodeSource`.
public func decodeProgramSource(_ bytes: [UInt8], file: String) throws(SyntaxError) -> String {
    try Lexer.decodeSource(bytes, file: file)
}
