// The mpsh command: `mpsh FILE [args...]`, `mpsh -c CODE`, or a program on stdin.
// Batch mode only for now; the REPL (readline) comes with the shell issue.
import ArgumentParser
import CReadline
import Foundation
import MPShell

struct MPSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpsh",
        abstract: "Run an mpsh (Python-subset) program.")

    @Option(name: .customShort("c"), help: "Program passed in as a string.")
    var command: String?

    @Argument(parsing: .captureForPassthrough, help: "The program file, then its arguments (sys.argv[1:]).")
    var rest: [String] = []

    mutating func run() throws {
        var args = rest
        if args.first == "--" { args.removeFirst() }
        let source: String
        let file: String
        var argv: [String]
        if let c = command {
            source = c; file = "<string>"; argv = ["-c"] + args
            if argv.count > 1 && argv[1] == "--" { argv.remove(at: 1) }
        } else if let path = args.first, path != "-" {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write("mpsh: can't open file '\(path)': [Errno 2] No such file or directory\n".data(using: .utf8)!)
                throw ExitCode(2)
            }
            source = String(decoding: data, as: UTF8.self); file = path; argv = args
            // `mpsh FILE -- args`: the separator is not part of sys.argv
            if argv.count > 1 && argv[1] == "--" { argv.remove(at: 1) }
        } else {
            if isatty(0) != 0 {
                FileHandle.standardError.write("mpsh: the interactive shell is not built yet; pass a file or -c\n".data(using: .utf8)!)
                throw ExitCode(2)
            }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            source = String(decoding: data, as: UTF8.self); file = "<stdin>"; argv = args.isEmpty ? [""] : args
        }
        // MPSH_STACK_MB lowers the evaluator's stack (valgrind cannot map the default 512 MB one)
        let stackMB = Int(ProcessInfo.processInfo.environment["MPSH_STACK_MB"] ?? "") ?? 512
        let status = withLargeStack(stackMB << 20) {
            let interp = Interpreter()
            interp.argv = argv
            return interp.runMain(source: source, file: file)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

MPSH.main()
