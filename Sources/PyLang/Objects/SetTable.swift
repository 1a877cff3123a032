// The elements of a set or frozenset: a hash table held in the set object itself (CPython's set keeps its
// table inline too, `Objects/setobject.c`), with no values beside the keys and no dict object between.

/// A set's elements in insertion order (nil where one was removed), found through an open-addressing table of
/// entry numbers once the set is past `smallEntries` or holds a key other than a str or an int; a small set of
/// strs and ints is searched by a scan, with no table to allocate. The order a set iterates in is `PySet`'s
/// business (`PySet.elements`): this is only membership.
struct SetTable {
    private(set) var keys: [Value?] = []
    /// 0 = empty, -1 = deleted, n > 0 = entry n - 1. The size is zero or a power of two.
    private var table: [Int] = []
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
        if table.isEmpty { return scan(k) }
        let mask = table.count - 1
        var i = PyDict.hashOf(k) & mask
        while true {
            let t = table[i]
            if t == 0 { return -1 }
            if t > 0, matches(t - 1, k) { return t - 1 }
            i = (i + 1) & mask
        }
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
        let mask = table.count - 1
        var i = PyDict.hashOf(k) & mask
        var firstFree = -1
        while true {
            let t = table[i]
            if t == 0 { if firstFree < 0 { firstFree = i }; break }
            if t < 0 { if firstFree < 0 { firstFree = i } }
            else if matches(t - 1, k) { return false }
            i = (i + 1) & mask
        }
        append(k)
        if keys.count * 3 < table.count * 2 { table[firstFree] = keys.count } else { rebuild() }
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
            let mask = table.count - 1
            var i = PyDict.hashOf(k) & mask
            while true {
                let t = table[i]
                if t == 0 { return false }
                if t > 0, matches(t - 1, k) {
                    table[i] = -1
                    keys[t - 1] = nil
                    break
                }
                i = (i + 1) & mask
            }
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
        switch k {
        case .str(let x):
            for e in 0..<keys.count { if case .str(let y)? = keys[e], PyStr.equal(x, y) { return e } }
        case .int(let x):
            for e in 0..<keys.count { if case .int(let y)? = keys[e], x == y { return e } }
        default:
            if keys.isEmpty { return -1 }
            let h = PyDict.hashOf(k)
            for e in 0..<keys.count { if let y = keys[e], PyDict.hashOf(y) == h, keyEquals(y, k) { return e } }
        }
        return -1
    }

    /// Whether entry `e` equals `k`: ints and strs compared in place, anything else by `keyEquals`.
    @inline(__always)
    private func matches(_ e: Int, _ k: Value) -> Bool {
        switch k {
        case .int(let x): if case .int(let y)? = keys[e] { return x == y }
        case .str(let x): if case .str(let y)? = keys[e] { return PyStr.equal(x, y) }
        default: break
        }
        return keyEquals(keys[e]!, k)
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
        table = [Int](repeating: 0, count: size)
        let mask = size - 1
        for (e, k) in keys.enumerated() {
            var i = PyDict.hashOf(k!) & mask
            while table[i] != 0 { i = (i + 1) & mask }
            table[i] = e + 1
        }
    }
}
