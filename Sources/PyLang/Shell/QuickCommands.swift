// Quick commands: `spawn 4 worker "hi"`, `pool map square 0..9`, `ps`, ... beside the Python syntax.
//
// A command is translated to one line of Python that calls the `_mpsh` runtime module (ShellRuntime.swift), which
// drives the `multiprocessing` module with CPython's names, so commands and programs share one runtime.
// This file is pure: text in, Python text (or a clear error) out. No interpreter state is touched.

/// What a line of input is, seen by the quick-command translator.
public enum CommandTranslation: Equatable, Sendable {
    /// Not a quick command: Python source, to be compiled as it is.
    case notACommand
    /// A quick command, translated to one line of Python.
    case python(String)
    /// A malformed quick command: the message says what is wrong and shows the usage.
    case error(String)
}

/// One quick command, all in one place: `QuickCommands.table` is the only list of them, and `help`, the usage
/// errors (here and in the `_mpsh` runtime), completion and the translation are generated from it.
public struct QuickCommand: Sendable {
    /// The command word.
    public let name: String
    /// The usage line shown by `help NAME` and after every malformed use.
    public let usage: String
    /// The one-line summary in `help`'s list.
    public let summary: String
    /// What `help NAME` shows under the usage line: what it does, and an example.
    public let help: String
    /// The words after the name (never empty: a bare name is resolved at run time, see `translate`), the text
    /// after the name, and whether a text parses as Python; returns the Python line or a malformed-use message.
    let translation: @Sendable (_ words: [String], _ rest: String, _ isPython: (String) -> Bool) -> Translated

    /// What a translation function returns: the Python line, or what is wrong (the usage line is added).
    enum Translated { case python(String), bad(String), error(String) }
}

public enum QuickCommands {
    /// The quick commands, in the order `help` lists them.
    public static let table: [QuickCommand] = [
        QuickCommand(name: "spawn", usage: "spawn N FUNCTION [ARG...]", summary: "start N processes running a function", help: """
              Starts N multiprocessing.Process(target=FUNCTION, args=(ARG...)) and returns to the prompt
              (quick children finish first so their output comes before the prompt). ARGs are Python values.
              FUNCTION is one you defined with def, or a built-in one (help functions). The processes are _.
              example:  spawn 4 worker "hi"
                        <Process name='Process-1' parent=1234 started> says hi   (one line per process)
            """) { w, _, isPython in
            guard w.count >= 2 else { return .bad("expected a process count and a function name") }
            guard let fn = functionRef(w[1]) else { return .bad("'\(w[1])' is not a function name") }
            guard isPython(w[0]) else { return .bad("'\(w[0])' is not a number") }
            let args = w.dropFirst(2)
            for a in args where !isPython(a) { return .bad("argument '\(a)' is not a Python value (quote text: \"hi\")") }
            let tuple = args.isEmpty ? "()" : "(" + args.joined(separator: ", ") + ",)"
            return .python("_mpsh.spawn(\(w[0]), \(fn), \(tuple))")
        },
        QuickCommand(name: "join", usage: "join", summary: "wait for every child process", help: """
              Waits for every child started by spawn or by your program (multiprocessing.active_children()).
              example:  spawn 2 sleep 1
                        join
            """) { _, _, _ in .bad("takes no arguments") },
        QuickCommand(name: "ps", usage: "ps", summary: "list the child processes", help: """
              Lists the children: name, pid, state, exit code and CPU time used so far (from /proc).
              example:  spawn 2 spin 10**7
                        ps
            """) { _, _, _ in .bad("takes no arguments") },
        QuickCommand(name: "kill", usage: "kill [NAME|PID|all]", summary: "SIGKILL children: kill [NAME|PID|all]", help: """
              Sends SIGKILL (Process.kill()) to the running children named or numbered, or to all, and joins them.
              example:  spawn 1 sleep 60
                        kill Process-1
            """) { w, _, _ in stop(w, "kill") },
        QuickCommand(name: "terminate", usage: "terminate [NAME|PID|all]", summary: "SIGTERM children: terminate [NAME|PID|all]", help: """
              Like kill, with SIGTERM (Process.terminate()).
              example:  spawn 2 sleep 60
                        terminate all
            """) { w, _, _ in stop(w, "terminate") },
        QuickCommand(name: "pool", usage: "pool [N] map|imap_unordered FUNCTION RANGE", summary: "run a function over a range in a Pool", help: """
              with multiprocessing.Pool(N) as p: print(p.map(FUNCTION, RANGE))  (N defaults to cpu_count()).
              imap_unordered prints each result as it arrives. RANGE is a..b (inclusive), a..<b, or a Python value
              (help ranges). The results are _. On a terminal, a map that runs longer than half a second shows a
              progress bar. Ctrl-C stops it and its workers.
              example:  pool map square 0..9
                        [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]
                        pool 2 imap_unordered fib 20..25
            """) { w, _, isPython in
            var i = 0
            var n = "None"
            if let f = w.first, f.first?.isNumber == true {
                guard isPython(f) else { return .bad("'\(f)' is not a number") }
                n = f; i = 1
            }
            guard w.count - i == 3 else { return .bad("expected a method, a function and a range") }
            let method = w[i]
            guard method == "map" || method == "imap_unordered" || method == "imap" else {
                return .bad("unknown method '\(method)': use map or imap_unordered")
            }
            guard let fn = functionRef(w[i + 1]) else { return .bad("'\(w[i + 1])' is not a function name") }
            guard let r = rangeExpr(w[i + 2], isPython: isPython) else {
                return .bad("'\(w[i + 2])' is not a range: write 0..9 (inclusive), 0..<10, or a Python list")
            }
            return .python("_mpsh.pool(\(n), \(pyString(method)), \(fn), \(r))")
        },
        QuickCommand(name: "bench", usage: "bench pipe|queue [COUNT...]", summary: "pipes versus queues: time sending COUNT numbers", help: """
              The tutorial's exercise: a reader process receives COUNT numbers through a Pipe() or a Queue(),
              then 'DONE'; prints how long each took (counts default to 10**4 10**5).
              example:  bench pipe 10**4 10**5
                        Sending 10000 numbers to Pipe() took 0.004 seconds
            """) { w, _, isPython in
            guard let kind = w.first, kind == "pipe" || kind == "queue" else {
                return .bad("expected pipe or queue, got '\(w.first ?? "")'")
            }
            var counts: [String] = []
            for c in w.dropFirst() {
                guard isPython(c) else { return .bad("'\(c)' is not a count (write 10000 or 10**4)") }
                counts.append(c)
            }
            if counts.isEmpty { counts = ["10**4", "10**5"] }
            return .python("_mpsh.bench(\(pyString(kind)), [\(counts.joined(separator: ", "))])")
        },
        QuickCommand(name: "cores", usage: "cores N...", summary: "how processes map to cores: per-process time as N grows", help: """
              The tutorial's core investigation: for each N, start N processes each running the same CPU-bound
              loop, and draw the mean time per process as a bar. Flat bars: each process had a core to itself.
              example:  cores 1 2 4
                        cores 1..4
            """) { w, _, isPython in
            guard !w.isEmpty else { return .bad("expected one or more process counts, e.g. cores 1 2 4") }
            var parts: [String] = []
            for c in w {
                if !isPython(c), let r = rangeExpr(c, isPython: isPython) { parts.append("*" + r) } else if isPython(c) {
                    parts.append(c)
                } else { return .bad("'\(c)' is not a process count") }
            }
            return .python("_mpsh.cores([\(parts.joined(separator: ", "))])")
        },
        QuickCommand(name: "time", usage: "time STATEMENT", summary: "time a statement or command", help: """
              Runs STATEMENT (Python or a quick command) and prints its wall time and CPU time; the value of an
              expression is printed as usual.
              example:  time sum(range(10**6))
                        time pool map fib 20..25
            """) { _, rest, isPython in
            switch translate(rest, isPython: isPython) {
            case .python(let inner): return .python("_mpsh.timed(lambda: \(inner))")
            case .error(let e): return .error(e)
            case .notACommand: break
            }
            if isPython("(" + rest + ")") { return .python("_mpsh.timed(lambda: (\(rest)))") }
            guard isPython(rest) else { return .bad("'\(rest)' is neither a statement nor a command") }
            if rest.contains("\n") { return .bad("time one line at a time") }
            return .python("__mpsh_t0 = _mpsh.clock(); \(rest); _mpsh.elapsed(__mpsh_t0)")
        },
        QuickCommand(name: "help", usage: "help [TOPIC]", summary: "this help", help: """
              Lists the topics, or shows one: a command, a module, functions, ranges, keys.
              example:  help pool
            """) { w, _, _ in
            guard w.count == 1 else { return .bad("expected one topic") }
            return .python("_mpsh.help(\(pyString(w[0])))")
        },
    ]

    /// The command words (completion offers them as a line's first word).
    public static let names: [String] = table.map(\.name)

    static func command(_ name: String) -> QuickCommand? { table.first { $0.name == name } }

    /// The usage line of a command (the `_mpsh` runtime's messages use it too).
    static func usageOf(_ name: String) -> String { command(name)?.usage ?? name }

    /// Functions every command can name without defining them; a user `def` of the same name takes precedence.
    public static let builtinFunctions = ["worker", "square", "cube", "fib", "sleep", "spin"]

    /// Translates `line` when its first word is a command and the line is not valid Python (or is the bare word,
    /// which the runtime resolves: a user variable of that name wins). `isPython` says whether text parses.
    public static func translate(_ line: String, isPython: (String) -> Bool) -> CommandTranslation {
        let text = line.trimmingCharacters(in: " \t\r\n")
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init),
              let cmd = command(first) else { return .notACommand }
        let restText = String(text.dropFirst(first.count)).trimmingCharacters(in: " \t")
        if restText.isEmpty {
            // `ps`, `join`, `help`, `time`: a bare name is valid Python, so the runtime decides (a user name wins)
            return .python("_mpsh.bare(\(pyString(first)), globals())")
        }
        if isPython(text) {
            // `cores -1` parses as `cores - 1`: without a variable of that name it is the command (whose check
            // then says what is wrong), not a NameError from Python
            guard let sign = restText.first, sign == "-" || sign == "+",
                  restText.dropFirst().first?.isNumber == true, first != "time", first != "help",
                  case .success(let w) = splitWords(restText),
                  case .python(let command) = translate(cmd, w, rest: restText, isPython: isPython)
            else { return .notACommand }
            return .python("(\(text)) if \(pyString(first)) in globals() else \(command)")
        }
        switch splitWords(restText) {
        case .success(let w): return translate(cmd, w, rest: restText, isPython: isPython)
        case .failure(let e): return .error("\(first): \(e.message)\nusage: \(cmd.usage)")
        }
    }

    static func translate(_ cmd: QuickCommand, _ w: [String], rest: String, isPython: (String) -> Bool) -> CommandTranslation {
        switch cmd.translation(w, rest, isPython) {
        case .python(let py): return .python(py)
        case .bad(let msg): return .error("\(cmd.name): \(msg)\nusage: \(cmd.usage)")
        case .error(let e): return .error(e)
        }
    }

    static func stop(_ w: [String], _ how: String) -> QuickCommand.Translated {
        guard w.count == 1 else { return .bad("expected one target: a process name, a pid, or all") }
        return .python("_mpsh.stop(\(pyString(w[0])), \(pyString(how)))")
    }

    /// A function named in a command: resolved at run time (a user definition first, then the built-ins).
    static func functionRef(_ word: String) -> String? {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ isIdentifier(String($0)) }) else { return nil }
        if parts.count > 1 { return word }
        return "_mpsh.fn(\(pyString(word)), globals())"
    }

    /// `a..b` (inclusive), `a..<b`, or any Python expression (a list, `range(10)`); the bounds are Python
    /// expressions too (`0..10**7`, `1..n`).
    /// The range forms come first: `1..n` is also Python (`(1.).n`), but not what a command means.
    static func rangeExpr(_ word: String, isPython: (String) -> Bool) -> String? {
        for (sep, inclusive) in [("..<", false), ("..", true)] {
            guard let r = word.range(of: sep) else { continue }
            let a = String(word[..<r.lowerBound]), b = String(word[r.upperBound...])
            guard !a.isEmpty, !b.isEmpty, isPython(a), isPython(b) else { break }
            return inclusive ? "range(\(a), (\(b)) + 1)" : "range(\(a), \(b))"
        }
        return isPython(word) ? word : nil
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f == "_" || f.isLetter else { return false }
        return s.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }

    /// A Python string literal for `s`.
    public static func pyString(_ s: String) -> String {
        var out = "'"
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "'"
    }

    public struct WordError: Error { public let message: String }

    /// Splits on blanks outside quotes and brackets: `worker "hello world" [1, 2]` is three words.
    static func splitWords(_ s: String) -> Result<[String], WordError> {
        var words: [String] = []
        var cur = ""
        var quote: Character?
        var depth = 0
        var escaped = false
        for c in s {
            if let q = quote {
                cur.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c; cur.append(c)
            case "(", "[", "{": depth += 1; cur.append(c)
            case ")", "]", "}":
                depth -= 1
                if depth < 0 { return .failure(WordError(message: "unmatched '\(c)'")) }
                cur.append(c)
            case " " where depth == 0, "\t" where depth == 0:
                if !cur.isEmpty { words.append(cur); cur = "" }
            default: cur.append(c)
            }
        }
        if quote != nil { return .failure(WordError(message: "a quoted string is never closed")) }
        if depth != 0 { return .failure(WordError(message: "a bracket is never closed")) }
        if !cur.isEmpty { words.append(cur) }
        return .success(words)
    }

    /// Translates the quick-command lines of a whole program (a `.mp` file, `-c`, stdin): only lines at the top
    /// level (column 0, outside brackets, strings and continuations) can be commands. Line numbers are kept, so
    /// tracebacks point at the program's own lines. Returns the Python text, or the first malformed command's
    /// message as `file:line: message`.
    public static func preprocess(_ source: String, file: String, isPython: (String) -> Bool) -> Result<String, WordError> {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var depth = 0
        var triple: String?
        var continued = false
        var changed = false
        for (idx, line) in lines.enumerated() {
            let topLevel = depth == 0 && triple == nil && !continued
            if topLevel, let f = line.first, f.isLetter {
                switch translate(line, isPython: isPython) {
                case .notACommand: break
                case .python(let py): lines[idx] = py; changed = true
                case .error(let e): return .failure(WordError(message: "\(file):\(idx + 1): \(e)"))
                }
            }
            scanLine(line, depth: &depth, triple: &triple, continued: &continued)
        }
        return .success(changed ? lines.joined(separator: "\n") : source)
    }

    /// Tracks bracket depth, an open triple-quoted string and a trailing backslash across lines.
    static func scanLine(_ line: String, depth: inout Int, triple: inout String?, continued: inout Bool) {
        let b = Array(line.utf8)
        var i = 0
        continued = false
        while i < b.count {
            if let t = triple {
                let tb = Array(t.utf8)
                if b[i] == 92 { i += 2; continue }
                if i + 2 < b.count, b[i] == tb[0], b[i + 1] == tb[0], b[i + 2] == tb[0] {
                    triple = nil; i += 3; continue
                }
                i += 1; continue
            }
            let c = b[i]
            switch c {
            case 35: return  // '#'
            case 34, 39:  // quotes
                if i + 2 < b.count, b[i + 1] == c, b[i + 2] == c {
                    triple = String(repeating: Character(UnicodeScalar(c)), count: 3); i += 3; continue
                }
                i += 1
                while i < b.count, b[i] != c { if b[i] == 92 { i += 1 }; i += 1 }
                i += 1; continue
            case 40, 91, 123: depth += 1
            case 41, 93, 125: depth = max(0, depth - 1)
            case 92 where i == b.count - 1: continued = true
            default: break
            }
            i += 1
        }
    }
}
