// The elements of a set or frozenset: a hash table held in the set object itself (CPython's set keeps its
// table inline too, `Objects/setobject.c`), with no values beside the keys and no dict object between.

/// A set's elements in insertion order (nil where one was removed), found through an open-addressing table of
/// entry numbers once the set is past `smallEntries` or holds a key other than a str or an int; a small set of
/// strs and ints is searched by a scan, with no table to allocate. The order a set iterates in is `PySet`'s
/// business (`PySet.elements`): this is only membership.
struct SetTable: KeyProbing {
    private(set) var keys: [Value?] = []
    /// 0 = empty, -1 = deleted, n > 0 = entry n - 1. The size is zero or a power of two.
    private(set) var table: [Int] = []
    private(set) var count = 0
    /// Changes whenever an element comes or goes: what a cache of the elements' order is checked against.
    private(set) var keyStamp = 0
    /// As many strs and ints as a set keeps without a table (CPython's set holds eight in its inline table).
    static let smallEntries = 8

    var orderedKeys: [Value] { keys.compactMap { $0 } }

    /// Room for `n` elements before the first is added (a display or a tuple knows its size).
    mutating func reserve(_ n: Int) {
        if keys.isEmpty && n > 0 { keys.reserveCapacity(n) }
    }

    /// The entry index of `k`, or -1.
    func lookup(_ k: Value) -> Int {
        table.isEmpty ? scan(k) : entry(of: k)
    }

    func contains(_ k: Value) -> Bool { lookup(k) >= 0 }

    /// Adds `k`; false when an equal element is there already (which stays, as in CPython).
    @discardableResult
    mutating func insert(_ k: Value) -> Bool {
        if table.isEmpty {
            if scan(k) >= 0 { return false }
            if keys.count < SetTable.smallEntries && PyDict.isSmallKey(k) {
                if keys.isEmpty { keys.reserveCapacity(SetTable.smallEntries) }
                append(k)
                return true
            }
            append(k)
            rebuild()
            return true
        }
        let (e, free) = place(of: k)
        if e >= 0 { return false }
        append(k)
        if keys.count * 3 < table.count * 2 { table[free] = keys.count } else { rebuild() }
        return true
    }

    /// Removes the element equal to `k`; false when there is none.
    @discardableResult
    mutating func remove(_ k: Value) -> Bool {
        if table.isEmpty {
            let e = scan(k)
            if e < 0 { return false }
            keys[e] = nil
        } else {
            let (e, slot) = place(of: k)
            if e < 0 { return false }
            table[slot] = -1
            keys[e] = nil
        }
        count -= 1
        keyStamp &+= 1
        if keys.count > 16 && count * 2 < keys.count { rebuild() }
        return true
    }

    mutating func removeAll() {
        keys = []
        table = []
        count = 0
        keyStamp &+= 1
    }

    /// Gives the keys a buffer of their own when they share one (see `GC.collect`).
    mutating func gcUnshare() { GC.unshare(&keys) }

    private mutating func append(_ k: Value) {
        keys.append(k)
        count += 1
        keyStamp &+= 1
    }

    /// The entry index of `k` in a set without a table, or -1. Strs and ints are compared in place; another key
    /// (1.0, True, a tuple) is compared only with the elements of its hash, as a table would.
    private func scan(_ k: Value) -> Int {
        if PyDict.isSmallKey(k) { return scanStrOrInt(k) }
        if keys.isEmpty { return -1 }
        let h = PyDict.hashOf(k)
        for e in 0..<keys.count { if let y = keys[e], PyDict.hashOf(y) == h, keyEquals(y, k) { return e } }
        return -1
    }

    /// Drops removed entries and re-creates the table with room to grow (three times the elements).
    private mutating func rebuild() {
        if count != keys.count {
            var kept: [Value?] = []
            kept.reserveCapacity(count * 2)
            for k in keys where k != nil { kept.append(k) }
            keys = kept
        }
        var size = 8
        while size < keys.count * 3 { size *= 2 }
        table = probeTable(keys, size: size)
    }
}
