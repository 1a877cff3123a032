// An exception raised in a pool or executor worker and not caught: mpsh's stderr is CPython's, line for line —
// the worker's traceback in a RemoteTraceback between triple quotes, "The above exception was the direct cause of
// the following exception:", then the parent's traceback — apart from what cannot be the same: file paths (CPython
// prints the script's absolute path), the frames of CPython's own library (pool.py, concurrent/futures/*.py:
// mpsh's pool is not written in Python) and the caret lines under source lines (3.11's `^^^^`). Each program runs
// under python3 and mpsh in the same test.
import Foundation
import TestSupport
import XCTest

final class RemoteTracebackTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    /// stderr with paths reduced to their last component, CPython library frames (with their source line) and
    /// caret lines removed.
    static func normalise(_ stderr: String) -> [String] {
        var out: [String] = []
        var skipSource = false
        for line in stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if skipSource {
                skipSource = false
                if !trimmed.hasPrefix("File \"") { continue }
            }
            if trimmed.hasPrefix("File \"") {
                if trimmed.contains("/lib/python3") { skipSource = true; continue }
                var l = line
                if let start = l.range(of: "File \""), let end = l[start.upperBound...].firstIndex(of: "\"") {
                    let path = String(l[start.upperBound..<end])
                    l.replaceSubrange(start.upperBound..<end, with: (path as NSString).lastPathComponent)
                }
                out.append(l)
                continue
            }
            if !trimmed.isEmpty && trimmed.allSatisfy({ $0 == "^" || $0 == "~" }) { continue }
            out.append(line)
        }
        return out
    }

    func assertSameAsCPython(_ name: String, _ program: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try tempProgram(name, program)
        let py = try runChild(["python3", path], limit: 60)
        let mp = try runMpsh([path])
        XCTAssertEqual(py.status, 1, "python3: " + py.error, file: file, line: line)
        XCTAssertEqual(mp.status, py.status, mp.stderr, file: file, line: line)
        XCTAssertEqual(mp.stdout, py.output, file: file, line: line)
        let expected = Self.normalise(py.error), got = Self.normalise(mp.stderr)
        XCTAssertTrue(expected.contains { $0.hasPrefix("The above exception was the direct cause") },
                      "python3's stderr has no remote traceback: \(py.error)", file: file, line: line)
        XCTAssertEqual(got, expected, "mpsh's stderr:\n\(mp.stderr)\npython3's:\n\(py.error)", file: file, line: line)
    }

    func testPoolApplyUncaught() throws {
        try skipUnlessPool()
        try assertSameAsCPython("pool_apply.py", """
            from multiprocessing import Pool

            def inner(x):
                return {}[x]

            def f(x):
                try:
                    return inner(x)
                except KeyError as e:
                    raise ValueError("no key %r" % x) from e

            if __name__ == "__main__":
                with Pool(2) as p:
                    print(p.map(len, ["a", "bb"]))
                    p.apply(f, ("k",))

            """)
    }

    func testPoolMapUncaught() throws {
        try skipUnlessPool()
        try assertSameAsCPython("pool_map.py", """
            import multiprocessing

            def f(x):
                if x == 3:
                    1 / 0
                return x

            if __name__ == "__main__":
                with multiprocessing.Pool(2) as p:
                    p.map(f, range(6), chunksize=2)

            """)
    }

    func testExecutorUncaught() throws {
        try skipUnlessPool()
        try assertSameAsCPython("executor.py", """
            from concurrent.futures import ProcessPoolExecutor

            def g(x):
                raise RuntimeError("task %d failed" % x)

            def main():
                with ProcessPoolExecutor(2) as ex:
                    f = ex.submit(g, 7)
                    print(type(f.exception().__cause__).__name__)
                    f.result()

            if __name__ == "__main__":
                main()

            """)
    }
}
