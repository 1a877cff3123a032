import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Runs CShim's C test program (Tests/CShimCTests: built with gcc -Wall -Wextra -Werror, real processes) so
/// that `swift test` covers the C layer too, and reports each failing C test by name. CI also runs the same
/// program under AddressSanitizer and UndefinedBehaviorSanitizer (`Tests/CShimCTests/run.sh sanitize`).
final class CShimCTestsTests: XCTestCase {
    func testCShimCTestProgramPasses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let script = root + "/Tests/CShimCTests/run.sh"
        let output = root + "/.build-ctests/swift-test-output.txt"
        mkdir(root + "/.build-ctests", 0o755)

        let run = try runChild(["/bin/bash", script, "plain"], limit: 900)
        let text = run.output + run.error
        try? text.write(toFile: output, atomically: true, encoding: .utf8)  // kept for a look after a failure
        let lines = text.split(separator: "\n")
        for line in lines where line.hasPrefix("FAIL") || line.contains(" FAIL ") { XCTFail(String(line)) }
        XCTAssertTrue(lines.contains { $0.hasSuffix(" 0 failed") }, "the C tests did not finish:\n\(text)")
        XCTAssertEqual(run.status, 0, "C tests exited \(run.status):\n\(text)")
        let passed = lines.filter { $0.hasPrefix("ok") }.count
        // cshim_test (20 "ok" lines) and sync_test (10), each run twice (membarrier and seq_cst fallback).
        XCTAssertGreaterThanOrEqual(passed, 2 * (20 + 10), "C tests that passed: \(passed)")
    }
}
