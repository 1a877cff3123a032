// The program the MPI tests run under mpirun (or alone, to spawn its workers): one scenario per argument, each
// printing what it observed, one `name: value` line per check, for Tests/MultiprocessingMPITests to assert.

import Multiprocessing
import MultiprocessingMPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct Failure: Error, CustomStringConvertible {
    let description: String
}

// Every rank registers the same functions before MPI starts (the workers run them by name).
let square = try RemoteFunction("square") { (x: Int) in x * x }
/// Returns the pid of the task process that runs it once a task process of another pid has started one too (each
/// leaves a file named by its pid in `directory` and waits, woken by inotify, until the directory holds two), or
/// throws after 30 s (and leaves `failed` there, so that the tasks after it fail at once). So a map of these tasks
/// runs in two task processes by construction: the first waits, busy, while the queued tasks go to other workers; an
/// executor that gave every task to one fails with the reason. The ranks share the directory: they run on one host
/// (mpirun -n 4 on this machine).
let meetAnother = try RemoteFunction("meetAnother") { (directory: String) throws -> Int32 in
    let me = getpid()
    let watch = inotify_init1(Int32(IN_CLOEXEC))
    guard watch >= 0 else { throw Failure(description: "inotify_init1: errno \(errno)") }
    defer { close(watch) }
    guard inotify_add_watch(watch, directory, UInt32(IN_CREATE)) >= 0 else {
        throw Failure(description: "inotify_add_watch \(directory): errno \(errno)")
    }
    let touch = { (name: String) in
        let fd = open("\(directory)/\(name)", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }
    touch("\(me)")
    let deadline = ContinuousClock.now + .seconds(30)
    var events = [UInt8](repeating: 0, count: 4096)
    while true {
        let names = directoryEntries(directory)
        if names.contains("failed") {
            throw Failure(description: "an earlier task waited 30 s for a second task process in vain")
        }
        let arrived = names.filter { Int32($0) != nil }
        if arrived.count >= 2 { return me }
        let left = deadline - ContinuousClock.now
        guard left > .zero else {
            touch("failed")
            throw Failure(description: "no other task process started a task within 30 s: task process \(me) "
                          + "was the only one (\(arrived))")
        }
        var ready = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
        if poll(&ready, 1, milliseconds) > 0 { _ = read(watch, &events, events.count) }
    }
}
let failing = try RemoteFunction("failing") { (x: Int) -> Int in
    if x == 3 { throw Failure(description: "three is not allowed") }
    return x
}
let segfault = try RemoteFunction("segfault") { (x: Int) -> Int in
    UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = x  // a real invalid write: SIGSEGV
    return x
}
let exitThree = try RemoteFunction("exit3") { (_: Int) -> Int in _exit(3) }
let sleepy = try RemoteFunction("sleepy") { (milliseconds: Int) -> Int in
    var time = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    nanosleep(&time, nil)
    return milliseconds
}
let big = try RemoteFunction("big") { (megabytes: Int) -> [UInt8] in
    var bytes = [UInt8](repeating: 0, count: megabytes << 20)
    for index in stride(from: 0, to: bytes.count, by: 4096) { bytes[index] = UInt8(truncatingIfNeeded: index >> 12) }
    return bytes
}
let add = try RemoteFunction("add") { (a: Int, b: Int) in a + b }
// The benchmark's (Bench.swift); here, not there: globals of other files are made on first use, which would be
// after the workers forked their task processes.
let noop = try RemoteFunction("noop") { (x: Int) in x }
let squareInt = try RemoteFunction("squareInt") { (x: Int) in x * x }
let hostName = try RemoteFunction("hostName") { (_: Int) -> String in
    var name = [CChar](repeating: 0, count: 256)
    gethostname(&name, name.count - 1)
    return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
/// The pid of the worker rank that runs the task: its task process's grandparent (task process -> supervisor -> rank).
let rankPID = try RemoteFunction("rankPID") { (_: Int) -> Int32 in
    var buffer = [UInt8](repeating: 0, count: 1024)
    let fd = open("/proc/\(getppid())/stat", O_RDONLY)
    let count = fd < 0 ? 0 : max(0, read(fd, &buffer, buffer.count))
    if fd >= 0 { close(fd) }
    let stat = String(decoding: buffer[..<count], as: UTF8.self)
    // "pid (comm) state ppid ...": the fields after the command's closing parenthesis
    let fields = stat[(stat.lastIndex(of: ")") ?? stat.startIndex)...].split(separator: " ")
    return fields.count > 2 ? Int32(fields[2]) ?? -1 : -1
}
/// Set by `setUp` (the executor's initializer) in each task process; read by `configured`.
nonisolated(unsafe) var configuration = "unset"
let setUp = try RemoteFunction("setUp") { (value: String) -> Int in
    configuration = value
    return 0
}
let configured = try RemoteFunction("configured") { (_: Int) in configuration }
let badInit = try RemoteFunction("badInit") { (_: Int) -> Int in throw Failure(description: "no database") }

/// The names in `directory` but `.` and `..`.
func directoryEntries(_ directory: String) -> [String] {
    guard let stream = opendir(directory) else { return [] }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

func report(_ name: String, _ value: Any) {
    print("\(name): \(value)")
    fflush(nil)
}

func attempt(_ body: () throws -> Any) -> String {
    do { return "\(try body())" } catch { return "error \(error)" }
}

let scenario = CommandLine.arguments.dropFirst().first ?? "basic"

func basic() throws {
    let executor = try MPIPoolExecutor()
    report("workers", executor.numWorkers)
    report("map", try executor.map(square, 0..<20))
    report("map chunksize 7", try executor.map(square, 0..<20, chunksize: 7) == (0..<20).map { $0 * $0 })
    report("starmap", try executor.starmap(add, [(1, 2), (3, 4)]))
    report("submit", try executor.submit(square, 12).result(timeout: .seconds(20)))
    // 30 tasks that each wait for a second task process (see meetAnother): under load a fast worker could
    // otherwise take all the tasks of a plain map, and the check would fail with nothing wrong
    var template = Array("/tmp/mpi-selftest-meet-XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
        throw Failure(description: "mkdtemp: errno \(errno)")
    }
    let meeting = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer {  // at the end, when the executor has shut down: a failed map may leave tasks of it still running
        for name in directoryEntries(meeting) { unlink("\(meeting)/\(name)") }
        rmdir(meeting)
    }
    report("distinct task processes", attempt {
        Set(try executor.map(meetAnother, Array(repeating: meeting, count: 30))).count > 1
    })
    report("error", attempt { try executor.map(failing, 0..<6) })
    let futures = try (0..<8).map { try executor.submit(square, $0) }
    report("as completed", MPIExecutor.asCompleted(futures, timeout: .seconds(20)).map { try! $0.result() }.sorted())
    let (done, notDone) = MPIExecutor.wait(futures, timeout: .seconds(20))
    report("wait", "\(done.count) \(notDone.count)")
    let called = PoolMonitorCounter()
    try executor.submit(square, 5).addDoneCallback { _ in called.increment() }
    _ = try executor.submit(square, 6).result()
    report("segfault", attempt { try executor.submit(segfault, 1).result(timeout: .seconds(20)) })
    report("after segfault", try executor.map(square, [7, 8, 9]))
    report("exit 3", attempt { try executor.submit(exitThree, 0).result(timeout: .seconds(20)) })
    report("crash in a chunk", attempt { try executor.map(segfault, [1, 2], chunksize: 2) })
    report("after crash", try executor.submit(square, 11).result(timeout: .seconds(20)))
    let large = try executor.submit(big, 64).result(timeout: .seconds(60))
    report("64 MiB", "\(large.count) \(large[4096 * 300]) \(large[large.count - 4096])")
    let slow = try executor.submit(sleepy, 800)
    report("timeout", attempt { try slow.result(timeout: .milliseconds(50)) })
    report("after timeout", try slow.result(timeout: .seconds(20)))
    report("map timeout", attempt { try executor.map(sleepy, [600, 600, 600, 600, 600, 600, 600], timeout: .milliseconds(100)) })
    let many = try (0..<20).map { _ in try executor.submit(sleepy, 150) }
    executor.shutdown(wait: true, cancelFutures: true)
    let cancelled = many.filter(\.cancelled).count
    let finished = many.filter { !$0.cancelled && (try? $0.result(timeout: .zero)) == 150 }.count
    report("cancelled on shutdown", "\(cancelled > 0) \(cancelled + finished)")
    for future in many where !future.cancelled { print(attempt { try future.result(timeout: .zero) }) }
    report("submit after shutdown", attempt { try executor.submit(square, 1) })
    report("callback", called.value)

    let broken = try MPIPoolExecutor(initializer: badInit, initargs: 0)
    report("initializer", attempt { try broken.submit(square, 2).result(timeout: .seconds(20)) })
    report("initializer again", attempt { try broken.submit(square, 2) })
    broken.shutdown()
    let again = try MPIPoolExecutor(maxWorkers: 2)
    report("second executor", "\(again.numWorkers) \(try again.map(square, [3]))")
    again.shutdown()
    // an initializer that works: it runs in every task process before its first task (and again in a replacement)
    let initialized = try MPIPoolExecutor(initializer: setUp, initargs: "ready")
    report("initialized", Set(try initialized.map(configured, 0..<12)).sorted())
    _ = attempt { try initialized.map(segfault, [1, 2, 3]) }
    report("initialized after crashes", Set(try initialized.map(configured, 0..<12)).sorted())
    initialized.shutdown()
    let fresh = try MPIPoolExecutor()
    report("next executor starts fresh", Set(try fresh.map(configured, 0..<12)).sorted())
    fresh.shutdown()
}

final class PoolMonitorCounter: @unchecked Sendable {
    private var count = 0
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    func increment() {
        pthread_mutex_lock(&lock)
        count += 1
        pthread_mutex_unlock(&lock)
    }
    var value: Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return count
    }
}

switch scenario {
case "basic":
    try MPIFutures.run { try basic() }
case "spawn":
    try MPIFutures.run {
        let executor = try MPIPoolExecutor(maxWorkers: 2)
        report("world size", MPI.world.size)
        report("workers", executor.numWorkers)
        report("map", try executor.map(square, 0..<10, chunksize: 3))
        report("segfault", attempt { try executor.submit(segfault, 1).result(timeout: .seconds(20)) })
        report("after segfault", try executor.map(square, [4, 5]))
        executor.shutdown()
    }
case "comm":
    try MPIFutures.initialize()
    if let executor = try MPICommExecutor(comm: MPI.world, root: 0) {
        report("workers", executor.numWorkers)
        report("map", try executor.map(square, 0..<6))
        executor.shutdown()
    }
    // root 1: rank 0 serves too, its tasks in task processes (a segfault fails the task only)
    if let executor = try MPICommExecutor(comm: MPI.world, root: 1) {
        report("root 1 segfault", attempt { try executor.map(segfault, [1], chunksize: 1) }.contains("SIGSEGV"))
        report("root 1 map", try executor.map(square, 0..<6, chunksize: 2))
        executor.shutdown()
    }
    let world = MPI.world
    let total = try world.allreduce(Int64(world.rank + 1), .sum)
    if world.rank == 0 { report("allreduce", total) }
    MPIFutures.closeSupervisor()
    MPI.finalize()
case "hosts":
    // across hosts (Tests/MultiprocessingMPITests/MultiHostTests.swift: network namespaces joined by veth)
    try MPIFutures.run {
        let executor = try MPIPoolExecutor().bootup()  // every worker idle: the map's chunks go to all three
        report("workers", executor.numWorkers)
        report("hosts", Set(try executor.map(hostName, 0..<24)).sorted())
        let results = try executor.map(big, [16, 16, 16, 16, 16, 16])
        report("16 MiB results", results.map { "\($0.count) \($0[4096 * 100])" }.joined(separator: ", "))
        let crashes = try (0..<6).map { try executor.submit(segfault, $0) }
        let texts = crashes.map { future in attempt { try future.result(timeout: .seconds(30)) } }
        report("segfaults", texts.allSatisfy { $0.contains("was killed by SIGSEGV") })
        report("after segfaults", Set(try executor.map(hostName, 0..<24)).count)
        executor.shutdown()
    }
case "killrank":
    // A worker rank SIGKILLed while the master waits: MPI's rule, the job ends (mpirun reports it); nothing hangs.
    try MPIFutures.run {
        let executor = try MPIPoolExecutor().bootup()
        let victim = try executor.submit(rankPID, 0).result(timeout: .seconds(20))
        report("victim", victim > 1)
        let futures = try (0..<30).map { _ in try executor.submit(sleepy, 300) }
        kill(victim, SIGKILL)
        for future in futures { _ = try? future.result(timeout: .seconds(60)) }
        report("still running", "the job should have ended")
    }
case "bench":
    try MPIFutures.run { try bench(repeats: Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 5) }
default:
    print("unknown scenario \(scenario)")
    exit(2)
}
