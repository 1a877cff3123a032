import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The seed tutorials' examples that use a Manager without a Pool (the web crawlers, which need a Pool or an
/// executor and the network, belong to the seed-scripts issue). Each runs twice, CPython on the original program
/// in SeedExamples/<name>.py and the built `mp-examples <name>`, and both outputs are checked against what the
/// program must print: these programs draw random numbers and log timestamps, so the two runs cannot be equal
/// line for line, but each must have the same structure and the same arithmetic.
final class ManagerSeedExampleTests: XCTestCase {
    /// 002 `multiprocessing_fibonacci.py`. Both languages must log (to standard error, with timestamps):
    ///   - 15 producer lines from Process-2 (a manager takes process number 1, as CPython's SyncManager-1),
    ///     each with a value in 1...20, first;
    ///   - one consumer line per produced value (the same multiset), from Process-3... (one consumer per CPU),
    ///     in any order;
    ///   - last, the dict: each distinct value, in the order it was first produced, with its Fibonacci number.
    /// Lines without a timestamp are set aside: the program's `while not q.empty(): q.get(True, 0.05)` races
    /// (two consumers may see the last item; the loser's get times out and it dies with queue.Empty), in
    /// CPython as in Swift; the loser's item was taken by the other, so the logged lines are unaffected.
    func testChapter5Fibonacci() throws {
        for (language, run) in [("CPython", try runPython("chapter5-fibonacci")), ("Swift", try runExample("chapter5-fibonacci"))] {
            XCTAssertEqual(run.status, 0, "\(language) failed:\n\(run.error)")
            XCTAssertEqual(run.output, "", "\(language) printed on standard output")
            checkFibonacciLog(run.error, language: language)
        }
    }

    private func checkFibonacciLog(_ log: String, language: String) {
        let records = log.split(separator: "\n").compactMap { line -> String? in
            guard let match = line.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - (.*)/) else { return nil }
            return String(match.1)
        }
        guard records.count == 31 else {
            return XCTFail("\(language): \(records.count) log records, expected 31:\n\(log)")
        }
        var produced: [Int] = []
        for record in records[0..<15] {
            guard let m = record.wholeMatch(of: #/Producer \[Process-2\] putting value \[(\d+)\] into queue\.\. /#),
                  let value = Int(m.1), (1...20).contains(value) else { return XCTFail("\(language): producer line \(record)") }
            produced.append(value)
        }
        var consumed: [Int] = []
        for record in records[15..<30] {
            guard let m = record.wholeMatch(of: /consumer \[Process-(\d+)\] getting value \[(\d+)\] from queue\.\.\./),
                  let consumer = Int(m.1), consumer >= 3, let value = Int(m.2) else {
                return XCTFail("\(language): consumer line \(record)")
            }
            consumed.append(value)
        }
        XCTAssertEqual(consumed.sorted(), produced.sorted(), "\(language): every produced value is consumed once")
        var seen = Set<Int>()
        let firstAppearance = produced.filter { seen.insert($0).inserted }
        let expected = "{" + firstAppearance.map { "\($0): \(fibonacci($0))" }.joined(separator: ", ") + "}"
        XCTAssertEqual(records[30], expected, "\(language): the dict's repr")
    }

    private func fibonacci(_ n: Int) -> Int {
        var (a, b) = (0, 1)
        for _ in 0..<n { (a, b) = (b, a + b) }
        return a
    }
}

// MARK: - Running (posix_spawn: Foundation.Process starts threads, and other tests fork)

private struct Run {
    var status: Int32
    var output: String
    var error: String
}

private func runPython(_ name: String) throws -> Run {
    let environment = currentEnvironment().filter { !$0.hasPrefix("PYTHONUNBUFFERED=") && !$0.hasPrefix("PYTHONPATH=") }
    return try spawn(["python3", seedExamplesDirectory + "/" + name + ".py"], environment: environment)
}

private func runExample(_ name: String) throws -> Run {
    try spawn([try examplesBinary(), name], environment: currentEnvironment())
}

private var seedExamplesDirectory: String {
    let file = "\(#filePath)"
    return String(file[..<file.lastIndex(of: "/")!]) + "/SeedExamples"
}

private struct ManagerSeedError: Error, CustomStringConvertible {
    let description: String
}

/// `mp-examples`, built next to the test binary.
private func examplesBinary() throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { throw ManagerSeedError(description: "cannot read /proc/self/exe: errno \(errno)") }
    let exe = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let binary = String(exe[..<exe.lastIndex(of: "/")!]) + "/mp-examples"
    guard access(binary, X_OK) == 0 else {
        throw ManagerSeedError(description: "\(binary) not found: run `swift build` before `swift test`")
    }
    return binary
}

private func currentEnvironment() -> [String] {
    var result: [String] = []
    var entry = environ
    while let pointer = entry.pointee {
        result.append(String(cString: pointer))
        entry += 1
    }
    return result
}

/// Runs `arguments` (the first looked up on PATH), standard input from /dev/null, outputs into temporary files;
/// kills it after `limit` seconds.
private func spawn(_ arguments: [String], environment: [String], limit: Double = 60) throws -> Run {
    var outputPath = Array("/tmp/mp-manager-seed-out-XXXXXX".utf8CString)
    var errorPath = Array("/tmp/mp-manager-seed-err-XXXXXX".utf8CString)
    let outputFD = mkstemp(&outputPath)
    let errorFD = mkstemp(&errorPath)
    guard outputFD >= 0, errorFD >= 0 else { throw ManagerSeedError(description: "mkstemp: errno \(errno)") }
    defer {
        close(outputFD); close(errorFD)
        unlink(outputPath); unlink(errorPath)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
    posix_spawn_file_actions_adddup2(&actions, errorFD, 2)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
    guard rc == 0 else { throw ManagerSeedError(description: "cannot start \(arguments[0]): error \(rc)") }
    var status: Int32 = 0
    var waited = 0.0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if waited > limit {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            throw ManagerSeedError(description: "\(arguments.joined(separator: " ")) took more than \(limit) s; killed")
        }
        usleep(10_000)  // polling a child's exit, not synchronising with it
        waited += 0.01
    }
    let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
    return Run(status: exit, output: readAll(outputFD), error: readAll(errorFD))
}

private func readAll(_ fd: Int32) -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    var offset: off_t = 0
    while true {
        let n = pread(fd, &chunk, chunk.count, offset)
        if n <= 0 { break }
        bytes += chunk[..<n]
        offset += off_t(n)
    }
    return String(decoding: bytes, as: UTF8.self)
}
