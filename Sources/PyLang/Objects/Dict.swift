// dict and set: the insertion-ordered hash map CPython's compact dict is, and the set (its elements in a
// `SetTable`), iterated in CPython's table order when its elements are ints. Mirrors CPython's `Objects/dictobject.c` and `setobject.c`.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An insertion-ordered hash map, as CPython's compact dict: entries in insertion order, plus an open-addressing
/// table of entry numbers. Ints, bools and integral floats hash to their value (so 1, 1.0 and True are one key).
public final class PyDict: PyObject, KeyProbing {
    @exclusivity(unchecked) var keys: [Value?] = []
    @exclusivity(unchecked) var vals: [Value] = []
    /// 0 = empty, -1 = deleted, n > 0 = entry n - 1. The size is zero or a power of two.
    /// Empty while the dict is small: `smallEntries` entries whose keys are all strs or ints are found by a
    /// scan of `keys`, with no hashing and no table to allocate (a dict literal, a call's keywords, a JSON object,
    /// an instance's attributes: most dicts are small). Any other key, or more entries, and the table is built.
    /// (Only strs and ints: their equality calls no Python code, and CPython compares keys only when their hashes
    /// are equal, so a scan that compared an instance key could call an `__eq__` CPython never calls.)
    /// Five entries (holes included), as many as CPython's smallest table takes before it is resized, which
    /// compacts the entries: where that happens decides what an iteration that changes the dict sees.
    @exclusivity(unchecked) var table: [Int] = []
    static let smallEntries = 5
    @exclusivity(unchecked) var live = 0
    /// Changes whenever a key comes or goes (not when a value is replaced): what a cache of the keys' order
    /// (`PySet.elements`) is checked against.
    @exclusivity(unchecked) var keyStamp = 0
    var count: Int { live }
    override var typeName: String { "dict" }
    public override init() { super.init(); GC.track(self, .dict) }
    deinit { GC.untrack(self); if !vals.isEmpty { Trash.release(&vals) } }

    @inline(__always)
    static func hashOf(_ k: Value) -> Int {
        var x: Int
        switch k {
        case .int(let i): x = i
        case .bool(let b): x = b ? 1 : 0
        case .float(let d):
            if let i = Int(exactly: d) { x = i }
            else if d.isFinite && d == d.rounded() { x = k.hashValue }   // as the equal big int
            else { x = pyFloatHash(d) }   // hash(d): a Decimal or Fraction equal to d finds it
        case .str(let s): x = s.hash
        case .obj(let o as PyInstance):
            if let b = k.builtinBaseKey { return hashOf(b) }
            // a Python __hash__ (a namedtuple's cached one, a user class's): its value, without Swift's Hasher
            if o.cls.lookup(.hash) != nil, let interp = currentInterpreter, let hv = try? interp.hashValue(k) {
                x = hv
            } else {
                x = k.hashValue
            }
        default:
            x = k.hashValue
        }
        var h = UInt(bitPattern: x) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(bitPattern: h)
    }

    /// Whether a small dict (no table) may hold `k`.
    @inline(__always)
    static func isSmallKey(_ k: Value) -> Bool {
        switch k {
        case .str, .int: return true
        default: return false
        }
    }

    /// The entry index of `k` in a small dict (no table; `k` a str or an int), or -1.
    @inline(__always)
    func scan(_ k: Value) -> Int { scanStrOrInt(k) }

    /// Builds the table of a small dict over its entries as they are (holes left, entry numbers unchanged, so an
    /// iteration by entry number goes on undisturbed).
    @inline(never)
    func buildTable() {
        var cap = 8
        while keys.count * 3 >= cap * 2 { cap *= 2 }   // the size `set` would have grown to with these entries
        table = probeTable(keys, size: cap)
    }

    /// The entry index of `k`, or -1.
    func lookup(_ k: Value) -> Int {
        if table.isEmpty {
            if keys.isEmpty { return -1 }
            if PyDict.isSmallKey(k) { return scan(k) }
            buildTable()   // another kind of key is found through hashes, as in CPython
        }
        return entry(of: k)
    }

    public func get(_ k: Value) -> Value? {
        let e = lookup(k)
        return e >= 0 ? vals[e] : nil
    }

    public func set(_ k: Value, _ v: Value) {
        if table.isEmpty {
            if keys.count <= PyDict.smallEntries && PyDict.isSmallKey(k) {
                let e = scan(k)
                if e >= 0 { vals[e] = v; return }
                keyStamp &+= 1
                if keys.isEmpty { keys.reserveCapacity(4); vals.reserveCapacity(4) }
                keys.append(k); vals.append(v); live += 1
                // the sixth key of a full small dict: the resize (and compaction) a table of eight would make now,
                // the table built once at its new size
                if keys.count > PyDict.smallEntries { rebuild(growing: true) }
                return
            }
            if !keys.isEmpty { buildTable() }
        }
        if !table.isEmpty {
            let (e, free) = place(of: k)
            if e >= 0 { vals[e] = v; return }
            keyStamp &+= 1
            if (keys.count + 1) * 3 < table.count * 2 {
                keys.append(k); vals.append(v); live += 1
                table[free] = keys.count
                return
            }
        }
        keyStamp &+= 1
        keys.append(k); vals.append(v); live += 1
        rebuild(growing: true)
    }

    @discardableResult
    func remove(_ k: Value) -> Value? {
        if table.isEmpty {
            if keys.isEmpty { return nil }
            if PyDict.isSmallKey(k) {
                let e = scan(k)
                if e < 0 { return nil }
                let v = vals[e]
                keys[e] = nil; vals[e] = .none
                live -= 1
                keyStamp &+= 1
                return v
            }
            buildTable()
        }
        let (e, slot) = place(of: k)
        if e < 0 { return nil }
        let v = vals[e]
        table[slot] = -1
        keys[e] = nil; vals[e] = .none
        live -= 1
        keyStamp &+= 1
        if keys.count > 16 && live * 2 < keys.count { rebuild() }
        return v
    }

    /// Drops deleted entries and re-creates the table at a size with room to grow.
    /// `growing`: the table filled up as a key came; past 64 keys it gets room for three times the keys (as
    /// CPython's GROWTH_RATE), not one and a half, so a big dict built key by key is re-tabled every 2–4× instead of
    /// every 1.3–2.7× (small dicts keep the tighter table: json_loads' many small dicts were 17% slower with it).
    func rebuild(growing: Bool = false) {
        if live != keys.count {
            var nk: [Value?] = [], nv: [Value] = []
            nk.reserveCapacity(live); nv.reserveCapacity(live)
            for (i, k) in keys.enumerated() where k != nil { nk.append(k); nv.append(vals[i]) }
            keys = nk; vals = nv
        }
        var cap = 8
        let want = growing && keys.count >= 64 ? keys.count * 3 : (keys.count + 1) * 3 / 2
        while cap < want { cap *= 2 }
        table = probeTable(keys, size: cap)
    }

    /// Room for `n` entries before the first is added (a dict display knows its size).
    func reserve(_ n: Int) {
        if keys.isEmpty && n > 0 { keys.reserveCapacity(n); vals.reserveCapacity(n) }
    }

    /// A dict's keys, table and key stamp without its values: what a dict display with constant keys makes each
    /// of its dicts from (`DictExpr`). The arrays are shared until a dict changes its keys.
    struct Layout {
        let keys: [Value?]
        let table: [Int]
        let keyStamp: Int
    }
    /// The layout of a dict without holes.
    var layout: Layout {
        precondition(live == keys.count, "a layout is taken of a dict without deleted entries")
        return Layout(keys: keys, table: table, keyStamp: keyStamp)
    }
    /// A dict with `layout`'s keys, in order, and these values.
    init(layout: Layout, values: [Value]) {
        precondition(values.count == layout.keys.count)
        super.init()
        keys = layout.keys; table = layout.table; vals = values; live = values.count; keyStamp = layout.keyStamp
        GC.track(self, .dict)
    }

    func compact() { rebuild() }
    func clear() { keys = []; vals = []; table = []; live = 0; keyStamp &+= 1 }
    var orderedKeys: [Value] { keys.compactMap { $0 } }
    public var items: [(Value, Value)] {
        var r: [(Value, Value)] = []
        r.reserveCapacity(live)
        for (i, k) in keys.enumerated() { if let k { r.append((k, vals[i])) } }
        return r
    }
    func copy() -> PyDict {
        let d = PyDict()
        for (k, v) in items { d.set(k, v) }
        return d
    }
}

/// CPython's open addressing as `PyDict` and `SetTable` use it: `table` holds entry numbers plus one (0 empty, -1
/// a removed entry's) over `keys`, insertion-ordered (nil where one was removed), probed linearly from the key's
/// hash (`PyDict.hashOf`). (Methods on the conforming type, which read its arrays in place: functions taking the
/// arrays as arguments retained both on each call, 20% of a dict-heavy loop.)
protocol KeyProbing {
    var keys: [Value?] { get }
    var table: [Int] { get }
}

extension KeyProbing {
    /// Whether entry `e`'s key equals `k`: ints and strs compared in place (no copy of the stored key), anything
    /// else (1 == 1.0 == True, tuples, instances with `__eq__`) by `keyEquals`.
    @inline(__always)
    func keyMatches(_ e: Int, _ k: Value) -> Bool {
        switch k {
        case .int(let x): if case .int(let y)? = keys[e] { return x == y }
        case .str(let x): if case .str(let y)? = keys[e] { return PyStr.equal(x, y) }
        default: break
        }
        return keyEquals(keys[e]!, k)
    }

    /// The entry of `k`, a str or an int (`PyDict.isSmallKey`), by a scan (a small dict or set has no table), or
    /// -1.
    @inline(__always)
    func scanStrOrInt(_ k: Value) -> Int {
        switch k {
        case .str(let x):
            for e in 0..<keys.count { if case .str(let y)? = keys[e], PyStr.equal(x, y) { return e } }
        case .int(let x):
            for e in 0..<keys.count { if case .int(let y)? = keys[e], x == y { return e } }
        default: break
        }
        return -1
    }

    /// The entry of `k` through the table, or -1.
    @inline(__always)
    func entry(of k: Value) -> Int {
        let mask = table.count - 1
        var i = PyDict.hashOf(k) & mask
        while true {
            let t = table[i]
            if t == 0 { return -1 }
            if t > 0, keyMatches(t - 1, k) { return t - 1 }
            i = (i + 1) & mask
        }
    }

    /// Where `k` is: its entry and that entry's slot, or -1 and the first slot a new key would take (an empty one
    /// or a removed entry's).
    @inline(__always)
    func place(of k: Value) -> (entry: Int, slot: Int) {
        let mask = table.count - 1
        var i = PyDict.hashOf(k) & mask
        var firstFree = -1
        while true {
            let t = table[i]
            if t == 0 { return (-1, firstFree < 0 ? i : firstFree) }
            if t < 0 { if firstFree < 0 { firstFree = i } }
            else if keyMatches(t - 1, k) { return (t - 1, i) }
            i = (i + 1) & mask
        }
    }
}

/// A table of `size` slots (a power of two) over `keys`, entry numbers as they are (see `KeyProbing`).
func probeTable(_ keys: [Value?], size: Int) -> [Int] {
    var table = [Int](repeating: 0, count: size)
    let mask = size - 1
    for (e, k) in keys.enumerated() {
        guard let k else { continue }
        var i = PyDict.hashOf(k) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = e + 1
    }
    return table
}

public final class PySet: PyObject {
    /// The elements, in the order they came (see `SetTable`).
    @exclusivity(unchecked) var d = SetTable()
    let frozen: Bool
    init(frozen: Bool = false) { self.frozen = frozen; super.init(); GC.track(self, .set) }
    deinit { GC.untrack(self) }
    override var typeName: String { frozen ? "frozenset" : "set" }
    /// The elements in the order CPython iterates them when they are all ints (bools, big ints): `{3, 1, 2}` prints
    /// `{1, 2, 3}`. Other sets keep insertion order (CPython's order for str keys depends on a random hash seed).
    var elements: [Value] {
        if let c = orderCache, orderStamp == d.keyStamp, orderMerges == merges.count, c.count == d.count { return c }
        let keys = d.orderedKeys
        var ints: [Int] = []
        ints.reserveCapacity(keys.count)
        for k in keys {
            switch k {
            case .int(let i): ints.append(i)
            case .bool(let b): ints.append(b ? 1 : 0)
            case .bigBox(let b): ints.append(b.pyHash)   // an int of the same hash (|hash| < 2^61 - 1) places it alike
            default: return keys
            }
        }
        if ints.count < 2 { return keys }
        // CPython's order, replayed once for these keys (an int set iterated in a loop does not replay it each time)
        let ordered = PySet.cpythonTableOrder(ints, peak: peak, merges: merges).map { keys[$0] }
        orderCache = ordered
        orderStamp = d.keyStamp
        orderMerges = merges.count
        return ordered
    }
    @exclusivity(unchecked) private var orderCache: [Value]?
    @exclusivity(unchecked) private var orderStamp = 0
    @exclusivity(unchecked) private var orderMerges = 0
    /// The most elements this set has held since it was made or cleared: CPython's table does not shrink when
    /// elements go, and its size decides the order of those left.
    var peak = 0
    /// Where another set's elements were merged in (CPython's set_merge: a copy, `s | t`, `s |= t`): before
    /// the element at index `at` was added, `incoming` elements were announced, and CPython grew the table for
    /// them all at once.
    var merges: [(at: Int, incoming: Int)] = []
    /// Adds every element of `other` as CPython's set_merge does (in `other`'s order, the table grown first).
    func merge(_ other: PySet) { merge(elements: other.elements) }
    /// `merge` of a set whose `elements` are these (a constant display's, worked out once).
    func merge(elements: [Value]) {
        merges.append((d.count, elements.count))
        d.reserve(elements.count)
        for e in elements { add(e) }
    }
    func add(_ v: Value) {
        d.insert(v)
        peak = max(peak, d.count)
    }
    /// Takes `other`'s elements (an in-place operator's result), dropping the cached order.
    func replaceElements(with other: PySet) {
        d = other.d
        orderCache = nil
    }
    /// A copy, as CPython's `set.copy()` makes it (a merge into an empty set).
    func copied() -> PySet {
        let r = PySet(frozen: frozen)
        r.merge(self)
        return r
    }

    /// The order of CPython's set table (Objects/setobject.c) after adding `ints` in this order: 8 slots to
    /// start; a key goes to the first empty slot among `hash & mask` and the 9 after it (when they fit), then
    /// perturbed probing (`i = i * 5 + 1 + (perturb >>= 5)`); at 3/5 full the table grows to the first power of
    /// two above 4 × used and is refilled in its old order. Returns indices into `ints`. Deletions are not
    /// replayed: a set whose elements were removed is ordered as if those left had been added to the table its
    /// `peak` grew.
    static func cpythonTableOrder(_ ints: [Int], peak: Int = 0, merges: [(at: Int, incoming: Int)] = []) -> [Int] {
        /// CPython's hash of an int: its value modulo 2^61 - 1, with its sign; -1 is -2.
        func hash(_ v: Int) -> UInt {
            let modulus: UInt = (1 << 61) - 1
            let magnitude = Int(v.magnitude % modulus)
            let h = v < 0 ? -magnitude : magnitude
            return UInt(bitPattern: h == -1 ? -2 : h)
        }
        /// set_table_resize's size for `least` keys: the first power of two above it, from 8.
        func sizeFitting(_ least: Int) -> Int {
            var size = 8
            while size <= least { size <<= 1 }
            return size
        }
        /// set_add_entry's growth: once `used` keys fill 3/5 of `size` slots, room for 4 × used (2 × past 50,000).
        func sizeAfterAdding(_ used: Int, to size: Int) -> Int {
            used * 5 >= (size - 1) * 3 ? sizeFitting(used > 50000 ? used * 2 : used * 4) : size
        }
        var size = 8
        if peak > ints.count { for count in 1...peak { size = sizeAfterAdding(count, to: size) } }
        var table = [Int](repeating: -1, count: size)
        var used = 0
        func place(_ index: Int, _ h: UInt, in table: inout [Int]) {
            let mask = UInt(table.count - 1)
            var i = h & mask, perturb = h
            while true {
                let probes: UInt = i + 9 <= mask ? 9 : 0
                for j in i...(i + probes) where table[Int(j)] < 0 {
                    table[Int(j)] = index
                    return
                }
                perturb >>= 5
                i = (i &* 5 &+ 1 &+ perturb) & mask
            }
        }
        let hashes = ints.map(hash)
        /// Refills the table, in its order, into `size` slots (nothing to do if that is its size).
        func resize(to size: Int) {
            guard size != table.count else { return }
            var grown = [Int](repeating: -1, count: size)
            for old in table where old >= 0 { place(old, hashes[old], in: &grown) }
            table = grown
        }
        var nextMerge = 0
        for index in ints.indices {
            while nextMerge < merges.count && merges[nextMerge].at <= index {
                // set_merge grows the table for all the incoming keys at once, before adding them
                let incoming = merges[nextMerge].incoming
                if (used + incoming) * 5 >= (table.count - 1) * 3 { resize(to: sizeFitting((used + incoming) * 2)) }
                nextMerge += 1
            }
            place(index, hashes[index], in: &table)
            used += 1
            resize(to: sizeAfterAdding(used, to: table.count))
        }
        return table.filter { $0 >= 0 }
    }
    func contains(_ v: Value) -> Bool { d.contains(v) }
    /// `self <= other` for sets: every element of this one is in `other` (one pass, no order needed).
    func isSubset(of other: PySet) -> Bool {
        guard d.count <= other.d.count else { return false }
        for k in d.keys { if let k, !other.contains(k) { return false } }
        return true
    }
}
