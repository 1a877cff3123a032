// The standard modules written in Python (Sources/CPyLib/python/*.py) are all embedded (pylib.c lists each one by
// hand) and each imports cleanly in a fresh interpreter.
import Foundation
import PyLang
import XCTest

final class EmbeddedModulesTests: XCTestCase {
    func testEveryPythonModuleIsEmbeddedAndImports() throws {
        let dir = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CPyLib/python")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".py") }.map { String($0.dropLast(3)) }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 18)
        for name in names {
            let (out, err) = withLargeStack {
                let interp = Interpreter()
                interp.captureOutput()
                _ = interp.runMain(source: "import \(name)\nprint(\(name).__name__)\n", file: "<test>")
                return (interp.capturedOutput.stdout, interp.capturedOutput.stderr)
            }
            XCTAssertEqual(out, "\(name)\n", "import \(name) (is it listed in Sources/CPyLib/pylib.c?): \(err)")
        }
    }
}
