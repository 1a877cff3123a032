// The binding tests' fixture: Python programs run in-process as `__main__`, and a check after every test that
// it left no child process (running or zombie) and no /dev/shm entry behind.
import Foundation
import PyLang
import TestSupport
import XCTest

class BindingTestCase: XCTestCase {
    private var shmBefore: Set<String> = []
    private var childrenBefore: Set<Int32> = []

    override func setUp() {
        super.setUp()
        shmBefore = sharedMemoryEntries()
        childrenBefore = childProcessIDs()
    }

    override func tearDown() {
        // No child made by the test is left (other suites' children are not ours to judge). Workers and zygotes
        // are reaped when a pool ends: a terminated pool's processes get a moment to go.
        let deadline = Date().addingTimeInterval(5)
        var left = childProcessIDs().subtracting(childrenBefore)
        while !left.isEmpty && Date() < deadline {
            usleep(20_000)
            left = childProcessIDs().subtracting(childrenBefore)
        }
        XCTAssertTrue(left.isEmpty, "child processes left behind: \(left.sorted())")
        let leftover = sharedMemoryEntries().subtracting(shmBefore)
        XCTAssertTrue(leftover.isEmpty, "shared memory left behind: \(leftover.sorted())")
        super.tearDown()
    }

    /// Runs a program as `__main__` in a fresh interpreter (on a large stack, output captured), as `mpsh file.py`
    /// does, children finished at its end; `setUp` gets the interpreter first (to add names). Its output and status.
    func run(_ source: String, setUp: ((Interpreter) -> Void)? = nil) -> (out: String, err: String, status: Int32) {
        withLargeStack(64 << 20) {
            let interp = Interpreter()
            setUp?(interp)
            interp.captureOutput()
            let status = interp.runMain(source: source, file: "binding_test.py")
            let c = interp.capturedOutput
            return (c.stdout, c.stderr, status)
        }
    }

    /// Runs a program (see `run`) and checks that it printed `expected` and exited 0 within `seconds` (a hang fails).
    func check(_ source: String, prints expected: String, within seconds: Double = 30,
               file: StaticString = #filePath, line: UInt = #line) {
        let start = Date()
        let r = run(source)
        XCTAssertEqual(r.out, expected, "stderr: \(r.err)", file: file, line: line)
        XCTAssertEqual(r.status, 0, "stderr: \(r.err)", file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(start), seconds, "took too long (a hang?)", file: file, line: line)
    }
}
