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
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines where line.hasPrefix("FAIL") || line.contains(" FAIL ") { XCTFail(line) }
        XCTAssertEqual(run.status, 0, "C tests exited \(run.status):\n\(text)")
        // run.sh prints "== PROGRAM (how)" before each run, and each run ends with the harness's summary line,
        // "N passed, M failed": every run must have finished (a crash leaves no summary), failed nothing, and
        // its "ok" lines must add up to what the summaries say passed.
        let runs = lines.filter { $0.hasPrefix("== ") }
        let summaries = lines.compactMap { line -> (passed: Int, failed: Int)? in
            guard let m = line.wholeMatch(of: /(\d+) passed, (\d+) failed/) else { return nil }
            return (Int(m.1)!, Int(m.2)!)
        }
        XCTAssertFalse(runs.isEmpty, "run.sh ran no C test program:\n\(text)")
        XCTAssertEqual(summaries.count, runs.count, "a C test program did not finish:\n\(text)")
        XCTAssertEqual(summaries.map(\.failed).reduce(0, +), 0, text)
        XCTAssertEqual(lines.filter { $0.hasPrefix("ok") }.count, summaries.map(\.passed).reduce(0, +),
                       "the summaries disagree with the tests run:\n\(text)")
    }
}
