// How a pool task carries many items: one payload per chunk, and a typed runner in the worker.
//
// A chunk's arguments travel as one payload and its results as few: for plain numeric types (Int, Double, ...)
// the payload is the array's memory itself (workers are forks of one binary, so the layout is the same on both
// sides); for `[UInt8]` (the shell's `mpsh.call` bytes) each item is one length-prefixed copy; anything else is
// encoded item by item with `BinaryEncoder`. In the worker, the `RemoteFunction`'s typed body runs on the decoded
// array, so a map over a million Ints costs a few copies, not a million encoder round trips.

import Synchronization

import Glibc

/// Encodes and decodes the items of a chunk.
package enum BatchCodec {
    /// Plain numeric types whose array memory is the wire format.
    package static func isRaw<T>(_ type: T.Type) -> Bool {
        type == Int.self || type == Double.self || type == Bool.self || type == Int64.self || type == Int32.self
            || type == Int16.self || type == Int8.self || type == UInt.self || type == UInt64.self
            || type == UInt32.self || type == UInt16.self || type == UInt8.self || type == Float.self
    }

    /// An item that could not be encoded: its index in the collection, and why.
    package struct ItemError: Error {
        package let index: Int
        package let reason: String
    }

    // Specialised for the shell's bytes (every `apply_async` round trip encodes one argument and one result, and
    // decodes them): unspecialised, the type checks, `as!` casts and the generic iteration cost about a
    // microsecond a round trip, a tenth of it. The generic entry point dispatches to these by type.
    @_specialize(where C == ArraySlice<[UInt8]>)
    @_specialize(where C == UnsafeBufferPointer<[UInt8]>)
    package static func encode<C: Collection>(_ values: C) throws(ItemError) -> [UInt8] where C.Element: Encodable {
        typealias T = C.Element
        if isRaw(T.self) {
            if let bytes = values.withContiguousStorageIfAvailable({ Array(UnsafeRawBufferPointer($0)) }) {
                return bytes
            }
            return Array(values).withUnsafeBytes { Array($0) }
        }
        var writer = WireWriter(reserving: values.count * 16)
        if T.self == [UInt8].self {
            for value in values { writer.blob(value as! [UInt8]) }
            return writer.bytes
        }
        for (index, value) in values.enumerated() {
            do {
                writer.blob(try BinaryEncoder().encode(value))
            } catch {
                throw ItemError(index: index, reason: "\(error)")
            }
        }
        return writer.bytes
    }

    @_specialize(where T == [UInt8])
    package static func decode<T: Decodable>(_ type: T.Type, _ bytes: ArraySlice<UInt8>, count: Int) throws -> [T] {
        if isRaw(T.self) {
            guard bytes.count == count * MemoryLayout<T>.stride else {
                throw MessageDecodingError("expected \(count) values of \(T.self) (\(count * MemoryLayout<T>.stride) bytes), got \(bytes.count) bytes")
            }
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { source in
                    if let base = buffer.baseAddress, let from = source.baseAddress {
                        UnsafeMutableRawPointer(base).copyMemory(from: from, byteCount: source.count)
                    }
                }
                initialized = count
            }
        }
        return try bytes.withUnsafeBytes { raw in
            var reader = WireReader(raw)
            var values: [T] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                guard let blob = reader.blob() else {
                    throw MessageDecodingError("item \(index) of \(count) is missing from the chunk")
                }
                if T.self == [UInt8].self {
                    values.append(blob as! T)
                } else {
                    values.append(try BinaryDecoder().decode(T.self, from: blob))
                }
            }
            return values
        }
    }
}

/// A piece of a chunk's results, as a worker sends it.
package enum PoolSegment {
    /// `count` consecutive results, encoded by `BatchCodec`.
    case values([UInt8], count: Int)
    /// `count` consecutive results written in place, in the chunk's result area of the pool's arena.
    case inPlace(count: Int)
    /// One item failed: the error's type name and description.
    case failure(typeName: String, message: String)
}

/// Runs a chunk of items through a typed function body (in a worker).
package protocol PoolBatchRunner: Sendable {
    func run(_ payload: ArraySlice<UInt8>, count: Int, beforeItem: (Int) -> Void) -> [PoolSegment]
    /// Runs a chunk whose arguments are in shared memory, writing result `i` at `results + i * stride` (plain
    /// numeric types only).
    func runShared(_ arguments: UnsafeRawBufferPointer, count: Int, results: UnsafeMutableRawPointer, stride: Int,
                   progress: UnsafeMutableRawPointer) -> [PoolSegment]
    /// Runs items `first ..< first + count` of a map over a range of Ints (the argument is the value itself),
    /// writing results as `runShared` does.
    func runRange(first: Int, count: Int, results: UnsafeMutableRawPointer, stride: Int,
                  progress: UnsafeMutableRawPointer) -> [PoolSegment]
}

/// A registered `RemoteFunction` body is a chunk runner: the pool sees the typed body the Process layer keeps.
extension RemoteFunctionBody: PoolBatchRunner {
    @_specialize(where Argument == [UInt8], Result == [UInt8])
    package func run(_ payload: ArraySlice<UInt8>, count: Int, beforeItem: (Int) -> Void) -> [PoolSegment] {
        let arguments: [Argument]
        do {
            arguments = try BatchCodec.decode(Argument.self, payload, count: count)
        } catch {
            let failure = PoolSegment.failure(typeName: "RemoteFunctionError",
                                              message: RemoteFunctionError.badArgument(function: name,
                                                                                       reason: "\(error)").description)
            return Array(repeating: failure, count: count)
        }
        // Results go straight into raw storage (generic code here is not specialised: Array appends would look
        // metadata up for every item), and out in runs between failures.
        var segments: [PoolSegment] = []
        let results = UnsafeMutablePointer<Result>.allocate(capacity: Swift.max(count, 1))
        var flushed = 0, produced = 0
        func flush() {
            guard produced > flushed else { return }
            let run = UnsafeBufferPointer(start: results + flushed, count: produced - flushed)
            do {
                segments.append(.values(try BatchCodec.encode(run), count: run.count))
            } catch {
                for _ in run {
                    segments.append(.failure(typeName: "EncodingError",
                                             message: "a result of '\(name)' cannot be encoded: \(error.reason)"))
                }
            }
            flushed = produced
        }
        arguments.withUnsafeBufferPointer { arguments in
            for index in 0..<count {
                beforeItem(index)
                do {
                    (results + produced).initialize(to: try body(arguments[index]))
                    produced += 1
                } catch {
                    flush()
                    segments.append(.failure(typeName: String(describing: type(of: error)), message: "\(error)"))
                }
            }
        }
        flush()
        results.deinitialize(count: produced)
        results.deallocate()
        return segments
    }

    /// `progress` receives the index of the item about to run (a plain store: the parent reads it when the
    /// worker died). Specialised for the common types: unspecialised, the generic copies cost more than the call.
    @_specialize(where Argument == Int, Result == Int)
    @_specialize(where Argument == Double, Result == Double)
    @_specialize(where Argument == Int, Result == Double)
    @_specialize(where Argument == Double, Result == Int)
    @_specialize(where Argument == Int, Result == Bool)
    package func runShared(_ arguments: UnsafeRawBufferPointer, count: Int, results: UnsafeMutableRawPointer, stride: Int,
                   progress: UnsafeMutableRawPointer) -> [PoolSegment] {
        guard BatchCodec.isRaw(Argument.self), BatchCodec.isRaw(Result.self), stride == MemoryLayout<Result>.stride,
              arguments.count == count * MemoryLayout<Argument>.stride, let base = arguments.baseAddress else {
            let failure = PoolSegment.failure(typeName: "RemoteFunctionError",
                                              message: RemoteFunctionError.badArgument(
                                                function: name, reason: "the chunk's shared memory does not match \(Argument.self) -> \(Result.self)").description)
            return Array(repeating: failure, count: count)
        }
        // Plain numeric types: the arena's bytes are the values (64-byte aligned). Raw loads and stores: the
        // results may overwrite the arguments (PoolRawLayout.inPlace), each after its own argument was read.
        let argumentStride = MemoryLayout<Argument>.stride
        return runEach(count: count, results: results, stride: stride, progress: progress) {
            base.load(fromByteOffset: $0 &* argumentStride, as: Argument.self)
        }
    }

    @_specialize(where Argument == Int, Result == Int)
    @_specialize(where Argument == Int, Result == Double)
    @_specialize(where Argument == Int, Result == Bool)
    package func runRange(first: Int, count: Int, results: UnsafeMutableRawPointer, stride: Int,
                  progress: UnsafeMutableRawPointer) -> [PoolSegment] {
        guard Argument.self == Int.self, BatchCodec.isRaw(Result.self), stride == MemoryLayout<Result>.stride else {
            let failure = PoolSegment.failure(typeName: "RemoteFunctionError",
                                              message: RemoteFunctionError.badArgument(
                                                function: name, reason: "a range of Ints was sent to a function of \(Argument.self) -> \(Result.self)").description)
            return Array(repeating: failure, count: count)
        }
        return runEach(count: count, results: results, stride: stride, progress: progress) {
            unsafeBitCast(first &+ $0, to: Argument.self)
        }
    }

    /// Runs the body on item 0..<count's argument, storing each result at its index (`stride` is the result's):
    /// runs of successes become `.inPlace` segments, each error a `.failure`. Inlined into its specialised
    /// callers, closure and all. The loop is the whole cost of a map of cheap functions: a pointer that moves
    /// and unchecked arithmetic (the indices are within a chunk the parent checked) save a third of its
    /// instructions per item over indexed stores with overflow checks.
    @inline(__always)
    private func runEach(count: Int, results: UnsafeMutableRawPointer, stride: Int,
                         progress: UnsafeMutableRawPointer, argument: (Int) -> Argument) -> [PoolSegment] {
        var segments: [PoolSegment] = []
        var run = 0
        var slot = results
        for index in 0..<count {
            progress.storeBytes(of: UInt64(truncatingIfNeeded: index), as: UInt64.self)
            do {
                slot.storeBytes(of: try body(argument(index)), as: Result.self)
                run &+= 1
            } catch {
                if run > 0 { segments.append(.inPlace(count: run)) }
                run = 0
                segments.append(.failure(typeName: String(describing: type(of: error)), message: "\(error)"))
            }
            slot += MemoryLayout<Result>.stride
        }
        if run > 0 { segments.append(.inPlace(count: run)) }
        return segments
    }
}

/// The chunk runners of this process's `RemoteFunction`s, by name: the typed bodies `FunctionRegistry` keeps,
/// looked up once each (registrations are inherited across fork, and so is this cache).
package enum PoolBatchRegistry {
    private static let cache = Mutex<[String: any PoolBatchRunner]>([:])

    package static func runner(_ name: String) -> (any PoolBatchRunner)? {
        if let runner = cache.withLock({ $0[name] }) { return runner }
        guard let runner = FunctionRegistry.typedBody(of: name) as? any PoolBatchRunner else { return nil }
        cache.withLock { $0[name] = runner }
        return runner
    }
}
