import CShim
import Foundation
import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Running one test body under every start method, as CPython runs its suite once per method.
///
/// - fork: the child is forked from the test runner (which has threads; see `ProcessTestCase.forkChild`).
/// - forkserver: the server is started by `ProcessTestCase.setUp` once, after `ChildFunctions.registerAll()`,
///   so it knows every child function below.
/// - spawn: the program spawned is this test bundle's own executable, asked to run only
///   `SpawnEntryTests.testSpawnEntry`, which registers the same functions and calls `Multiprocessing.bootstrap()`.
enum StartMethodSupport {
    /// Registers the child functions, points spawn at the test executable and starts the fork server (once).
    static let prepared: Void = {
        ChildFunctions.registerAll()
        pointSpawnAtTestEntry()
        do { try ForkServer.start() } catch { fatalError("the fork server did not start: \(error)") }
    }()

    /// Spawn runs this test executable, asked to run only `SpawnEntryTests.testSpawnEntry` (never the whole
    /// suite, which `/proc/self/exe` alone would do).
    static func pointSpawnAtTestEntry() {
        guard let executable = testExecutable else { return }
        Multiprocessing.setExecutable(executable, arguments: ["MultiprocessingTests.SpawnEntryTests/testSpawnEntry"])
    }

    /// The xctest executable this test runs in (on Linux the bundle is a program).
    static let testExecutable: String? = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return path.hasSuffix(".xctest") ? path : nil
    }()

    /// mp-examples, built beside the test bundle.
    static var examplesExecutable: String? {
        guard let test = testExecutable else { return nil }
        let path = URL(fileURLWithPath: test).deletingLastPathComponent().appendingPathComponent("mp-examples").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}

extension ProcessTestCase {
    /// Runs `body` once per start method; a failure names the method.
    func forEachStartMethod(_ methods: [StartMethod] = StartMethod.allCases,
                            file: StaticString = #filePath, line: UInt = #line,
                            _ body: (StartMethod) throws -> Void) {
        for method in methods {
            do { try body(method) } catch {
                XCTFail("under \(method): \(error)", file: file, line: line)
            }
        }
    }

    /// Starts `function(argument)` as a child with `method`.
    func startChild<Argument: Codable, Result: Codable>(
        _ method: StartMethod, _ function: RemoteFunction<Argument, Result>, _ argument: Argument,
        name: String? = nil, daemon: Bool? = nil
    ) throws -> Multiprocessing.Process {
        let process = Multiprocessing.Process(name: name, daemon: daemon, startMethod: method, function: function,
                                              argument: argument)
        try process.start()
        return process
    }

    /// Starts a child with `method`, joins it (within 60 s) and returns its exit code.
    @discardableResult
    func runChild<Argument: Codable, Result: Codable>(
        _ method: StartMethod, _ function: RemoteFunction<Argument, Result>, _ argument: Argument,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int32? {
        let process = try startChild(method, function, argument)
        let finished = try process.join(timeout: .seconds(60))
        if !finished {
            try? process.kill()
            try process.join()
            XCTFail("under \(method): the child did not finish within 60 s", file: file, line: line)
        }
        return process.exitCode
    }
}

/// The entry point of a spawned test child: XCTest runs this one test in the spawned executable, and
/// `bootstrap()` serves the request and exits. Run normally (no request), it does nothing.
final class SpawnEntryTests: XCTestCase {
    func testSpawnEntry() {
        ChildFunctions.registerAll()
        StartMethodSupport.pointSpawnAtTestEntry()  // for the spawned child's own spawned children
        Multiprocessing.bootstrap()
    }
}
