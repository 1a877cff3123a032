import Multiprocessing
import XCTest

#if canImport(Glibc)
import Glibc
#endif

private typealias Process = Multiprocessing.Process

/// `RemoteFunction` and `FunctionRegistry`: how a task names its code across processes (CPython pickles a
/// module-level function by its qualified name; we register it by name).
final class FunctionRegistryTests: ProcessTestCase {
    /// A registered function runs from its encoded argument, here and in a forked child, with the same result.
    func testCallByNameHereAndInAForkedChild() throws {
        let triple = try RemoteFunction("registry-test.triple") { (x: [Int]) in x.map { $0 * 3 } }
        XCTAssertEqual(try triple([1, 2]), [3, 6])
        let bytes = try FunctionRegistry.call(triple.name, argument: triple.encodeArgument([4, 5]))
        XCTAssertEqual(try triple.decodeResult(bytes), [12, 15])

        let results = try RingBuffer(capacity: 4096)
        let child = Process {
            try results.write(FunctionRegistry.call("registry-test.triple", argument: triple.encodeArgument([7])))
        }
        try child.start()
        XCTAssertEqual(try triple.decodeResult(results.read(timeout: .seconds(10))), [21])
        try child.join()
        XCTAssertEqual(child.exitCode, 0)
    }

    /// Each registration bumps the generation: a component that forked at generation G knows exactly the functions
    /// whose generation is ≤ G.
    func testGenerationOrdersRegistrations() throws {
        let before = FunctionRegistry.generation
        let f = try RemoteFunction("registry-test.gen") { (x: Int) in x }
        XCTAssertGreaterThan(f.generation, before)
        XCTAssertEqual(FunctionRegistry.generation(of: f.name), f.generation)
        XCTAssertEqual(FunctionRegistry.generation, f.generation)
    }

    /// A name means one function: registering it twice is an error naming it; an unknown name or an argument of
    /// the wrong type is a clear error, never a crash.
    func testDuplicateUnknownAndBadArgumentAreErrors() throws {
        _ = try RemoteFunction("registry-test.dup") { (x: Int) in x }
        XCTAssertThrowsError(try RemoteFunction("registry-test.dup") { (x: String) in x }) { error in
            XCTAssertEqual(error as? RemoteFunctionError, .duplicateName("registry-test.dup"))
        }
        XCTAssertThrowsError(try FunctionRegistry.call("registry-test.nope", argument: [])) { error in
            XCTAssertEqual(error as? RemoteFunctionError, .unknownFunction("registry-test.nope"))
            XCTAssertTrue("\(error)".contains("'registry-test.nope'"))
        }
        let f = try RemoteFunction("registry-test.int") { (x: Int) in x + 1 }
        XCTAssertThrowsError(try FunctionRegistry.call(f.name, argument: BinaryEncoder().encode("text"))) { error in
            guard case .badArgument(let name, _)? = error as? RemoteFunctionError else {
                return XCTFail("expected badArgument, got \(error)")
            }
            XCTAssertEqual(name, "registry-test.int")
        }
    }
}
