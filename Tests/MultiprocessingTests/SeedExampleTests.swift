import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The seed tutorials' examples (../shared/seeds), each run twice: CPython on the original program in
/// SeedExamples/<name>.py, and the built `mp-examples <name>`; the outputs must be equal once what legitimately
/// differs is normalised (pids, timings, and the line order of programs whose output order is not determined).
/// SeedExamples/README.md maps every tutorial cell to its subcommand, or says why it is left out.
///
/// Children are spawned with posix_spawn, not Foundation.Process: the latter starts threads, and other tests fork.
/// The executable is found next to the test binary: run `swift build` (or `swift build --build-tests`) first.
final class SeedExampleTests: XCTestCase {
    // MARK: 000 "Week 4: Multiprocessing in Python"

    /// Four children that nobody joins print concurrently: line order is not determined.
    func testWeek4SpawnWorkers() throws { try check("week4-spawn-workers", sorted: true) }

    /// Four children print concurrently: line order is not determined.
    func testWeek4WaitForWorkers() throws { try check("week4-wait-for-workers", sorted: true) }

    /// Checked against a pattern, not CPython: the program prints nothing (the notebook leaves the timing code to
    /// the reader), and CPython's 10^8 `random.random()` calls take about 8 s on this machine for that nothing.
    func testWeek4CoreInvestigation() throws {
        let swift = try runExample("week4-core-investigation")
        XCTAssertEqual(swift.status, 0, swift.error)
        XCTAssertEqual(swift.output, "", "the Swift program printed something")
        XCTAssertEqual(swift.error, "")
    }

    // MARK: 001 "Tutorial 2 — Python Multiprocessing"

    func testTutorial2ProcessInfo() throws { try check("tutorial2-process-info") }

    /// Ten children print concurrently: line order is not determined.
    func testTutorial2SpawnWorkers() throws { try check("tutorial2-spawn-workers", sorted: true) }

    /// The workers' sleeps (2 s, 3 s) are scaled by 0.2 in both languages; the two workers finish together, so
    /// line order is not determined.
    func testTutorial2Naming() throws { try check("tutorial2-naming", sorted: true, timeScale: 0.2) }

    /// Right after terminate(), the child may or may not have died yet (the tutorial says so: "it is important
    /// to join() the process after terminating it"), in CPython as in Swift: the TERMINATED line's state is
    /// normalised to either of its two possible forms. The other three lines must match exactly.
    func testTutorial2Terminate() throws {
        try check("tutorial2-terminate") { output in
            output.replacing(/(TERMINATED: <Process [^>]*?) (?:started> True|stopped exitcode=-SIGTERM> False)/) { match in
                "\(match.1) <started or just stopped>"
            }
        }
    }

    /// Ten children print concurrently (the Lock makes each print whole, not ordered): line order is not
    /// determined.
    func testTutorial2Lock() throws { try check("tutorial2-lock", sorted: true) }

    func testTutorial2Queue() throws { try check("tutorial2-queue") }

    func testTutorial2JoinableQueue() throws { try check("tutorial2-joinable-queue") }

    func testTutorial2Pipe() throws { try check("tutorial2-pipe") }

    /// Checked against a pattern, not CPython: CPython needs about 15 s for the 10^6 numbers alone (30 s for both
    /// halves of the exercise); the timings differ anyway, so the pattern is the same three lines with any time.
    func testTutorial2BenchPipe() throws { try checkBenchmark("tutorial2-bench-pipe", channel: "Pipe()") }

    /// Checked against a pattern, not CPython, for the reason given for the Pipe half.
    func testTutorial2BenchQueue() throws { try checkBenchmark("tutorial2-bench-queue", channel: "Queue()") }

    /// Consumers print concurrently and finish tasks in any order (line order is not determined), and which
    /// consumer takes which task is not determined either: consumer numbers are normalised.
    func testTutorial2ProducerConsumer() throws {
        try check("tutorial2-producer-consumer", sorted: true) { $0.replacing(/Consumer-\d+:/, with: "Consumer-<n>:") }
    }

    // MARK: 002 "Using Multiprocessing and ProcessPoolExecutor"

    /// The producer and the consumer print concurrently (line order is not determined), and the value is random:
    /// it is normalised, and each run must print the same value on both lines.
    func testChapter5Pipe() throws {
        for run in try check("chapter5-pipe", sorted: true) {
            let values = run.output.split(separator: "\n").compactMap { line in
                line.firstMatch(of: /Value \[(\d+)\]/).map { String($0.1) }
            }
            XCTAssertEqual(values.count, 2, run.output)
            XCTAssertEqual(Set(values).count, 1, "sent and received values differ: \(run.output)")
        }
    }

    // MARK: 003 "Multiprocessing"

    /// The sleeps (15 s, 10 s) are scaled by 0.05 in both languages. The order stays determined: the cube's
    /// process finishes 0.25 s before the square's, and each process's output appears when it exits.
    func testEssentialsCubeSquare() throws { try check("essentials-cube-square", timeScale: 0.05) }

    /// The sleeps (10 s each) are scaled by 0.05; the two workers finish together, so line order is not
    /// determined.
    func testEssentialsPids() throws { try check("essentials-pids", sorted: true, timeScale: 0.05) }

    func testEssentialsQueueWithoutLock() throws { try check("essentials-queue-without-lock") }

    /// The processes run one after another (the consumer starts once the others are joined): order determined.
    /// The Python imports `Connection`, not the Windows-only `PipeConnection` (see SeedExamples/README.md).
    func testEssentialsKeyComponents() throws { try check("essentials-key-components") }

    /// Each scraper sleeps a random 1–10 s (scaled by 0.05) and reports that number: scrapers finish in any
    /// order (line order is not determined) and the numbers are normalised. Each run must still be coherent:
    /// every scraper's `Scraping` and `Scraped` lines together, before the aggregate, and the four sites with the same number
    /// through the Queue and through the Pipe.
    func testEssentialsScraper() throws {
        let runs = try check("essentials-scraper", sorted: true, timeScale: 0.05) {
            $0.replacing(/in \d+ seconds/, with: "in <n> seconds")
        }
        let websites = ["facebook.com", "github.com", "google.com", "x.com"]
        for run in runs {
            let lines = run.output.split(separator: "\n").map(String.init)
            guard lines.count == 18 else { XCTFail("expected 18 lines:\n\(run.output)"); continue }
            // Each scraper's output appears whole when it exits: `Scraping` then `Scraped`, for each site once.
            let pairs = stride(from: 0, to: 8, by: 2).map { (lines[$0], lines[$0 + 1]) }
            let sites = pairs.compactMap { pair in
                pair.0.wholeMatch(of: /Scraping (.+)/).flatMap { pair.1 == "Scraped \($0.1)" ? String($0.1) : nil }
            }
            XCTAssertEqual(sites.sorted(), websites, run.output)
            XCTAssertEqual(lines[8], "---Aggregated result---", run.output)
            XCTAssertEqual(lines[17], "Done", run.output)
            let scraped = /(.+): Scraped data in (\d+) seconds/
            let fromQueue = lines[9..<13].compactMap { $0.wholeMatch(of: scraped).map { ($0.1, Int($0.2)!) } }
            let fromPipe = lines[13..<17].compactMap {
                $0.wholeMatch(of: /(.+): Scraped data in (\d+) seconds seconds/).map { ($0.1, Int($0.2)!) }
            }
            XCTAssertEqual(fromQueue.map { String($0.0) }.sorted(), websites, run.output)
            XCTAssertEqual(fromPipe.map { String($0.0) }.sorted(), websites, run.output)
            XCTAssertTrue(fromQueue.allSatisfy { (1...10).contains($0.1) }, run.output)
            let queueTimes = Dictionary(fromQueue.map { (String($0.0), $0.1) }, uniquingKeysWith: { a, _ in a })
            let pipeTimes = Dictionary(fromPipe.map { (String($0.0), $0.1) }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(queueTimes, pipeTimes, "the Queue and the Pipe disagree:\n\(run.output)")
        }
    }

    /// Three workers sleep a random 1–3 s (scaled by 0.1) and send a random number: workers finish in any order
    /// (line order is not determined; the aggregator's output may even come before the last worker's, which
    /// prints after its put) and the numbers are normalised. Each run must still be coherent: the aggregator
    /// receives the numbers the workers sent, and its final list is what it received, in order.
    func testEssentialsQueueWithLock() throws {
        let runs = try check("essentials-queue-with-lock", sorted: true, timeScale: 0.1) {
            $0.replacing(/\d+/, with: "<n>")
        }
        for run in runs {
            let lines = run.output.split(separator: "\n").map(String.init)
            let sent = lines.compactMap { $0.wholeMatch(of: /Worker (\d+) sent data to the queue\./).map { Int($0.1)! } }
            let received = lines.compactMap {
                $0.wholeMatch(of: /Aggregator received (\d+) from the queue\./).map { Int($0.1)! }
            }
            XCTAssertEqual(sent.count, 3, run.output)
            XCTAssertEqual(sent.sorted(), received.sorted(), "received is not what was sent:\n\(run.output)")
            XCTAssertTrue(sent.allSatisfy { (1...100).contains($0) }, run.output)
            // The aggregator's output appears whole when it exits, maybe before a worker's: its four lines are
            // together, the final list last.
            if let first = lines.firstIndex(where: { $0.hasPrefix("Aggregator received") }), first + 3 < lines.count {
                XCTAssertTrue(lines[first..<(first + 3)].allSatisfy { $0.hasPrefix("Aggregator received") }, run.output)
                XCTAssertEqual(lines[first + 3], "Final aggregated results from Queue: \(received)", run.output)
            } else {
                XCTFail("the aggregator's lines are missing:\n\(run.output)")
            }
        }
    }

    // MARK: 004 "Parallelisation in Python"

    func testParallelisationHello() throws { try check("parallelisation-hello") }

    /// Five children print concurrently: line order is not determined.
    func testParallelisationWorkers() throws { try check("parallelisation-workers", sorted: true) }

    /// The sleeps (2 s, 3 s) are scaled by 0.2; the two workers finish together: line order is not determined.
    func testParallelisationNaming() throws { try check("parallelisation-naming", sorted: true, timeScale: 0.2) }

    func testParallelisationQueue() throws { try check("parallelisation-queue") }

    /// Ten children print concurrently (the Lock makes each print whole, not ordered): line order is not
    /// determined.
    func testParallelisationLock() throws { try check("parallelisation-lock", sorted: true) }
}

// MARK: - Running and comparing

extension SeedExampleTests {
    /// Runs CPython on SeedExamples/<name>.py and `mp-examples <name>`, and compares their normalised outputs
    /// (sorted first when `sorted`: for programs whose line order is not determined). `timeScale` scales every
    /// sleep of both programs (see SeedExamples/time-scale/sitecustomize.py and `sleep(seconds:)` in
    /// MPExamples). `extra` normalises more, for one example. Returns both runs, as printed, CPython's first.
    @discardableResult
    func check(_ name: String, sorted: Bool = false, timeScale: Double? = nil,
               file: StaticString = #filePath, line: UInt = #line,
               alsoNormalising extra: (String) -> String = { $0 }) throws -> [ChildRun] {
        let python = try runPython(name, timeScale: timeScale)
        let swift = try runExample(name, timeScale: timeScale)
        XCTAssertEqual(python.status, 0, "python3 \(name).py failed:\n\(python.error)", file: file, line: line)
        XCTAssertEqual(python.error, "", "python3 \(name).py wrote to standard error", file: file, line: line)
        XCTAssertEqual(swift.status, 0, "mp-examples \(name) failed:\n\(swift.error)", file: file, line: line)
        XCTAssertEqual(swift.error, "", "mp-examples \(name) wrote to standard error", file: file, line: line)
        XCTAssertFalse(python.output.isEmpty, "CPython printed nothing for \(name)", file: file, line: line)

        let expected = normalise(extra(python.output), sorted: sorted)
        let actual = normalise(extra(swift.output), sorted: sorted)
        XCTAssertEqual(actual, expected, """
            mp-examples \(name) differs from CPython\(sorted ? " (lines sorted)" : "").
            --- CPython:
            \(python.output)--- Swift:
            \(swift.output)
            """, file: file, line: line)
        return [python, swift]
    }

    /// The pipes-vs-queues exercise: three lines, one per count, each with any time.
    func checkBenchmark(_ name: String, channel: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let swift = try runExample(name)
        XCTAssertEqual(swift.status, 0, "mp-examples \(name) failed:\n\(swift.error)", file: file, line: line)
        XCTAssertEqual(swift.error, "", file: file, line: line)
        let pattern = [10_000, 100_000, 1_000_000].map { "Sending \($0) numbers to \(channel) took <time> seconds\n" }
        XCTAssertEqual(normalise(swift.output, sorted: false), pattern.joined(), swift.output, file: file, line: line)
    }

    /// Pids and timings replaced by placeholders; lines sorted when the order is not determined.
    func normalise(_ output: String, sorted: Bool) -> String {
        var lines = normalisePids(output).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            // "took 0.0758 seconds", "took 5e-05 seconds"
            line.replacing(/took [0-9.e+-]+ seconds/, with: "took <time> seconds")
        }
        if lines.last == "" { lines.removeLast() }
        if sorted { lines.sort() }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Every pid the examples print (reprs' `pid=` and `parent=`, `os.getpid()` and `os.getppid()` lines) and
    /// the random value of chapter5-pipe replaced by placeholders.
    func normalisePids(_ output: String) -> String {
        output
            .replacing(/(pid=|parent=|parent process: |process id: |PID \[|ID of main process: |ID of process p\d: |worker0\d\. )\d+/) {
                $0.1 + "<pid>"
            }
            .replacing(/Value \[\d+\]/, with: "Value [<value>]")
    }

    func runPython(_ name: String, timeScale: Double?) throws -> ChildRun {
        let script = seedExamplesDirectory + "/" + name + ".py"
        // Python's output must be buffered as it is by default (each process's output then appears as a whole
        // when it flushes at exit, as the Swift program's does): the machine may set PYTHONUNBUFFERED.
        var environment = currentEnvironment().filter {
            !$0.hasPrefix("PYTHONUNBUFFERED=") && !$0.hasPrefix("PYTHONPATH=") && !$0.hasPrefix(timeScaleVariable + "=")
        }
        if let timeScale {
            environment += ["PYTHONPATH=" + seedExamplesDirectory + "/time-scale", "\(timeScaleVariable)=\(timeScale)"]
        }
        return try spawnProgram(["python3", script], environment: environment)
    }

    func runExample(_ name: String, timeScale: Double? = nil) throws -> ChildRun {
        let binary = try examplesBinary()
        var environment = currentEnvironment().filter { !$0.hasPrefix(timeScaleVariable + "=") }
        if let timeScale { environment.append("\(timeScaleVariable)=\(timeScale)") }
        return try spawnProgram([binary, name], environment: environment)
    }
}

private let timeScaleVariable = "MP_EXAMPLES_TIME_SCALE"
