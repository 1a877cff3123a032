// The shell's loop, in four small parts (see Lua's lua.c: pushline, loadline, docall, doREPL):
//   a line reader (`LineReader`: a terminal with editing and history, or plain lines from a pipe or file),
//   a pure chunk parser (`ChunkParser.classify`: a statement, a positioned error, or "incomplete"),
//   an evaluator (`Shell.evaluate`, the only part that runs code), and a printer (`Shell.printValue`/`report`).
// Batch mode is the same evaluator and printer with the whole program as one chunk (`Shell.runProgram`).
import Foundation
import Multiprocessing
import PoolBridge

/// What a line reader returns.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt: the shell drops the partial chunk and prompts again.
    case interrupted
    case endOfInput
}

/// Where input lines come from: the terminal (readline, in the mpsh executable) or a plain stream.
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> LineInput
    /// Records a completed line for history (a terminal reader persists it).
    func remember(_ line: String)
}

/// Lines from a file descriptor, without editing: for a REPL whose input is a pipe.
/// Mirrors `PyOS_StdioReadline`.
public final class PlainLineReader: LineReader {
    let fd: Int32
    var buffer: [UInt8] = []
    var eof = false
    let echoPrompt: Bool
    public init(fd: Int32 = 0, echoPrompt: Bool = false) { self.fd = fd; self.echoPrompt = echoPrompt }

    public func readLine(prompt: String) -> LineInput {
        if echoPrompt { FileHandle.standardOutput.write(Data(prompt.utf8)) }
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return .line(line)
            }
            if eof {
                if buffer.isEmpty { return .endOfInput }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return .line(line)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n > 0 { buffer += chunk[..<n] } else if n == 0 { eof = true } else if errno == EINTR {
                if mpshInterruptPending != 0 { mpshInterruptPending = 0; buffer.removeAll(); return .interrupted }
            } else { eof = true }
        }
    }

    public func remember(_ line: String) {}
}

/// What a chunk of input lines is.
public enum ChunkStatus: Equatable, Sendable {
    /// Nothing to run (blank lines, comments).
    case empty
    /// A complete Python statement (possibly a compound one), to compile and run.
    case python(String)
    /// A quick command, translated to Python.
    case command(String)
    /// A positioned syntax error or a malformed command: the message to print.
    case error(String)
    /// More lines are needed (an open bracket, string or block): prompt with "... ".
    case incomplete
}

/// The pure parser: decides what the lines typed so far are. No interpreter state is touched.
/// Mirrors `codeop.compile_command` (complete, error, or None for "incomplete").
public enum ChunkParser {
    static let compoundStarts: Set<String> = ["if", "for", "while", "def", "class", "try", "with", "async"]

    static func lexerIncomplete(_ source: String) -> Bool {
        do { _ = try Lexer.tokenize(source + "\n", file: "<stdin>"); return false } catch { return error.incomplete }
    }

    public static func classify(_ lines: [String], file: String = "<stdin>") -> ChunkStatus {
        let source = lines.joined(separator: "\n")
        if lines.allSatisfy({ let t = $0.trimmingCharacters(in: " \t\r"); return t.isEmpty || t.hasPrefix("#") }) {
            return .empty
        }
        // a backslash at the end of the last line continues it (outside a string; inside one, the lexer decides)
        if lines.last!.hasSuffix("\\") && !lexerIncomplete(String(source.dropLast())) { return .incomplete }
        let isPython = { (s: String) in Interpreter.check(s) == nil }
        if lines.count == 1 {
            switch QuickCommands.translate(lines[0], isPython: isPython) {
            case .notACommand: break
            case .python(let py): return .command(py)
            case .error(let e): return .error(e)
            }
        }
        let first = lines[0].trimmingCharacters(in: " \t")
        let word = first.prefix { $0.isLetter || $0 == "_" }
        let compound = compoundStarts.contains(String(word)) || first.hasPrefix("@")
        let lastBlank = lines.count > 1 && lines.last!.trimmingCharacters(in: " \t\r").isEmpty
        if let e = Interpreter.check(source + "\n", file: file) {
            guard e.incomplete else { return .error(e.description) }
            // an open bracket, string or backslash always waits for more; otherwise only an unfinished block
            // does, until an empty line ends it (then the error stands, as in Python's interactive mode)
            if lexerIncomplete(source) { return .incomplete }
            return compound && !lastBlank ? .incomplete : .error(e.description)
        }
        // a compound statement goes on until an empty line, as in Python's interactive mode
        if compound && !lastBlank { return .incomplete }
        return .python(source)
    }
}

/// The evaluator and printer around one interpreter, used by the REPL and by batch runs.
public final class Shell {
    public let interp: Interpreter
    public let main: PyModule
    var chunkCount = 0

    public init(interp: Interpreter) {
        self.interp = interp
        interp.installShellRuntime()
        interp.setProgramDirectory("<stdin>")
        main = interp.mainModule()
    }

    /// What running a chunk did.
    public enum Outcome: Equatable { case ok, failed, exit(Int32) }

    /// The evaluator: compiles and runs one chunk in `__main__`; prints the repr of a bare expression's value.
    /// Mirrors `code.InteractiveInterpreter.runsource`.
    @discardableResult
    /// A quick command's result (`_mpsh.result`: a pool's results, the processes spawned) becomes `_`.
    public func evaluate(_ source: String, file: String = "<stdin>", isCommand: Bool = false) -> Outcome {
        let prog: CompiledProgram
        do { prog = try interp.compile(source, file: file, module: main) } catch {
            report(error.description + "\n")
            return .failed
        }
        // every chunk is "<stdin>": a traceback must not quote this chunk's lines for an earlier chunk's function
        // (Python's interactive tracebacks quote no source either)
        interp.sources[file] = nil
        do {
            try runSingle(prog)
            if isCommand { keepCommandResult() }
            interp.flushAll()
            return .ok
        } catch let e as PyException {
            return handle(e)
        } catch let e as ExitRequest {
            return .exit(e.code)
        } catch {
            report("mpsh: internal error: \(error)\n")
            return .failed
        }
    }

    /// Runs a chunk as Python's interactive ("single") mode does: the value of each top-level expression
    /// statement is printed and kept as `_`, so `1; 2` prints both and `q.put(5); q.get()` prints the item.
    /// Mirrors `compile(source, '<stdin>', 'single')` (its PRINT_EXPR) and `sys.displayhook`.
    func runSingle(_ prog: CompiledProgram) throws {
        let f = Frame(slots: prog.nSlots, cells: (0..<prog.nCells).map { _ in Cell() }, module: main, interp: interp, fn: nil)
        do {
            for s in prog.body {
                f.line = s.line
                if let e = s as? ExprStmt { try printValue(try e.e.eval(f)) } else { _ = try runBlock([s], f) }
            }
        } catch let e as PyException {
            e.exc.traceback.append((prog.file, f.line, "<module>"))
            throw e
        }
    }

    func keepCommandResult() {
        guard case .obj(let m as PyModule)? = interp.builtins["_mpsh"], let v = m.get("result") else { return }
        if case .none = v { return }
        main.set("_", v)
        m.set("result", .none)
    }

    func handle(_ e: PyException) -> Outcome {
        let exc = e.exc
        if exc.cls.isSubclass(of: interp.excClass("SystemExit")) {
            return .exit(interp.handleUncaught(exc))
        }
        if exc.cls.isSubclass(of: interp.excClass("KeyboardInterrupt")) {
            report("KeyboardInterrupt\n")
        } else if exc.cls.name == "CommandError" {
            report(((try? interp.str(.obj(exc))) ?? "") + "\n")
        } else {
            report(interp.formatTraceback(exc))
        }
        return .failed
    }

    /// The printer: a value's repr on stdout, None printed as nothing (as Python's interactive mode does).
    func printValue(_ v: Value) throws {
        if case .none = v { return }
        let text = try interp.repr(v)
        main.set("_", v)
        try interp.fileWrite(interp.out, text + "\n")
    }

    func report(_ text: String) {
        interp.flushAll()
        interp.writeStderr(text)
    }

    /// The read-eval-print loop. Returns the exit status (SystemExit's code, or 0 at end of input).
    /// Mirrors `code.InteractiveConsole.interact` (and lua.c's `doREPL`).
    public func repl(reader: LineReader, banner: String? = nil) -> Int32 {
        if let banner { interp.flushAll(); FileHandle.standardOutput.write(Data((banner + "\n").utf8)) }
        var lines: [String] = []
        while true {
            interp.flushAll()
            mpshInterruptPending = 0
            switch reader.readLine(prompt: lines.isEmpty ? ">>> " : "... ") {
            case .endOfInput:
                if !lines.isEmpty, case .python(let src) = ChunkParser.classify(lines + [""]) {
                    if case .exit(let code) = evaluate(src) { return finish(code) }
                }
                // a started manager is shut down first: its server is not among the children waited for
                interp.runExitFinalizers(0)
                announceWaitAtExit()
                return finish(0)
            case .interrupted:
                lines.removeAll()
                continue
            case .line(let line):
                lines.append(line)
                reader.remember(line)
            }
            switch ChunkParser.classify(lines) {
            case .incomplete: continue
            case .empty: lines.removeAll()
            case .error(let msg):
                lines.removeAll()
                report(msg + "\n")
            case .python(let src):
                lines.removeAll()
                chunkCount += 1
                if case .exit(let code) = evaluate(src) { return finish(code) }
            case .command(let src):
                lines.removeAll()
                chunkCount += 1
                if case .exit(let code) = evaluate(src, isCommand: true) { return finish(code) }
            }
        }
    }

    /// Ctrl-D with children still running: says which ones the shell waits for and that Ctrl-C stops them,
    /// instead of waiting silently (daemonic children are terminated, not waited for, as in CPython).
    func announceWaitAtExit() {
        guard interp.isImported("multiprocessing"), case .obj(let m as PyModule)? = interp.builtins["_mpsh"],
              let f = m.get("waiting_for") else { return }
        do {
            if case .str(let text) = try interp.call(f, []), !text.s.isEmpty { report(text.s + "\n") }
        } catch let e as PyException {
            report(interp.formatTraceback(e.exc))
        } catch {
            report("mpsh: \(error)\n")
        }
    }

    func finish(_ code: Int32) -> Int32 {
        interp.joinChildrenAtExit()
        return interp.flushOpenFiles() ? code : 120
    }

    /// Batch mode: one program (quick-command lines translated) as `__main__`, like `python3 FILE`. With
    /// `thenInteractive` (`mpsh -i FILE`) the children it started keep running into the shell.
    /// Mirrors `PyRun_SimpleFile`.
    public func runProgram(source: String, file: String, thenInteractive: Bool = false) -> Int32 {
        let translated: String
        switch QuickCommands.preprocess(source, file: file, isPython: { Interpreter.check($0) == nil }) {
        case .success(let t): translated = t
        case .failure(let e):
            report(e.message + "\n")
            return 1
        }
        interp.mainFile = file
        interp.setProgramDirectory(file)
        main.set("__file__", .str(file))
        let status: Int32
        do {
            let prog = try interp.compile(translated, file: file, module: main)
            // tracebacks quote the program's own lines, not the quick commands' translations
            if translated != source { interp.sources[file] = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            status = interp.runProtected { try interp.run(prog, in: main) }
        } catch {
            report(error.description + "\n")
            status = 1
        }
        // the run over, CPython takes `__file__` out of `__main__` again (atexit functions and `-i` find none)
        main.globals["__file__"]?.value = nil
        // 130: the program ended with KeyboardInterrupt (a Ctrl-C or SIGINT): its children are stopped
        if !thenInteractive {
            interp.joinChildrenAtExit(interrupted: status == 130)
            // a failed flush of a replaced sys.stdout or sys.stderr at shutdown: CPython's Py_FinalizeEx fails
            if !interp.flushOpenFiles() { return 120 }
        }
        return status
    }
}

extension Shell {
    /// How many children are running (finished ones are reaped), 0 until the program imports multiprocessing.
    /// The terminal reader redraws its prompt when this drops: a child that printed as it ended has written over
    /// the prompt line.
    public func runningChildren() -> Int {
        guard interp.isImported("multiprocessing") else { return 0 }
        return Children.count
    }
}
