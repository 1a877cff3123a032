// The mpsh command: the interactive shell, or programs in batch.
//   mpsh                      the shell (when standard input is a terminal), else the program read from stdin
//   mpsh FILE [-- ARG...]     run FILE as __main__ with sys.argv = [FILE, ARG...]
//   mpsh A.mp B.mp ...        run each in a fresh interpreter, in order; non-zero exit naming those that failed
//   mpsh -c CODE [-- ARG...]  run CODE
//   mpsh -i FILE              run FILE, then stay in the shell
// Quick commands (`spawn 4 worker "hi"`) work in all of them, on lines of their own at the top level.
import ArgumentParser
import CReadline
import Foundation
import PyLang

let mpshVersion = "0.1.0"

struct MPSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpsh",
        abstract: "Python's multiprocessing, in an interactive shell with quick commands, or running programs.",
        discussion: """
        With no FILE and no -c, mpsh is an interactive shell when standard input is a terminal, and runs the \
        program read from standard input otherwise. Several FILEs run one after another, each in a fresh \
        interpreter. Arguments after -- become sys.argv[1:]. Quick commands (spawn, join, ps, kill, terminate, \
        pool, bench, cores, time, help) work in the shell and on lines of their own in programs; type help in \
        the shell for each, with an example.

        Examples:
          mpsh scripts/tour.mp
          mpsh prog.py -- input.txt 4
          mpsh -c 'import os; print(os.cpu_count())'
          echo 'pool map square 0..9' | mpsh
        """,
        version: "mpsh \(mpshVersion)")

    @Option(name: .customShort("c"), help: ArgumentHelp("Program passed in as a string.", valueName: "code"))
    var commands: [String] = []

    /// The one `-c` program (several are refused in `run`).
    var command: String? { commands.first }

    @Flag(name: .customShort("i"), help: "Stay in the interactive shell after running the program.")
    var interactive = false

    @Flag(name: .customShort("u"), help: "Unbuffered standard output, as python3 -u (or PYTHONUNBUFFERED=1).")
    var unbuffered = false

    @Argument(parsing: .remaining,
              help: ArgumentHelp("Program files, then -- and the arguments for sys.argv[1:].", valueName: "file"))
    var rest: [String] = []

    mutating func run() throws {
        var files = rest
        var args: [String] = []
        // the argument parser drops `--`: what followed it in the command line is the program's sys.argv[1:]
        let raw = CommandLine.arguments
        if let sep = raw.firstIndex(of: "--"), raw[..<sep].last != "-c" {
            let after = min(raw.count - sep - 1, rest.count)
            files = Array(rest.dropLast(after))
            args = Array(rest.suffix(after))
        }
        // `-i` given after the file lands in the passthrough arguments
        if let i = files.firstIndex(of: "-i") { files.remove(at: i); interactive = true }
        if let u = files.firstIndex(of: "-u") { files.remove(at: u); unbuffered = true }
        if unbuffered { mpshUnbufferedOutput = true }
        if let bad = files.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            throw ValidationError("unknown option '\(bad)'; put the program's own arguments after --")
        }
        if commands.count > 1 {
            throw ValidationError("-c given \(commands.count) times; give one program (separate its statements with ';' or newlines)")
        }
        if command != nil && !files.isEmpty {
            args = files + args
            files = []
        }
        let stackMB = try stackMegabytes(ProcessInfo.processInfo.environment["MPSH_STACK_MB"])
        let jobs = try planJobs(files: files, args: args)
        let wantsShell = interactive || (jobs.isEmpty && isatty(0) != 0)
        installInterruptHandler()
        let me = self
        let status = onLargeStack(stackMB << 20) { () -> Int32 in
            unblockInterrupt()
            return me.runJobs(jobs, thenShell: wantsShell)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// What to run, in order: a program's text, its file name for tracebacks, its sys.argv.
    struct Job {
        let source: String?
        let file: String
        let argv: [String]
        let failure: String?
        /// The exit status when `failure` is set: 2 for a file that cannot be read, 1 for a SyntaxError.
        var status: Int32 = 2
    }

    func planJobs(files: [String], args: [String]) throws -> [Job] {
        if let c = command { return [Job(source: c, file: "<string>", argv: ["-c"] + args, failure: nil)] }
        if files.isEmpty || files == ["-"] {
            if isatty(0) != 0 { return [] }
            if interactive { return [] }  // `mpsh -i < file`: the shell reads the lines as typed input
            let argv = (files.isEmpty ? [""] : ["-"]) + args
            switch readAll(0) {
            case .failure(let e):
                return [Job(source: nil, file: "<stdin>", argv: argv, failure: "mpsh: can't read the program from standard input: \(e)")]
            case .success(let bytes):
                do { return [Job(source: try decodeProgramSource(bytes, file: "<stdin>"), file: "<stdin>", argv: argv, failure: nil)] }
                catch { return [Job(source: nil, file: "<stdin>", argv: argv, failure: error.description, status: 1)] }
            }
        }
        return files.map { path in
            let (text, problem, status) = readProgram(path)
            return Job(source: text, file: path, argv: [path] + args, failure: problem, status: status)
        }
    }

    /// The text of a program file, or a message saying why it cannot be read (and the exit status). Read with
    /// open(2) and read(2) to the end, so that a FIFO, /dev/null or a process substitution (`mpsh <(…)`) is read
    /// like a file, and the reason given is the real errno.
    func readProgram(_ path: String) -> (String?, String?, Int32) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return (nil, "mpsh: can't run '\(path)': it is a directory (give a .mp or .py file)", 2)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            return (nil, "mpsh: can't open file '\(path)': [Errno \(e)] \(String(cString: strerror(e)))", 2)
        }
        defer { close(fd) }
        switch readAll(fd) {
        case .failure(let e): return (nil, "mpsh: can't read file '\(path)': \(e)", 2)
        case .success(let bytes):
            do { return (try decodeProgramSource(bytes, file: path), nil, 0) } catch { return (nil, error.description, 1) }
        }
    }

    func runJobs(_ jobs: [Job], thenShell: Bool) -> Int32 {
        var failed: [(String, Int32)] = []
        var lastShell: Shell?
        for job in jobs {
            guard let source = job.source else {
                FileHandle.standardError.write(Data((job.failure! + "\n").utf8))
                failed.append((job.file, job.status))
                continue
            }
            // each program in a fresh interpreter
            let interp = Interpreter()
            interp.argv = job.argv
            let shell = Shell(interp: interp)
            let status = shell.runProgram(source: source, file: job.file, thenInteractive: thenShell && job.file == jobs.last?.file)
            if status != 0 { failed.append((job.file, status)) }
            lastShell = shell
        }
        if jobs.count > 1 && !failed.isEmpty {
            let names = failed.map { "\($0.0) (exit \($0.1))" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("mpsh: \(failed.count) of \(jobs.count) programs failed: \(names)\n".utf8))
        }
        var status: Int32 = failed.first.map { jobs.count > 1 ? 1 : $0.1 } ?? 0
        if failed.contains(where: { $0.1 == 2 }) && jobs.count == 1 { status = 2 }
        if thenShell {
            let shell = lastShell ?? Shell(interp: { let i = Interpreter(); i.argv = [""]; return i }())
            if isatty(0) != 0 {
                let reader = TerminalReader(shell: shell)
                let banner = lastShell == nil
                    ? "mpsh \(mpshVersion) — Python's multiprocessing. Type help for the quick commands, Ctrl-D to leave."
                    : nil
                status = shell.repl(reader: reader, banner: banner)
            } else {
                status = shell.repl(reader: PlainLineReader(fd: 0))
            }
        }
        return status
    }
}

/// Reads `fd` to its end (EINTR retried): the bytes, or errno's message.
func readAll(_ fd: Int32) -> Result<[UInt8], ReadFailure> {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { bytes += chunk[..<n]; continue }
        if n == 0 { return .success(bytes) }
        if errno == EINTR { continue }
        return .failure(ReadFailure(errno: errno))
    }
}

struct ReadFailure: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "[Errno \(errno)] \(String(cString: strerror(errno)))" }
}

/// MPSH_STACK_MB, checked: the evaluator's stack in MiB (default 512), from 16 MiB to 1 TiB.
func stackMegabytes(_ text: String?) throws -> Int {
    guard let text else { return 512 }
    guard let mb = Int(text.trimmingCharacters(in: .whitespaces)), (16...(1 << 20)).contains(mb) else {
        throw ValidationError("MPSH_STACK_MB must be a whole number of MiB from 16 to 1048576 (got '\(text)'); unset it for the default, 512")
    }
    return mb
}

/// Runs `body` where the evaluator's deep recursion has `size` bytes of stack: on the main thread when the stack
/// limit can be raised that far (the main thread's stack grows on demand up to RLIMIT_STACK), else on a thread of
/// its own with that stack.
///
/// The main thread is the better place: a program's fork() then runs glibc's single-threaded path (no arena and
/// stdio locks taken around it, no lock reset in the child, measured 9 fewer page faults per child), and the
/// process has no second stack and malloc arena for every fork to copy. The room below the main stack is what the
/// kernel left at exec: with address-space randomisation gigabytes; without it (setarch -R) 128 MiB, which holds
/// sys.setrecursionlimit's ceiling of 20,000 Python calls (under 2 KiB each) with room to spare. Programs started
/// from mpsh inherit the raised limit, as from a shell after `ulimit -s`.
func onLargeStack(_ size: Int, _ body: @escaping () -> Int32) -> Int32 {
    let stack = __rlimit_resource_t(RLIMIT_STACK.rawValue)
    let infinity = rlim_t.max   // RLIM_INFINITY, which Swift imports as an overflowing literal
    var limit = rlimit()
    if getrlimit(stack, &limit) == 0 {
        let wanted = rlim_t(size)
        if limit.rlim_cur == infinity || limit.rlim_cur >= wanted { return body() }
        if limit.rlim_max == infinity || limit.rlim_max >= wanted {
            limit.rlim_cur = wanted
            if setrlimit(stack, &limit) == 0 { return body() }
        }
    }
    return withLargeStack(size, body)
}

/// SIGINT only sets a flag (the evaluator raises KeyboardInterrupt at its next check); no SA_RESTART, so a
/// blocking read or wait returns EINTR and can look at the flag.
func installInterruptHandler() {
    _ = interruptFlag
    var action = sigaction()
    // through a raw pointer: an assignment to the Swift global would begin an exclusive access, which traps
    // when the signal lands during the evaluator's read of the flag
    var fds: [Int32] = [0, 0]
    if pipe(&fds) == 0 {
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        interruptPipe = (fds[0], fds[1])
    }
    action.__sigaction_handler.sa_handler = { signal in
        interruptFlag.pointee = 1
        var byte: UInt8 = 1
        _ = write(interruptPipe.write, &byte, 1)  // wakes the line reader's select (a full pipe is fine)
        // a thread the library started may have taken the signal: pass it on, so the evaluator's blocking call
        // (select at the prompt, a sleep, a wait) returns EINTR and looks at the flag
        if let target = evaluatorThread, pthread_equal(pthread_self(), target) == 0 { pthread_kill(target, signal) }
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    // blocked until the evaluator runs (`unblockInterrupt`, on its own thread when the main one only waits for it)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_BLOCK, &set, nil)
}

/// `mpshInterruptPending`'s address, taken once before any signal can arrive.
nonisolated(unsafe) let interruptFlag: UnsafeMutablePointer<Int32> = withUnsafeMutablePointer(to: &mpshInterruptPending) { $0 }

/// The self-pipe: the SIGINT handler writes a byte, the terminal reader waits on the read end beside stdin.
nonisolated(unsafe) var interruptPipe: (read: Int32, write: Int32) = (-1, -1)

func drainInterruptPipe() {
    var buf = [UInt8](repeating: 0, count: 64)
    while read(interruptPipe.read, &buf, buf.count) > 0 {}
}

/// The thread that runs the evaluator and reads the terminal (set before SIGINT is unblocked on it).
nonisolated(unsafe) var evaluatorThread: pthread_t?

func unblockInterrupt() {
    evaluatorThread = pthread_self()
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

// A child started by the spawn method: it runs the program's main module as __mp_main__, then its target, and
// exits (see Binding/SpawnBinding.swift); it never parses a command line.
if isSpawnedChild {
    installInterruptHandler()
    let stackMB = (try? stackMegabytes(ProcessInfo.processInfo.environment["MPSH_STACK_MB"])) ?? 512
    exit(onLargeStack(stackMB << 20) { () -> Int32 in
        unblockInterrupt()
        serveSpawnedChild()
        return 1
    })
}

MPSH.main()
