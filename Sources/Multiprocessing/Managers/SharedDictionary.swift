import CShim

/// A dictionary that every process sharing its `Manager` reads and writes: made by `manager.dict()` before the
/// workers are forked, then used from any of them.
///
/// ```swift
/// let manager = try Manager()
/// let scores: SharedDictionary<String, Int> = try manager.dict()
/// let workers = (0..<4).map { n in Process { try scores.setValue(n * n, forKey: "worker-\(n)") } }
/// for w in workers { try w.start() }
/// for w in workers { try w.join() }
/// print(try scores.copy())        // ["worker-0": 0, "worker-1": 1, "worker-2": 4, "worker-3": 9]
/// ```
///
/// Each operation is atomic (one lock, held for a copy of bytes): a sequence of them is not, so a
/// read-modify-write needs `manager.lock()` around it, as in CPython (`d[k] += 1` on a proxy is two round trips).
///
/// **What is copied.** Values are stored encoded: reading one gives a copy, and mutating that copy does not
/// write back — `d["list"]!.append(1)` changes nothing shared, as with CPython's proxies
/// (`d['list'].append(1)` appends to a temporary copy). Read, change, and store the value again.
///
/// **Order**: `keys()`, `values()` and `items()` list the entries in insertion order, as Python's dict does.
///
/// **Keys** are compared by their encoded bytes (for `String`, `Int` and `[UInt8]`, exactly the value's equality;
/// for a String, by its code points, as Python does — "é" precomposed and decomposed are two keys). A
/// `[UInt8]` key or value is stored as its bytes, without the codec.
///
/// Errors: a missing key is `ManagerError.keyNotFound` naming the key (CPython's KeyError); a full heap is
/// `.full` and changes nothing; a manager shut down is `.shutDown`. The subscript, which cannot throw, stops
/// the program on these errors; the methods beside it throw them.
///
/// Mirrors `multiprocessing.Manager().dict()` (a `DictProxy`).
public final class SharedDictionary<Key: Codable & Hashable, Value: Codable>: @unchecked Sendable {
    @usableFromInline let heap: SharedHeap
    @usableFromInline let object: UInt64

    init(heap: SharedHeap, object: UInt64) {
        self.heap = heap
        self.object = object
    }

    // MARK: Reading

    /// The value for `key`, or nil. Mirrors `d.get(key)`.
    @inlinable
    public func get(_ key: Key) throws(ManagerError) -> Value? {
        let k = try ManagedCodec.encode(key)
        return try k.withKey { (kp, kn, hash) throws(ManagerError) -> Value? in
            try heap.locked { (h) throws(ManagerError) -> Value? in
                var value: UnsafeRawPointer?
                var length = 0
                guard cshim_shmheap_dict_find(h, object, kp, kn, hash, &value, &length) != 0 else { return nil }
                return try ManagedCodec.decode(Value.self, from: UnsafeRawBufferPointer(start: value, count: length))
            }
        }
    }

    /// The value for `key`, or `defaultValue`. Mirrors `d.get(key, default)`.
    @inlinable
    public func get(_ key: Key, default defaultValue: Value) throws(ManagerError) -> Value {
        try get(key) ?? defaultValue
    }

    /// The value for `key`; a missing key throws `.keyNotFound`. Mirrors `d[key]`.
    @inlinable
    public func value(forKey key: Key) throws(ManagerError) -> Value {
        guard let value = try get(key) else { throw .keyNotFound(ManagedCodec.repr(key)) }
        return value
    }

    /// Whether `key` is present. Mirrors `key in d`.
    @inlinable
    public func contains(_ key: Key) throws(ManagerError) -> Bool {
        let k = try ManagedCodec.encode(key)
        return try k.withKey { (kp, kn, hash) throws(ManagerError) -> Bool in
            try heap.locked { (h) throws(ManagerError) -> Bool in
                var value: UnsafeRawPointer?
                var length = 0
                return cshim_shmheap_dict_find(h, object, kp, kn, hash, &value, &length) != 0
            }
        }
    }

    /// The number of entries. Mirrors `len(d)`.
    public var count: Int {
        get throws(ManagerError) { try heap.locked { h throws(ManagerError) in cshim_shmheap_dict_count(h, object) } }
    }

    /// Whether it has no entries.
    public var isEmpty: Bool { get throws(ManagerError) { try count == 0 } }

    /// A snapshot of the keys, in insertion order. Mirrors `d.keys()` (a list, as a proxy returns).
    public func keys() throws(ManagerError) -> [Key] { try items().map(\.key) }

    /// A snapshot of the values. Mirrors `d.values()`.
    public func values() throws(ManagerError) -> [Value] { try items().map(\.value) }

    /// A snapshot of the entries in insertion order (Python's: a replaced value keeps its key's place, a key
    /// removed and set again goes last), taken under one lock: a consistent picture. Mirrors `d.items()`.
    public func items() throws(ManagerError) -> [(key: Key, value: Value)] {
        let entries = try heap.locked { (h) throws(ManagerError) -> [(seq: UInt64, key: Key, value: Value)] in
            var result: [(seq: UInt64, key: Key, value: Value)] = []
            result.reserveCapacity(cshim_shmheap_dict_count(h, object))
            var cursor = 0
            var seq: UInt64 = 0
            var kp: UnsafeRawPointer?, vp: UnsafeRawPointer?
            var kn = 0, vn = 0
            while cshim_shmheap_dict_next(h, object, &cursor, &seq, &kp, &kn, &vp, &vn) != 0 {
                let key = try ManagedCodec.decode(Key.self, from: UnsafeRawBufferPointer(start: kp, count: kn))
                let value = try ManagedCodec.decode(Value.self, from: UnsafeRawBufferPointer(start: vp, count: vn))
                result.append((seq, key, value))
            }
            return result
        }
        return entries.sorted { $0.seq < $1.seq }.map { ($0.key, $0.value) }
    }

    /// A copy as a Swift dictionary, taken under one lock. Mirrors `d.copy()` (and `dict(d)`).
    public func copy() throws(ManagerError) -> [Key: Value] {
        var result: [Key: Value] = [:]
        for (key, value) in try items() { result[key] = value }
        return result
    }

    // MARK: Writing

    /// Stores `value` for `key`. Mirrors `d[key] = value`.
    @inlinable
    public func setValue(_ value: Value, forKey key: Key) throws(ManagerError) {
        let k = try ManagedCodec.encode(key)
        let v = try ManagedCodec.encode(value)
        try k.withKey { (kp, kn, hash) throws(ManagerError) in
            try v.withBytes { (vb) throws(ManagerError) in
                try heap.locked { (h) throws(ManagerError) in
                    if cshim_shmheap_dict_set(h, object, kp, kn, hash, vb.baseAddress, vb.count) != 0 {
                        throw heap.full(needing: kn + vb.count + 32)
                    }
                }
            }
        }
    }

    /// Removes `key` and returns its value, or nil when it was absent. (Swift's `removeValue(forKey:)`.)
    @discardableResult
    public func removeValue(forKey key: Key) throws(ManagerError) -> Value? {
        let k = try ManagedCodec.encode(key)
        return try k.withKey { (kp, kn, hash) throws(ManagerError) -> Value? in
            try heap.locked { (h) throws(ManagerError) -> Value? in
                var vp: UnsafeRawPointer?
                var vn = 0
                guard cshim_shmheap_dict_find(h, object, kp, kn, hash, &vp, &vn) != 0 else { return nil }
                let value = try ManagedCodec.decode(Value.self, from: UnsafeRawBufferPointer(start: vp, count: vn))
                _ = cshim_shmheap_dict_remove(h, object, kp, kn, hash)
                return value
            }
        }
    }

    /// Removes `key` and returns its value; a missing key throws `.keyNotFound`. Mirrors `d.pop(key)`.
    public func pop(_ key: Key) throws(ManagerError) -> Value {
        guard let value = try removeValue(forKey: key) else { throw .keyNotFound(ManagedCodec.repr(key)) }
        return value
    }

    /// Removes `key` and returns its value, or `defaultValue`. Mirrors `d.pop(key, default)`.
    public func pop(_ key: Key, default defaultValue: Value) throws(ManagerError) -> Value {
        try removeValue(forKey: key) ?? defaultValue
    }

    /// Removes `key`; a missing key throws `.keyNotFound`. Mirrors `del d[key]`.
    public func delete(_ key: Key) throws(ManagerError) { _ = try pop(key) }

    /// The value for `key`; when absent, stores `defaultValue` and returns it — in one atomic step.
    /// Mirrors `d.setdefault(key, default)`.
    public func setDefault(_ key: Key, _ defaultValue: Value) throws(ManagerError) -> Value {
        let k = try ManagedCodec.encode(key)
        let v = try ManagedCodec.encode(defaultValue)
        return try k.withKey { (kp, kn, hash) throws(ManagerError) -> Value in
            try heap.locked { (h) throws(ManagerError) -> Value in
                var vp: UnsafeRawPointer?
                var vn = 0
                if cshim_shmheap_dict_find(h, object, kp, kn, hash, &vp, &vn) != 0 {
                    return try ManagedCodec.decode(Value.self, from: UnsafeRawBufferPointer(start: vp, count: vn))
                }
                let stored = v.withUnsafeBytes { cshim_shmheap_dict_set(h, object, kp, kn, hash, $0.baseAddress, $0.count) }
                if stored != 0 { throw heap.full(needing: kn + v.count + 32) }
                return defaultValue
            }
        }
    }

    /// Stores every entry of `other` in one step: other processes, and a writer killed at any point, see the
    /// dictionary before or after the whole update, never part of it (`cshim_shmheap_dict_update` publishes a new
    /// table with one store; it costs a copy of the table's slots, so an update of one key is a plain set). A full
    /// heap throws `.full` and changes nothing. Mirrors `d.update(other)`.
    public func update(_ other: some Sequence<(Key, Value)>) throws(ManagerError) {
        var blob: [UInt8] = []
        var keyRanges: [Range<Int>] = [], valueRanges: [Range<Int>] = []
        for (key, value) in other {
            let k = try ManagedCodec.encode(key), v = try ManagedCodec.encode(value)
            keyRanges.append(blob.count..<(blob.count + k.count))
            blob += k
            valueRanges.append(blob.count..<(blob.count + v.count))
            blob += v
        }
        if keyRanges.isEmpty { return }
        // a copy whose address stays put for the C call (typed throws cannot cross withUnsafeBytes)
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(blob.count, 1), alignment: 8)
        defer { bytes.deallocate() }
        bytes.copyBytes(from: blob)
        let base = UnsafeRawPointer(bytes.baseAddress!)
        let keys: [UnsafeRawPointer?] = keyRanges.map { base + $0.lowerBound }
        let values: [UnsafeRawPointer?] = valueRanges.map { base + $0.lowerBound }
        let hashes = keyRanges.map { cshim_shmheap_hash(base + $0.lowerBound, $0.count) }
        let keyLengths = keyRanges.map(\.count), valueLengths = valueRanges.map(\.count)
        try heap.locked { (h) throws(ManagerError) in
            if cshim_shmheap_dict_update(h, object, keys.count, keys, keyLengths, hashes, values, valueLengths) != 0 {
                throw heap.full(needing: blob.count + 64 * keys.count)
            }
        }
    }

    /// Stores every entry of `other`. Mirrors `d.update(other)`.
    public func update(_ other: [Key: Value]) throws(ManagerError) {
        try update(other.lazy.map { ($0.key, $0.value) })
    }

    /// Removes and returns the last entry inserted, or nil when empty — in one step under the lock, so two
    /// processes never pop the same entry. Mirrors `d.popitem()`.
    public func popLast() throws(ManagerError) -> (key: Key, value: Value)? {
        try heap.locked { (h) throws(ManagerError) -> (key: Key, value: Value)? in
            var cursor = 0
            var seq: UInt64 = 0
            var kp: UnsafeRawPointer?, vp: UnsafeRawPointer?
            var kn = 0, vn = 0
            var last: (seq: UInt64, key: UnsafeRawPointer?, keyLength: Int, value: UnsafeRawPointer?, valueLength: Int)?
            while cshim_shmheap_dict_next(h, object, &cursor, &seq, &kp, &kn, &vp, &vn) != 0 {
                if last == nil || seq > last!.seq { last = (seq, kp, kn, vp, vn) }
            }
            guard let last else { return nil }
            let key = try ManagedCodec.decode(Key.self, from: UnsafeRawBufferPointer(start: last.key, count: last.keyLength))
            let value = try ManagedCodec.decode(Value.self, from: UnsafeRawBufferPointer(start: last.value, count: last.valueLength))
            // the entry's bytes are freed by the removal: decoded first, removed last
            let keyBytes = [UInt8](UnsafeRawBufferPointer(start: last.key, count: last.keyLength))
            _ = keyBytes.withUnsafeBytes { b in
                cshim_shmheap_dict_remove(h, object, b.baseAddress, b.count, cshim_shmheap_hash(b.baseAddress, b.count))
            }
            return (key, value)
        }
    }

    /// Removes every entry (and frees their memory). Mirrors `d.clear()`.
    public func clear() throws(ManagerError) {
        try heap.locked { (h) throws(ManagerError) in _ = cshim_shmheap_dict_clear(h, object) }
    }

    // MARK: Subscript

    /// The value for `key` (nil when absent); setting nil removes the key. Mirrors `d[key]`, `d[key] = v` and
    /// `del d[key]`.
    ///
    /// A subscript cannot throw: a manager shut down, a full heap or a value of another type stops the program
    /// with the error's message. `get`, `setValue(_:forKey:)` and `removeValue(forKey:)` throw them instead.
    public subscript(key: Key) -> Value? {
        get {
            do { return try get(key) } catch { managerTrap(error) }
        }
        set {
            do {
                if let newValue { try setValue(newValue, forKey: key) } else { try removeValue(forKey: key) }
            } catch { managerTrap(error) }
        }
    }
}

extension SharedDictionary: CustomStringConvertible {
    /// Like CPython's proxy repr, `<DictProxy object, typeid 'dict'>`, with the count.
    public var description: String {
        let count = (try? self.count).map(String.init) ?? "shut down"
        return "<SharedDictionary<\(Key.self), \(Value.self)> count=\(count)>"
    }
}
