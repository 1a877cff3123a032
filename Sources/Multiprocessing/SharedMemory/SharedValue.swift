import CShim

import Glibc

/// A value of plain data in shared memory, with a lock: every process that inherits it sees the same value.
///
/// ```swift
/// let counter = try SharedValue(0)
/// let workers = (0..<4).map { _ in Process { for _ in 0..<1000 { counter.withLock { $0 += 1 } } } }
/// for w in workers { try w.start() }
/// for w in workers { try w.join() }
/// print(counter.value)   // 4000
/// ```
///
/// As in CPython, reading or setting `value` takes the lock for that one access, so `v.value += 1` is two
/// separate accesses and can lose updates between processes; use `withLock` for a read-modify-write. The lock
/// is a robust mutex: if a process dies holding it, the next one gets it (and may find a half-done update).
///
/// Mirrors `multiprocessing.Value(typecode, value, lock=True)`.
public final class SharedValue<T: BitwiseCopyable> {
    private let memory: SharedMemory
    /// The lock that guards the value. Mirrors `Value.get_lock()`.
    public let lock: RobustMutex
    private let slot: UnsafeMutablePointer<T>

    public init(_ initial: T) throws(SystemError) {
        let offset = SharedLayout.dataOffset(for: T.self)
        memory = try SharedMemory(anonymousSize: offset + MemoryLayout<T>.stride, debugName: "mpsh-value")
        lock = try RobustMutex(placedIn: memory, offset: 0, initialize: true)
        slot = (memory.buffer.baseAddress! + offset).bindMemory(to: T.self, capacity: 1)
        slot.initialize(to: initial)
    }

    /// A value rebuilt in another process over the same memory (see Reduction.swift).
    init(sharing memory: SharedMemory) throws(SystemError) {
        let offset = SharedLayout.dataOffset(for: T.self)
        guard memory.size >= offset + MemoryLayout<T>.stride else {
            throw SystemError(operation: "SharedValue<\(T.self)>(received)", errno: EINVAL,
                              hint: "the received memory is too small for a \(T.self): was it sent as another type?")
        }
        self.memory = memory
        lock = try RobustMutex(placedIn: memory, offset: 0, initialize: false)
        slot = (memory.buffer.baseAddress! + offset).bindMemory(to: T.self, capacity: 1)
    }

    var sharedMemory: SharedMemory { memory }

    /// The value, read or written under the lock. Mirrors `Value.value`.
    public var value: T {
        get { withLock { $0 } }
        set { withLock { $0 = newValue } }
    }

    /// Runs `body` on the value with the lock held: the way to read-modify-write.
    public func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
        _ = try? lock.lock()
        defer { try? lock.unlock() }
        return try body(&slot.pointee)
    }
}

/// A fixed-size array of plain data in shared memory, with a lock.
///
/// Indexing reads or writes one element under the lock (as CPython's synchronized array); `withLock` gives
/// the whole buffer for several operations at once.
///
/// Mirrors `multiprocessing.Array(typecode, size_or_initializer, lock=True)`.
public final class SharedArray<Element: BitwiseCopyable> {
    private let memory: SharedMemory
    /// The lock that guards the elements. Mirrors `Array.get_lock()`.
    public let lock: RobustMutex
    private let elements: UnsafeMutableBufferPointer<Element>

    /// An array of `count` copies of `repeating`.
    public convenience init(repeating value: Element, count: Int) throws(SystemError) {
        try self.init(count: count) { $0.initialize(repeating: value) }
    }

    /// An array holding `initializer`'s elements.
    public convenience init(_ initializer: [Element]) throws(SystemError) {
        try self.init(count: initializer.count) { buffer in _ = buffer.initialize(from: initializer) }
    }

    private init(count: Int, fill: (UnsafeMutableBufferPointer<Element>) -> Void) throws(SystemError) {
        precondition(count >= 0, "a SharedArray needs a count of zero or more")
        let offset = SharedLayout.dataOffset(for: Element.self)
        memory = try SharedMemory(anonymousSize: offset + max(1, count) * MemoryLayout<Element>.stride, debugName: "mpsh-array")
        lock = try RobustMutex(placedIn: memory, offset: 0, initialize: true)
        let base = (memory.buffer.baseAddress! + offset).bindMemory(to: Element.self, capacity: count)
        elements = UnsafeMutableBufferPointer(start: base, count: count)
        fill(elements)
    }

    /// An array rebuilt in another process over the same memory (see Reduction.swift).
    init(sharing memory: SharedMemory, count: Int) throws(SystemError) {
        let offset = SharedLayout.dataOffset(for: Element.self)
        guard count >= 0, memory.size >= offset + max(1, count) * MemoryLayout<Element>.stride else {
            throw SystemError(operation: "SharedArray<\(Element.self)>(received, count: \(count))", errno: EINVAL,
                              hint: "the received memory is too small: was it sent as another type?")
        }
        self.memory = memory
        lock = try RobustMutex(placedIn: memory, offset: 0, initialize: false)
        let base = (memory.buffer.baseAddress! + offset).bindMemory(to: Element.self, capacity: count)
        elements = UnsafeMutableBufferPointer(start: base, count: count)
    }

    var sharedMemory: SharedMemory { memory }

    /// Mirrors `len(array)`.
    public var count: Int { elements.count }

    /// One element, read or written under the lock. Out-of-range indices stop the program, as Swift arrays do
    /// (CPython raises IndexError).
    public subscript(index: Int) -> Element {
        get {
            precondition(elements.indices.contains(index), "SharedArray index \(index) out of range 0..<\(count)")
            return withLock { $0[index] }
        }
        set {
            precondition(elements.indices.contains(index), "SharedArray index \(index) out of range 0..<\(count)")
            withLock { $0[index] = newValue }
        }
    }

    /// A copy of the elements, taken under the lock. Mirrors `array[:]`.
    public var values: [Element] { withLock { Array($0) } }

    /// Runs `body` on the elements with the lock held.
    public func withLock<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        _ = try? lock.lock()
        defer { try? lock.unlock() }
        return try body(elements)
    }
}

enum SharedLayout {
    /// Where data goes after the lock: past the mutex, aligned for the element and to a cache line.
    static func dataOffset<T>(for _: T.Type) -> Int {
        let alignment = max(64, MemoryLayout<T>.alignment)
        return (RobustMutex.size + alignment - 1) / alignment * alignment
    }
}
