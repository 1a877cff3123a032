// Running the built `mpsh` (next to the test bundle: `swift build` or `swift test` builds it) in batch.
import Foundation
import TestSupport
import XCTest

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `mpsh`, built next to the test binary.
func mpshBinary() throws -> String { try builtExecutable("mpsh") }

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

/// Runs `mpsh ARGS` with `stdin` as its standard input (or /dev/null) and `extra` in its environment; kills it
/// after `limit` seconds (a hang is a failure, reported with what it printed). `status` is the exit code, or minus
/// the signal that killed it.
func runMpsh(_ args: [String], stdin: String? = nil, limit: Double = 60, environment extra: [String: String] = [:]) throws -> Run {
    let run = try runChild([try mpshBinary()] + args, environment: testEnvironment(extra), stdin: stdin, limit: limit)
    return Run(status: run.status, stdout: run.output, stderr: run.error)
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
func processes(inSession sid: pid_t) -> [pid_t] { processes(withStatField: 3, equalTo: sid) }

/// The pids whose process group is `pgid` (a program started in a group of its own): what is left of its children
/// once it has ended, zombies included.
func processes(inGroup pgid: pid_t) -> [pid_t] { processes(withStatField: 2, equalTo: pgid) }

/// The pids whose /proc/PID/stat field `index` (counted after "pid (comm)": 0 state, 1 ppid, 2 pgrp, 3 session)
/// is `value`.
private func processes(withStatField index: Int, equalTo value: pid_t) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var found: [pid_t] = []
    for e in entries {
        guard let pid = pid_t(e), let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > index, pid_t(fields[index]) == value { found.append(pid) }
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
