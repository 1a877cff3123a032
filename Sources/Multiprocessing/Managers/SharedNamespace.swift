import CShim

/// Named attributes of any `Codable` type that every process sharing its `Manager` reads and writes: made by
/// `manager.namespace()` before the workers are forked.
///
/// ```swift
/// let ns = try manager.namespace()
/// ns.x = 10                              // CPython: ns.x = 10
/// ns["label"] = "ready"                  // the same, by name
/// let worker = Process { ns.x = (ns.x as Int? ?? 0) + 1 }
/// try worker.start(); try worker.join()
/// let x: Int? = ns.x                     // 11
/// ```
///
/// Attributes are typed at the use site: `let x: Int? = ns.x` (nil when absent), or
/// `try ns.value("x", as: Int.self)`, which throws `ManagerError.attributeNotFound` (CPython's AttributeError)
/// for a missing name and `.decoding` when the attribute holds another type. Setting nil deletes.
///
/// **What is copied**: as in CPython, `ns.items.append(1)` on a list attribute changes a copy; assign the
/// changed value back (`var l = ns.items ?? []; l.append(1); ns.items = l`).
///
/// The dynamic-member and name subscripts cannot throw: a manager shut down, a full heap or an attribute of
/// another type than the one asked for stops the program with the error's message; the methods throw instead.
///
/// Mirrors `multiprocessing.Manager().Namespace()`.
@dynamicMemberLookup
public final class SharedNamespace: @unchecked Sendable {
    private let attributes: SharedDictionary<String, [UInt8]>

    init(heap: SharedHeap, object: UInt64) {
        attributes = SharedDictionary(heap: heap, object: object)
    }

    /// The attribute `name` decoded as `T`; a missing name throws `.attributeNotFound`. Mirrors `ns.name`.
    public func value<T: Codable>(_ name: String, as type: T.Type = T.self) throws(ManagerError) -> T {
        guard let bytes = try attributes.get(name) else { throw .attributeNotFound(name) }
        return try bytes.withBytes { (raw) throws(ManagerError) -> T in try ManagedCodec.decode(T.self, from: raw) }
    }

    /// The attribute `name` as `T`, or nil when it is absent.
    public func get<T: Codable>(_ name: String, as type: T.Type = T.self) throws(ManagerError) -> T? {
        guard let bytes = try attributes.get(name) else { return nil }
        return try bytes.withBytes { (raw) throws(ManagerError) -> T in try ManagedCodec.decode(T.self, from: raw) }
    }

    /// Sets the attribute `name`. Mirrors `ns.name = value` (`setattr`).
    public func set<T: Codable>(_ name: String, _ value: T) throws(ManagerError) {
        try attributes.setValue(try ManagedCodec.encode(value), forKey: name)
    }

    /// Deletes the attribute `name`; a missing name throws `.attributeNotFound`. Mirrors `del ns.name`.
    public func delete(_ name: String) throws(ManagerError) {
        if try attributes.removeValue(forKey: name) == nil { throw .attributeNotFound(name) }
    }

    /// Whether the attribute exists. Mirrors `hasattr(ns, name)`.
    public func contains(_ name: String) throws(ManagerError) -> Bool { try attributes.contains(name) }

    /// The attribute names, sorted. Mirrors the names in `vars(ns)`.
    public func names() throws(ManagerError) -> [String] { try attributes.keys().sorted() }

    /// The attribute `name` typed by the use site; nil when absent; setting nil deletes it. Mirrors `ns.name`.
    public subscript<T: Codable>(name: String) -> T? {
        get {
            do { return try get(name, as: T.self) } catch { managerTrap(error) }
        }
        set {
            do {
                if let newValue { try set(name, newValue) } else { _ = try attributes.removeValue(forKey: name) }
            } catch { managerTrap(error) }
        }
    }

    /// `ns.x`: the attribute `x`, typed by the use site. Mirrors `ns.x`, `ns.x = v`.
    public subscript<T: Codable>(dynamicMember name: String) -> T? {
        get { self[name] }
        set { self[name] = newValue }
    }
}

extension SharedNamespace: CustomStringConvertible {
    /// CPython shows `Namespace(a=1, b=2)`; values are stored without their types, so we show the names.
    public var description: String {
        guard let names = try? names() else { return "Namespace(<shut down>)" }
        return "Namespace(" + names.joined(separator: ", ") + ")"
    }
}
