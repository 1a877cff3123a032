// How a task names its code across processes.
//
// A closure cannot travel between processes: its code pointer is only meaningful inside one address space image,
// and its captures are arbitrary Swift objects. CPython solves this by pickling functions by qualified name and
// re-importing the module on the other side. We do the same thing explicitly: a `RemoteFunction` is a name plus a
// body, registered in this process's `FunctionRegistry` when the value is created. Another process can run it if
// it holds the same registration:
//
//   - fork: a child forked after the registration inherits it;
//   - forkserver: the server inherits every registration made before it started;
//   - spawn: the re-executed binary makes the same registrations before it serves (see `StartMethod`).
//
// A name that the other side does not know is reported at submit time by whoever sends it (it can compare the
// registry's generation at fork time with the function's), never as a hang or a crash in the worker.

import Synchronization

/// A failure to run a function by name.
public enum RemoteFunctionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No function of this name is registered in the process asked to run it.
    case unknownFunction(String)
    /// Two different functions were registered under one name.
    case duplicateName(String)
    /// The argument bytes did not decode as the function's argument type.
    case badArgument(function: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFunction(let name):
            return "no function named '\(name)' is registered in this process; create its RemoteFunction " +
                "before starting the processes that must run it"
        case .duplicateName(let name):
            return "a different function is already registered as '\(name)'; give each RemoteFunction its own name"
        case .badArgument(let function, let reason):
            return "the argument sent to '\(function)' could not be decoded: \(reason)"
        }
    }
}

/// The functions this process can run on behalf of others, by name.
///
/// Registration happens when a `RemoteFunction` is created. Each registration bumps `generation`, so a component
/// that forked workers at generation G can tell, at submit time, whether a function (registered at generation
/// `RemoteFunction.generation`) is known to them: it is if its generation is ≤ G.
public enum FunctionRegistry {
    /// A registered body: argument bytes in, result bytes out.
    public typealias Body = @Sendable ([UInt8]) throws -> [UInt8]

    /// A registration. `@unchecked Sendable`: bodies registered through the public `register` are `@Sendable`;
    /// the ones `RemoteFunction` registers capture a `@Sendable` body plus the metatypes of its `Codable`
    /// argument and result, which are immutable (the compiler cannot prove that for a generic metatype that is
    /// not `SendableMetatype`, and requiring it would burden every generic caller of `RemoteFunction`).
    struct Entry: @unchecked Sendable {
        let body: ([UInt8]) throws -> [UInt8]
        let generation: Int
        /// What makes a registration "the same function" again (see `RemoteFunction.init`): the source location
        /// of the code that created it and its argument and result types; nil for `register`.
        let identity: String?
        /// The typed body `RemoteFunction` registered (its `body`), handed to a later creation of the same function.
        let typed: Any?
    }

    private static let table = ProcessLocalLock<(entries: [String: Entry], generation: Int)>(([:], 0))

    /// The number of registrations made so far in this process (inherited across fork).
    public static var generation: Int { table.withLock { $0.generation } }

    /// Registers `body` under `name` and returns the registration's generation. Registering the same name again
    /// is an error: a name must mean one function in every process.
    @discardableResult
    public static func register(_ name: String, body: @escaping Body) throws(RemoteFunctionError) -> Int {
        try registerEntry(name, body: body).generation
    }

    /// Registers `body` as `name`, or, when `identity` is given and `name` is registered with the same identity
    /// (the same code creating it again), returns that registration's generation and keeps it: registration is
    /// idempotent for the same function.
    static func registerEntry(_ name: String, identity: String? = nil, typed: Any? = nil,
                              body: @escaping ([UInt8]) throws -> [UInt8])
        throws(RemoteFunctionError) -> (generation: Int, existing: Any?) {
        let result: Result<(Int, Any?), RemoteFunctionError> = table.withLock { table in
            if let existing = table.entries[name] {
                if let identity, existing.identity == identity { return .success((existing.generation, existing.typed)) }
                return .failure(.duplicateName(name))
            }
            table.generation += 1
            table.entries[name] = Entry(body: body, generation: table.generation, identity: identity, typed: typed)
            return .success((table.generation, nil))
        }
        return try result.get()
    }

    /// The typed body a `RemoteFunction` registered as `name` (a `RemoteFunctionBody`), or nil: the layers
    /// above (a pool worker's chunk runner) cast it to what they run.
    package static func typedBody(of name: String) -> Any? { table.withLock { $0.entries[name]?.typed } }

    /// Whether `name` is registered here.
    public static func contains(_ name: String) -> Bool { table.withLock { $0.entries[name] != nil } }

    /// The generation at which `name` was registered, or nil.
    public static func generation(of name: String) -> Int? { table.withLock { $0.entries[name]?.generation } }

    /// Runs the function registered as `name` on encoded argument bytes and returns the encoded result.
    public static func call(_ name: String, argument: [UInt8]) throws -> [UInt8] {
        guard let entry = table.withLock({ $0.entries[name] }) else {
            throw RemoteFunctionError.unknownFunction(name)
        }
        return try entry.body(argument)
    }
}

/// A function that other processes can run: a name and a body with `Codable` argument and result.
///
/// ```swift
/// let square = try RemoteFunction("square") { (x: Int) in x * x }
/// let results = try pool.map(square, Array(0..<10))
/// ```
///
/// Create remote functions before starting the processes that must run them (a forked child, a pool's workers or
/// the fork server inherit the registrations made before they started). Arguments and results travel in the
/// `BinaryEncoder` format.
///
/// The counterpart in CPython is a module-level function, which `pickle` sends by its qualified name.
public struct RemoteFunction<Argument: Codable, Result: Codable>: Sendable {
    /// The registered name.
    public let name: String
    /// The registry generation of this registration (see `FunctionRegistry`).
    public let generation: Int
    private let body: @Sendable (Argument) throws -> Result

    /// Registers `body` as `name` in this process.
    ///
    /// Creating the same function again (the same code, at the same place in the source, with the same argument
    /// and result types: a loop, a function called twice) returns the first registration, body included: the
    /// name means one body in every process, so a closure that captured other values the second time still runs
    /// the first one's, here as in other processes. `fileID`, `line` and `column` identify that place; leave
    /// them to their defaults.
    /// - Throws: `RemoteFunctionError.duplicateName` if the name is taken by a different function.
    public init(_ name: String, fileID: StaticString = #fileID, line: UInt = #line, column: UInt = #column,
                _ body: @escaping @Sendable (Argument) throws -> Result) throws(RemoteFunctionError) {
        self.name = name
        let identity = "\(fileID):\(line):\(column) (\(Argument.self)) -> \(Result.self)"
        let typed = RemoteFunctionBody(name: name, body: body)
        let registration = try FunctionRegistry.registerEntry(name, identity: identity, typed: typed) { bytes in
            let argument: Argument
            do {
                argument = try BinaryDecoder().decode(Argument.self, from: bytes)
            } catch {
                throw RemoteFunctionError.badArgument(function: name, reason: "\(error)")
            }
            return try BinaryEncoder().encode(try body(argument))
        }
        self.generation = registration.generation
        // created again: the first registration stands (same code, same types)
        self.body = (registration.existing as? RemoteFunctionBody<Argument, Result>)?.body ?? body
    }

    /// Runs the function here, in this process.
    public func callAsFunction(_ argument: Argument) throws -> Result { try body(argument) }

    /// Encodes `sample` and decodes it back through the same generic code a child runs on its argument, so that
    /// the decoder's first-use work for `Argument` (type metadata and conformance look-ups, the demangling behind
    /// a synthesized `Codable` enum's keys) is done once in this process rather than in each process forked
    /// from it, where every page that work writes is a copy-on-write fault. For a fork server (see
    /// `ForkServer.setPreparation`): give a sample of each shape the children will decode, holding no shared
    /// objects (decoding one attaches it). Mirrors nothing in CPython.
    public func warmArgumentDecoding(_ sample: Argument) {
        guard let bytes = try? BinaryEncoder().encode(sample) else { return }
        _ = try? BinaryDecoder().decode(Argument.self, from: bytes)
    }

    /// Encodes an argument for a call in another process.
    public func encodeArgument(_ argument: Argument) throws -> [UInt8] { try BinaryEncoder().encode(argument) }

    /// Decodes a result produced by a call in another process.
    public func decodeResult(_ bytes: [UInt8]) throws -> Result { try BinaryDecoder().decode(Result.self, from: bytes) }
}

/// A `RemoteFunction`'s typed body, kept with its registration: a later creation of the same function gets it
/// back, and the layers above specialise on its types without this one knowing them (a pool worker runs a chunk
/// of items through it: `PoolBatchRunner`, in Pool/PoolBatch.swift). `@unchecked Sendable` for the reason
/// `FunctionRegistry.Entry` gives: immutable, a `@Sendable` body and two metatypes.
package final class RemoteFunctionBody<Argument: Codable, Result: Codable>: @unchecked Sendable {
    package let name: String
    package let body: @Sendable (Argument) throws -> Result

    init(name: String, body: @escaping @Sendable (Argument) throws -> Result) {
        self.name = name
        self.body = body
    }
}
