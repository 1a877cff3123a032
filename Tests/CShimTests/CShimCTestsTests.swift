import CShim
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Runs CShim's C test program (Tests/CShimCTests: built with gcc -Wall -Wextra -Werror, real processes) so
/// that `swift test` covers the C layer too, and reports each failing C test by name. CI also runs the same
/// program under AddressSanitizer and UndefinedBehaviorSanitizer (`Tests/CShimCTests/run.sh sanitize`).
///
/// Spawned with posix_spawn, not Foundation.Process: the latter starts threads, and later tests fork.
final class CShimCTestsTests: XCTestCase {
    func testCShimCTestProgramPasses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let script = root + "/Tests/CShimCTests/run.sh"
        let output = root + "/.build-ctests/swift-test-output.txt"
        mkdir(root + "/.build-ctests", 0o755)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/bash"), strdup(script), strdup("plain"), nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        XCTAssertEqual(posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ), 0, "spawn \(script)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        var code: Int32 = -1
        _ = cshim_exitcode_from_status(status, &code)

        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? "(no output)"
        let lines = text.split(separator: "\n")
        for line in lines where line.hasPrefix("FAIL") || line.contains(" FAIL ") { XCTFail(String(line)) }
        XCTAssertTrue(lines.contains { $0.hasSuffix(" 0 failed") }, "the C tests did not finish:\n\(text)")
        XCTAssertEqual(code, 0, "C tests exited \(code):\n\(text)")
        let passed = lines.filter { $0.hasPrefix("ok") }.count
        // cshim_test (20 "ok" lines) and sync_test (10), each run twice (membarrier and seq_cst fallback).
        XCTAssertGreaterThanOrEqual(passed, 2 * (20 + 10), "C tests that passed: \(passed)")
    }
}
