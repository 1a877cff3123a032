// Running the built `mpsh` (next to the test bundle: `swift build` or `swift test` builds it) in batch.
import Foundation
import XCTest

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `mpsh`, built next to the test binary (on Linux `.build/debug/mpshPackageTests.xctest`).
func mpshBinary() throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { throw E2EError("cannot read /proc/self/exe: errno \(errno)") }
    let exe = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let binary = String(exe[..<exe.lastIndex(of: "/")!]) + "/mpsh"
    guard access(binary, X_OK) == 0 else {
        throw E2EError("\(binary) not found: run `swift build` (or `swift build --build-tests`) before `swift test`")
    }
    return binary
}

/// The repository's root (this file is Tests/MPShellE2ETests/Support/Mpsh.swift).
let repositoryRoot: String = {
    var path = "\(#filePath)"
    for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
    return path
}()

struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// The environment for a run: this process's, with a private history file and no terminal colours.
func testEnvironment(_ extra: [String: String] = [:]) -> [String] {
    var env = ProcessInfo.processInfo.environment
    env["MPSH_HISTORY"] = NSTemporaryDirectory() + "mpsh-e2e-history-\(getpid())"
    for (k, v) in extra { env[k] = v }
    return env.map { "\($0.key)=\($0.value)" }
}

/// Runs `mpsh ARGS` with `stdin` as its standard input (or /dev/null), outputs captured in temporary files;
/// kills it after `limit` seconds (a hang is a failure, reported with what it printed).
func runMpsh(_ args: [String], stdin: String? = nil, limit: Double = 60) throws -> Run {
    let binary = try mpshBinary()
    func temp(_ tag: String) throws -> (Int32, [CChar]) {
        var path = Array("/tmp/mpsh-e2e-\(tag)-XXXXXX".utf8CString)
        let fd = mkstemp(&path)
        guard fd >= 0 else { throw E2EError("mkstemp: errno \(errno)") }
        return (fd, path)
    }
    let (outFD, outPath) = try temp("out")
    let (errFD, errPath) = try temp("err")
    let (inFD, inPath) = try temp("in")
    defer {
        close(outFD); close(errFD); close(inFD)
        unlink(outPath); unlink(errPath); unlink(inPath)
    }
    if let stdin {
        let bytes = Array(stdin.utf8)
        guard write(inFD, bytes, bytes.count) == bytes.count else { throw E2EError("write stdin: errno \(errno)") }
        lseek(inFD, 0, SEEK_SET)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if stdin == nil {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    } else {
        posix_spawn_file_actions_adddup2(&actions, inFD, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, outFD, 1)
    posix_spawn_file_actions_adddup2(&actions, errFD, 2)
    let argv = ([binary] + args).map { strdup($0) } + [nil]
    let envp = testEnvironment().map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, binary, &actions, nil, argv, envp)
    guard rc == 0 else { throw E2EError("posix_spawn \(binary): error \(rc)") }
    let status = try waitFor(pid, limit: limit)
    return Run(status: status, stdout: try readAll(outPath), stderr: try readAll(errPath))
}

/// Waits for `pid` to exit; kills it after `limit` seconds (a hang is a failure, never a stuck test run).
func waitFor(_ pid: pid_t, limit: Double) throws -> Int32 {
    let box = StatusBox()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        box.status = status
        done.signal()
    }
    var timedOut = false
    if done.wait(timeout: .now() + limit) == .timedOut {
        timedOut = true
        kill(pid, SIGKILL)
        done.wait()
    }
    if timedOut { throw E2EError("mpsh did not finish within \(limit) s") }
    let status = box.status
    if status & 0x7f == 0 { return (status >> 8) & 0xff }
    return 128 + (status & 0x7f)
}

final class StatusBox: @unchecked Sendable { var status: Int32 = 0 }

func readAll(_ path: [CChar]) throws -> String {
    let p = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard let d = FileManager.default.contents(atPath: p) else { throw E2EError("cannot read \(p)") }
    return String(decoding: d, as: UTF8.self)
}

/// Writes `text` to a new temporary file named `name` and returns its path.
func tempProgram(_ name: String, _ text: String) throws -> String {
    let dir = NSTemporaryDirectory() + "mpsh-e2e-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Removes what `tempProgram` wrote (called once per test class).
func removeTempPrograms() {
    try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "mpsh-e2e-\(getpid())")
}

/// Whether the multiprocessing binding is in this build (the commands that drive processes need it).
func bindingAvailable() throws -> Bool {
    try runMpsh(["-c", "import multiprocessing"]).status == 0
}

func skipUnlessBinding() throws {
    if try !bindingAvailable() {
        throw XCTSkip("the multiprocessing binding is not in this build yet (import multiprocessing fails)")
    }
}

/// The pids whose session is `sid` (the shell's pseudo-terminal session): what is left of its children.
func processes(inSession sid: pid_t) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var found: [pid_t] = []
    for e in entries {
        guard let pid = pid_t(e), let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        // after "pid (comm)": state ppid pgrp session ...
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 3, pid_t(fields[3]) == sid { found.append(pid) }
    }
    return found
}

/// Whether multiprocessing.Pool is in this build (it lands after the rest of the binding).
func skipUnlessPool() throws {
    try skipUnlessBinding()
    if try runMpsh(["-c", "import multiprocessing\nwith multiprocessing.Pool(1) as p: pass"]).status != 0 {
        throw XCTSkip("multiprocessing.Pool is not in this build yet")
    }
}
