import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

// Running the seed examples' programs (`mp-examples` and python3) as child programs, for the seed example tests.

/// What a program printed, and how it ended.
struct SeedRun {
    var status: Int32
    var output: String
    var error: String
}

/// Tests/MultiprocessingTests/SeedExamples/.
var seedExamplesDirectory: String {
    let file = "\(#filePath)"
    let support = file[..<file.lastIndex(of: "/")!]
    return String(support[..<support.lastIndex(of: "/")!]) + "/SeedExamples"
}

/// `mp-examples`, built next to the test binary (on Linux `.build/debug/mpshPackageTests.xctest`).
func examplesBinary() throws -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { throw SeedExampleError("cannot read /proc/self/exe: errno \(errno)") }
    let exe = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let binary = String(exe[..<exe.lastIndex(of: "/")!]) + "/mp-examples"
    guard access(binary, X_OK) == 0 else {
        throw SeedExampleError("\(binary) not found: run `swift build` (or `swift build --build-tests`) before `swift test`")
    }
    return binary
}

struct SeedExampleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func currentEnvironment() -> [String] {
    var result: [String] = []
    var entry = environ
    while let pointer = entry.pointee {
        result.append(String(cString: pointer))
        entry += 1
    }
    return result
}

/// Runs `arguments` (the first looked up on PATH) with standard input from /dev/null and its outputs in
/// temporary files; kills it after `limit` seconds.
func spawnProgram(_ arguments: [String], environment: [String], limit: Double = 60) throws -> SeedRun {
    var outputPath = Array("/tmp/mp-seed-out-XXXXXX".utf8CString)
    var errorPath = Array("/tmp/mp-seed-err-XXXXXX".utf8CString)
    let outputFD = mkstemp(&outputPath)
    let errorFD = mkstemp(&errorPath)
    guard outputFD >= 0, errorFD >= 0 else { throw SeedExampleError("mkstemp: errno \(errno)") }
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
    guard rc == 0 else { throw SeedExampleError("cannot start \(arguments[0]): error \(rc)") }

    var status: Int32 = 0
    var waited = 0.0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if waited > limit {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            throw SeedExampleError("\(arguments.joined(separator: " ")) took more than \(limit) s; killed")
        }
        usleep(10_000)
        waited += 0.01
    }
    let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
    return SeedRun(status: exit, output: readFile(outputFD), error: readFile(errorFD))
}

func readFile(_ fd: Int32) -> String {
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
