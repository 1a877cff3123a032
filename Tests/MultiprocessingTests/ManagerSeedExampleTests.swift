import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The seed tutorials' examples that use a Manager without a Pool (the web crawlers, which need a Pool or an
/// executor and the network, belong to the seed-scripts issue). Each runs twice, CPython on the original program
/// in SeedExamples/<name>.py and the built `mp-examples <name>`, and both outputs are checked against what the
/// program must print: these programs draw random numbers and log timestamps, so the two runs cannot be equal
/// line for line, but each must have the same structure and the same arithmetic.
final class ManagerSeedExampleTests: XCTestCase {
    /// 002 `multiprocessing_fibonacci.py`. Both languages must log (to standard error, with timestamps):
    ///   - 15 producer lines from Process-2 (a manager takes process number 1, as CPython's SyncManager-1),
    ///     each with a value in 1...20, first;
    ///   - one consumer line per produced value (the same multiset), from Process-3... (one consumer per CPU),
    ///     in any order;
    ///   - last, the dict: each distinct value, in the order it was first produced, with its Fibonacci number.
    /// Lines without a timestamp are set aside: the program's `while not q.empty(): q.get(True, 0.05)` races
    /// (two consumers may see the last item; the loser's get times out and it dies with queue.Empty), in
    /// CPython as in Swift; the loser's item was taken by the other, so the logged lines are unaffected.
    func testChapter5Fibonacci() throws {
        for (language, run) in [("CPython", try runPython("chapter5-fibonacci")), ("Swift", try runExample("chapter5-fibonacci"))] {
            XCTAssertEqual(run.status, 0, "\(language) failed:\n\(run.error)")
            XCTAssertEqual(run.output, "", "\(language) printed on standard output")
            checkFibonacciLog(run.error, language: language)
        }
    }

    private func checkFibonacciLog(_ log: String, language: String) {
        let records = log.split(separator: "\n").compactMap { line -> String? in
            guard let match = line.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - (.*)/) else { return nil }
            return String(match.1)
        }
        guard records.count == 31 else {
            return XCTFail("\(language): \(records.count) log records, expected 31:\n\(log)")
        }
        var produced: [Int] = []
        for record in records[0..<15] {
            guard let m = record.wholeMatch(of: #/Producer \[Process-2\] putting value \[(\d+)\] into queue\.\. /#),
                  let value = Int(m.1), (1...20).contains(value) else { return XCTFail("\(language): producer line \(record)") }
            produced.append(value)
        }
        var consumed: [Int] = []
        for record in records[15..<30] {
            guard let m = record.wholeMatch(of: /consumer \[Process-(\d+)\] getting value \[(\d+)\] from queue\.\.\./),
                  let consumer = Int(m.1), consumer >= 3, let value = Int(m.2) else {
                return XCTFail("\(language): consumer line \(record)")
            }
            consumed.append(value)
        }
        XCTAssertEqual(consumed.sorted(), produced.sorted(), "\(language): every produced value is consumed once")
        var seen = Set<Int>()
        let firstAppearance = produced.filter { seen.insert($0).inserted }
        let expected = "{" + firstAppearance.map { "\($0): \(fibonacci($0))" }.joined(separator: ", ") + "}"
        XCTAssertEqual(records[30], expected, "\(language): the dict's repr")
    }

    private func fibonacci(_ n: Int) -> Int {
        var (a, b) = (0, 1)
        for _ in 0..<n { (a, b) = (b, a + b) }
        return a
    }
}

// MARK: - Running (posix_spawn: Foundation.Process starts threads, and other tests fork)

private func runPython(_ name: String) throws -> ChildRun {
    let environment = currentEnvironment().filter { !$0.hasPrefix("PYTHONUNBUFFERED=") && !$0.hasPrefix("PYTHONPATH=") }
    return try spawnProgram(["python3", seedExamplesDirectory + "/" + name + ".py"], environment: environment)
}

private func runExample(_ name: String) throws -> ChildRun {
    try spawnProgram([try examplesBinary(), name], environment: currentEnvironment())
}
