import CShim

import Glibc

/// A list that every process sharing its `Manager` reads and writes: made by `manager.list()` before the workers
/// are forked.
///
/// ```swift
/// let manager = try Manager()
/// let results: SharedList<Int> = try manager.list()
/// let workers = (1...3).map { n in Process { try results.append(n * 10) } }
/// for w in workers { try w.start() }
/// for w in workers { try w.join() }
/// print(try results.copy().sorted())     // [10, 20, 30]
/// ```
///
/// Indices follow Python: negative ones count from the end (`-1` is the last element); an index out of range
/// throws `ManagerError.indexOutOfRange` with CPython's message. Each operation is atomic; a sequence of them
/// needs `manager.lock()`.
///
/// **What is copied**: reading an element gives a copy; mutating it does not write back (CPython:
/// `l[0].append(1)` changes a temporary copy). Store it again with `setElement(_:at:)`.
///
/// Appending and popping the last element cost O(1); inserting or removing elsewhere copies the list of
/// element offsets (not the elements), O(n) as in CPython.
///
/// Mirrors `multiprocessing.Manager().list()` (a `ListProxy`).
public final class SharedList<Element: Codable>: @unchecked Sendable {
    @usableFromInline let heap: SharedHeap
    @usableFromInline let object: UInt64

    init(heap: SharedHeap, object: UInt64) {
        self.heap = heap
        self.object = object
    }

    /// The number of elements. Mirrors `len(l)`.
    public var count: Int {
        get throws(ManagerError) { try heap.locked { h throws(ManagerError) in cshim_shmheap_list_count(h, object) } }
    }

    /// Whether it has no elements.
    public var isEmpty: Bool { get throws(ManagerError) { try count == 0 } }

    /// `index` (Python's: negative from the end) as a position in `0..<count`, or `.indexOutOfRange`.
    private func position(_ index: Int, count: Int, _ what: String) throws(ManagerError) -> Int {
        let i = index < 0 ? index + count : index
        guard i >= 0 && i < count else { throw .indexOutOfRange(what) }
        return i
    }

    /// The element at `index`. Mirrors `l[index]`.
    @inlinable
    public func element(at index: Int) throws(ManagerError) -> Element {
        try heap.locked { (h) throws(ManagerError) -> Element in
            let count = cshim_shmheap_list_count(h, object)
            let i = index < 0 ? index + count : index
            guard i >= 0 && i < count else { throw .indexOutOfRange("list index out of range") }
            var vp: UnsafeRawPointer?
            var vn = 0
            _ = cshim_shmheap_list_get(h, object, i, &vp, &vn)
            return try ManagedCodec.decode(Element.self, from: UnsafeRawBufferPointer(start: vp, count: vn))
        }
    }

    /// Replaces the element at `index`. Mirrors `l[index] = value`.
    public func setElement(_ value: Element, at index: Int) throws(ManagerError) {
        let v = try ManagedCodec.encode(value)
        try heap.locked { (h) throws(ManagerError) in
            let i = try position(index, count: cshim_shmheap_list_count(h, object), "list assignment index out of range")
            let code = v.withUnsafeBytes { cshim_shmheap_list_set(h, object, i, $0.baseAddress, $0.count) }
            if code != 0 { throw heap.full(needing: v.count + 32) }
        }
    }

    /// Appends `value`. Mirrors `l.append(value)`.
    @inlinable
    public func append(_ value: Element) throws(ManagerError) {
        let v = try ManagedCodec.encode(value)
        try v.withBytes { (vb) throws(ManagerError) in
            try heap.locked { (h) throws(ManagerError) in
                let code = cshim_shmheap_list_insert(h, object, cshim_shmheap_list_count(h, object), vb.baseAddress, vb.count)
                if code != 0 { throw heap.full(needing: vb.count + 32) }
            }
        }
    }

    /// Appends every element of `values`, under one lock (if the heap fills part-way, those appended so far
    /// stay and `.full` is thrown). Mirrors `l.extend(values)`.
    public func extend(_ values: some Sequence<Element>) throws(ManagerError) {
        var encoded: [[UInt8]] = []
        for value in values { encoded.append(try ManagedCodec.encode(value)) }
        try heap.locked { (h) throws(ManagerError) in
            for v in encoded {
                let code = v.withUnsafeBytes { cshim_shmheap_list_insert(h, object, cshim_shmheap_list_count(h, object), $0.baseAddress, $0.count) }
                if code != 0 { throw heap.full(needing: v.count + 32) }
            }
        }
    }

    /// Inserts `value` before `index`; as in Python an index past either end inserts at that end.
    /// Mirrors `l.insert(index, value)`.
    public func insert(_ value: Element, at index: Int) throws(ManagerError) {
        let v = try ManagedCodec.encode(value)
        try heap.locked { (h) throws(ManagerError) in
            let count = cshim_shmheap_list_count(h, object)
            let i = min(max(index < 0 ? index + count : index, 0), count)
            let code = v.withUnsafeBytes { cshim_shmheap_list_insert(h, object, i, $0.baseAddress, $0.count) }
            if code != 0 { throw heap.full(needing: v.count + 32) }
        }
    }

    /// Removes and returns the element at `index` (the last by default). Mirrors `l.pop(index=-1)`.
    @discardableResult
    public func pop(_ index: Int = -1) throws(ManagerError) -> Element {
        try heap.locked { (h) throws(ManagerError) -> Element in
            let count = cshim_shmheap_list_count(h, object)
            if count == 0 { throw .indexOutOfRange("pop from empty list") }
            let i = try position(index, count: count, "pop index out of range")
            var vp: UnsafeRawPointer?
            var vn = 0
            _ = cshim_shmheap_list_get(h, object, i, &vp, &vn)
            let value = try ManagedCodec.decode(Element.self, from: UnsafeRawBufferPointer(start: vp, count: vn))
            if cshim_shmheap_list_remove(h, object, i) != 0 { throw heap.full(needing: count * 8 + 32) }
            return value
        }
    }

    /// Removes and returns the element at `index`. (Swift's `remove(at:)`; `pop(index)` in Python.)
    @discardableResult
    public func remove(at index: Int) throws(ManagerError) -> Element { try pop(index) }

    /// Removes every element. Mirrors `l.clear()` (`del l[:]`).
    public func clear() throws(ManagerError) {
        try heap.locked { (h) throws(ManagerError) in _ = cshim_shmheap_list_clear(h, object) }
    }

    /// A copy of the elements, taken under one lock. Mirrors `l[:]` (and `list(l)`).
    public func copy() throws(ManagerError) -> [Element] {
        try heap.locked { (h) throws(ManagerError) -> [Element] in
            let count = cshim_shmheap_list_count(h, object)
            var result: [Element] = []
            result.reserveCapacity(count)
            for i in 0..<count {
                var vp: UnsafeRawPointer?
                var vn = 0
                _ = cshim_shmheap_list_get(h, object, i, &vp, &vn)
                result.append(try ManagedCodec.decode(Element.self, from: UnsafeRawBufferPointer(start: vp, count: vn)))
            }
            return result
        }
    }

    /// The position of the first element equal to `value` (compared by their encoded bytes).
    /// Mirrors `l.index(value)`: a missing value throws `.valueNotFound`.
    public func index(of value: Element) throws(ManagerError) -> Int {
        guard let i = try firstPosition(of: try ManagedCodec.encode(value)) else {
            throw .valueNotFound("\(ManagedCodec.repr(value)) is not in list")
        }
        return i
    }

    /// Whether an element equals `value` (by encoded bytes). Mirrors `value in l`.
    public func contains(_ value: Element) throws(ManagerError) -> Bool {
        try firstPosition(of: try ManagedCodec.encode(value)) != nil
    }

    /// Removes the first element equal to `value`. Mirrors `l.remove(value)` (ValueError when absent).
    public func remove(_ value: Element) throws(ManagerError) {
        let v = try ManagedCodec.encode(value)
        try heap.locked { (h) throws(ManagerError) in
            guard let i = Self.find(v, in: h, object) else {
                throw .valueNotFound("list.remove(x): x not in list")
            }
            if cshim_shmheap_list_remove(h, object, i) != 0 { throw heap.full(needing: 64) }
        }
    }

    private func firstPosition(of v: [UInt8]) throws(ManagerError) -> Int? {
        try heap.locked { (h) throws(ManagerError) -> Int? in Self.find(v, in: h, object) }
    }

    private static func find(_ v: [UInt8], in h: OpaquePointer, _ object: UInt64) -> Int? {
        let count = cshim_shmheap_list_count(h, object)
        for i in 0..<count {
            var vp: UnsafeRawPointer?
            var vn = 0
            _ = cshim_shmheap_list_get(h, object, i, &vp, &vn)
            if vn == v.count && v.withUnsafeBytes({ vn == 0 || memcmp($0.baseAddress!, vp!, vn) == 0 }) { return i }
        }
        return nil
    }

    /// The element at `index` (Python's indices: negative from the end). Mirrors `l[index]` and `l[index] = v`.
    ///
    /// A subscript cannot throw: an index out of range (as with Swift arrays), a manager shut down or a full
    /// heap stops the program with the error's message; `element(at:)` and `setElement(_:at:)` throw instead.
    public subscript(index: Int) -> Element {
        get {
            do { return try element(at: index) } catch { managerTrap(error) }
        }
        set {
            do { try setElement(newValue, at: index) } catch { managerTrap(error) }
        }
    }
}

extension SharedList: CustomStringConvertible {
    /// Like CPython's `<ListProxy object, typeid 'list'>`, with the count.
    public var description: String {
        let count = (try? self.count).map(String.init) ?? "shut down"
        return "<SharedList<\(Element.self)> count=\(count)>"
    }
}
