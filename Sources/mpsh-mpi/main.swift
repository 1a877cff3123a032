// mpsh-mpi: mpsh with mpi4py, dynamically linked against the MPI library (libmpi is a shared library; the release
// `mpsh` stays one static executable without MPI).
//
//   mpirun -n 4 mpsh-mpi -m mpi4py.futures prog.mp [ARG...]   rank 0 runs prog.mp; the others serve its executors
//   mpirun -n 4 mpsh-mpi prog.mp [ARG...]                     every rank runs prog.mp (COMM_WORLD, MPICommExecutor)
//   mpsh-mpi prog.mp                                          alone: an MPIPoolExecutor spawns its workers
//   mpsh-mpi -c CODE [ARG...]
//
// Mirrors `python -m mpi4py.futures prog.py` (mpi4py/futures/__main__.py) and `python prog.py`.
import PyLang
import MultiprocessingMPI

#if canImport(Glibc)
import Glibc
#endif

func fail(_ text: String, status: Int32 = 2) -> Never {
    _ = "mpsh-mpi: \(text)\n".withCString { write(2, $0, strlen($0)) }
    exit(status)
}

let usage = """
    usage: mpsh-mpi [-m mpi4py.futures] FILE [ARG...]
           mpsh-mpi -c CODE [ARG...]
    Runs an mpsh program with mpi4py (mpi4py.MPI, mpi4py.futures); start it with mpirun -n N for N ranks.
    """

var arguments = Array(CommandLine.arguments.dropFirst())
var futuresMode = false
if arguments.first == "-m" {
    guard arguments.count >= 2, arguments[1] == "mpi4py.futures" else {
        fail("-m: only the module mpi4py.futures can be run (\(arguments.dropFirst().first ?? "nothing") given)\n\(usage)")
    }
    futuresMode = true
    arguments.removeFirst(2)
}
if arguments.first == "-h" || arguments.first == "--help" {
    print(usage)
    exit(0)
}
guard let first = arguments.first else { fail("no program given\n\(usage)") }
let source: String, file: String, argv: [String]
if first == "-c" {
    guard arguments.count >= 2 else { fail("-c needs the program text\n\(usage)") }
    (source, file, argv) = (arguments[1], "<string>", ["-c"] + arguments.dropFirst(2))
} else {
    guard let handle = fopen(first, "r") else {
        fail("can't open file '\(first)': [Errno \(errno)] \(String(cString: strerror(errno)))")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, handle)
        if n <= 0 { break }
        bytes += chunk[..<n]
    }
    fclose(handle)
    (source, file, argv) = (String(decoding: bytes, as: UTF8.self), first, arguments)
}

// The evaluator recurses deeply: room on the main thread's stack (it grows on demand up to RLIMIT_STACK). Not a
// thread of its own, as mpsh does when the limit cannot be raised: the task supervisor must be forked while this
// process is single-threaded.
var limit = rlimit()
let stackResource = __rlimit_resource_t(RLIMIT_STACK.rawValue)
if getrlimit(stackResource, &limit) == 0, limit.rlim_cur != rlim_t.max, limit.rlim_cur < 512 << 20 {
    limit.rlim_cur = limit.rlim_max == rlim_t.max ? 512 << 20 : min(limit.rlim_max, 512 << 20)
    _ = setrlimit(stackResource, &limit)
}

do { try registerTaskFunctions() } catch { fail("\(error)", status: 1) }
let interp = Interpreter()
interp.argv = argv
let shell = Shell(interp: interp)
// (the runtime calls MPI only when the program uses it, after MPI started below)
MPI4PyModules.install(in: interp, runtime: LibraryRuntime())

/// Runs the program as __main__; its exit status.
func runMain(_ interp: Interpreter, _ shell: Shell, _ source: String, _ file: String) -> Int32 {
    shell.runProgram(source: source, file: file)
}

var status: Int32 = 0
do {
    switch MPIFutures.role {
    case .spawnedWorker:
        // Started by a master's MPIPoolExecutor: load the program as __worker__, then serve (initialize never
        // returns here).
        let loaded = MPI4PyModules.loadWorkerProgram(interp, source: source, file: file)
        if loaded != 0 { exit(loaded) }
        try MPIFutures.initialize()
    case .rank(let rank) where futuresMode && rank != 0:
        // A worker rank of `-m mpi4py.futures`: the same, serving rank 0 (run exits here).
        let loaded = MPI4PyModules.loadWorkerProgram(interp, source: source, file: file)
        if loaded != 0 { exit(loaded) }
        _ = try MPIFutures.run { 0 }
    default:
        if futuresMode {
            status = try MPIFutures.run { runMain(interp, shell, source, file) }
        } else {
            // Every rank runs the program; an MPICommExecutor's ranks serve tasks in their own interpreter.
            try MPIFutures.initialize(taskProcesses: false)
            MPI4PyModules.serveTasks(in: interp)
            status = runMain(interp, shell, source, file)
            MPI.finalize()
        }
    }
} catch {
    fail("\(error)", status: 1)
}
exit(status)
