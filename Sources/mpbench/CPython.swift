#if canImport(Glibc)
import Glibc
#endif

/// Runs one of the CPython workloads in ../shared/bench/python and returns its JSON lines as flat dictionaries
/// (the scripts print one flat JSON object per figure). Run beside ours, round by round: only ratios measured
/// together count on this machine.
func runCPythonBenchmark(_ script: String, arguments: [String] = []) -> [[String: String]] {
    let path = sharedBenchDirectory() + "/" + script
    guard access(path, R_OK) == 0 else {
        printErr("mpbench: \(path) not found; run from the project root with ../shared beside it")
        return []
    }
    guard let output = runCommand(["python3", path] + arguments) else { return [] }
    return output.split(separator: "\n").compactMap { parseFlatJSON(String($0)) }
}

/// The version of `python3` on PATH, e.g. "3.11.7".
func pythonVersion() -> String {
    runCommand(["python3", "-c", "import platform; print(platform.python_version())"])?
        .trimmingCharacters(in: " \n") ?? "3"
}

/// Runs a program found on PATH (posix_spawnp: no threads, no Foundation) and returns its standard output,
/// or nil when it could not be started.
func runCommand(_ arguments: [String]) -> String? {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    argv.forEach { free($0) }
    posix_spawn_file_actions_destroy(&actions)
    close(fds[1])
    defer { close(fds[0]) }
    guard rc == 0 else {
        printErr("mpbench: could not start \(arguments[0]) (\(String(cString: strerror(rc))))")
        return nil
    }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fds[0], &chunk, chunk.count)
        if n > 0 { output += chunk[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return String(decoding: output, as: UTF8.self)
}

/// ../shared/bench/python, from the project root (where `swift run` is started).
func sharedBenchDirectory() -> String { "../shared/bench/python" }

/// Parses `{"a": 1, "b": "x"}` (flat, no nested objects or commas in strings). Values keep their text.
func parseFlatJSON(_ line: String) -> [String: String]? {
    let trimmed = line.trimmingCharacters(in: " \t")
    guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}") else { return nil }
    var result: [String: String] = [:]
    for field in trimmed.dropFirst().dropLast().split(separator: ",") {
        let parts = field.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let key = parts[0].trimmingCharacters(in: " \"")
        result[key] = parts[1].trimmingCharacters(in: " \"")
    }
    return result
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
