// Running other programs (python3, the built `mpsh` and `mp-examples`) from the tests: one runner for every test
// target, so that a fix to how a child is started, timed out or read lands everywhere at once.
//
// Children are started with posix_spawn, not Foundation.Process: the latter starts threads, and the library's
// tests fork. A child is waited for through a pidfd with a deadline, so a hang is a failure, never a stuck run.
import CShim
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// glibc's (2.29+) chdir file action, which the Glibc module does not import (it is a GNU extension).
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func posix_spawn_file_actions_addchdir_np(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                                  _ path: UnsafePointer<CChar>) -> Int32

/// What a child program printed, and how it ended.
public struct ChildRun: Sendable {
    /// The exit code, or minus the signal number that killed it (CPython's `Process.exitcode` convention).
    public var status: Int32
    public var output: String
    public var error: String
}

public struct ChildProgramError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A program started with posix_spawnp: standard input from /dev/null (or the given text), its outputs in
/// unlinked temporary files, optionally in a process group of its own (so that a time-out kills its children too).
public final class ChildProgram {
    public let pid: pid_t
    private let pidfd: Int32
    private let outputFD: Int32
    private let errorFD: Int32
    private let processGroup: Bool
    private var status: Int32?

    /// Starts `arguments` (the first looked up on PATH) with `environment` ("NAME=value" entries), in `directory`
    /// (this process's own when nil).
    public init(_ arguments: [String], environment: [String], stdin: String? = nil, processGroup: Bool = false,
                directory: String? = nil) throws {
        let outputFD = try unlinkedTemporaryFile("out")
        let errorFD: Int32
        do { errorFD = try unlinkedTemporaryFile("err") } catch { close(outputFD); throw error }
        var inputFD: Int32 = -1
        defer { if inputFD >= 0 { close(inputFD) } }
        do {
            if let stdin {
                inputFD = try unlinkedTemporaryFile("in")
                let bytes = Array(stdin.utf8)
                guard write(inputFD, bytes, bytes.count) == bytes.count, lseek(inputFD, 0, SEEK_SET) == 0 else {
                    throw ChildProgramError("cannot write the standard input of \(arguments[0]): errno \(errno)")
                }
            }
        } catch { close(outputFD); close(errorFD); throw error }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if inputFD >= 0 {
            posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let directory, posix_spawn_file_actions_addchdir_np(&actions, directory) != 0 {
            close(outputFD); close(errorFD)
            throw ChildProgramError("cannot run \(arguments[0]) in \(directory)")
        }
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, errorFD, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if processGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else {
            close(outputFD); close(errorFD)
            throw ChildProgramError("cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        self.pidfd = cshim_pidfd_open(pid)
        self.outputFD = outputFD
        self.errorFD = errorFD
        self.processGroup = processGroup
    }

    deinit {
        if status == nil {  // never waited for: do not leave a zombie or a running child behind
            signal(SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
        if pidfd >= 0 { close(pidfd) }
        close(outputFD)
        close(errorFD)
    }

    /// Sends `number` to the child, or to its whole group when it has one.
    public func signal(_ number: Int32) {
        kill(processGroup ? -pid : pid, number)
    }

    /// Whether it has exited (reaping it when it has).
    public func exited() -> Bool {
        if status != nil { return true }
        var code: Int32 = 0
        if cshim_wait_child(pid, pidfd, 0, &code) == 0 { status = code }
        return status != nil
    }

    /// What it has printed on standard output so far.
    public var outputSoFar: String { readWholeFile(outputFD) }

    /// Waits for it to exit; after `limit` seconds kills it (its group, if it has one) and throws, with what it
    /// printed so far.
    public func wait(limit: Double) throws -> ChildRun {
        if status == nil {
            var code: Int32 = 0
            switch cshim_wait_child(pid, pidfd, Int64(limit * 1e9), &code) {
            case 0:
                status = code
            case ETIMEDOUT:
                signal(SIGKILL)
                _ = cshim_wait_child(pid, pidfd, -1, &code)
                status = code
                throw ChildProgramError("pid \(pid) took more than \(limit) s; killed. Output so far:\n"
                                        + readWholeFile(outputFD) + readWholeFile(errorFD))
            case let error:
                throw ChildProgramError("waiting for pid \(pid): \(String(cString: strerror(error)))")
            }
        }
        return ChildRun(status: status!, output: readWholeFile(outputFD), error: readWholeFile(errorFD))
    }
}

/// Runs `arguments` to completion (see `ChildProgram`), killing it after `limit` seconds.
public func runChild(_ arguments: [String], environment: [String] = currentEnvironment(), stdin: String? = nil,
                     processGroup: Bool = false, directory: String? = nil, limit: Double = 60) throws -> ChildRun {
    try ChildProgram(arguments, environment: environment, stdin: stdin, processGroup: processGroup,
                     directory: directory).wait(limit: limit)
}

/// This process's environment with `changes` made: a value sets the variable, nil removes it.
public func currentEnvironment(_ changes: [String: String?]) -> [String] {
    currentEnvironment().filter { changes[String($0.prefix { $0 != "=" })] == nil }
        + changes.compactMap { name, value in value.map { "\(name)=\($0)" } }.sorted()
}

/// The environment the differential tests give python3 (and mpsh beside it): a fixed hash seed, UTF-8 streams,
/// and standard output buffered when it is not a terminal, as both interpreters do by default.
/// `changes` are made to it last (as in `currentEnvironment(_:)`).
public func pythonEnvironment(_ changes: [String: String?] = [:]) -> [String] {
    let base: [String: String?] = ["PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": nil]
    return currentEnvironment(base.merging(changes) { $1 })
}

/// This process's environment as "NAME=value" entries.
public func currentEnvironment() -> [String] {
    var result: [String] = []
    var entry = environ
    while let pointer = entry.pointee {
        result.append(String(cString: pointer))
        entry += 1
    }
    return result
}

/// An executable of this package built next to the test binary (on Linux `.build/debug/mpshPackageTests.xctest`).
public func builtExecutable(_ name: String) throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { throw ChildProgramError("cannot read /proc/self/exe: errno \(errno)") }
    let exe = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let binary = String(exe[..<exe.lastIndex(of: "/")!]) + "/" + name
    guard access(binary, X_OK) == 0 else {
        throw ChildProgramError("\(binary) not found: run `swift build --build-tests` (or `swift build`) before `swift test`")
    }
    return binary
}

/// The whole content of the file open at `fd`, read from its start.
public func readWholeFile(_ fd: Int32) -> String {
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

private func unlinkedTemporaryFile(_ tag: String) throws -> Int32 {
    var path = Array("/tmp/mpsh-test-\(tag)-XXXXXX".utf8CString)
    let fd = mkstemp(&path)
    guard fd >= 0 else { throw ChildProgramError("mkstemp: errno \(errno)") }
    unlink(path)
    _ = cshim_set_cloexec(fd)  // posix_spawn's dup2 gives the child its copy; no other child inherits this one
    return fd
}

/// Writes `text` as `name` in a new directory of its own (mkdtemp under the temporary directory) and returns the
/// path: a Python program's directory is first on its import path, so a stray file beside it in a shared /tmp
/// (a `re.py`) would shadow a standard module. `removePrivateProgram` removes the directory.
public func privateProgram(_ name: String, _ text: String) throws -> String {
    var template = Array((NSTemporaryDirectory() + "mpsh-test-XXXXXX").utf8CString)
    guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "mkdtemp failed"])
    }
    let path = String(cString: dir) + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Removes the directory `privateProgram` made for `path`.
public func removePrivateProgram(_ path: String) {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
}
