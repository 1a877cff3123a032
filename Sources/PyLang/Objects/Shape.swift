// Instance layouts (hidden classes) and the version tags of classes: what the attribute sites' inline caches key
// on. The model is V8's maps and CPython 3.11's specialised LOAD_ATTR_INSTANCE_VALUE (`Objects/dictobject.c`'s
// shared-key dicts, `Python/specialize.c`): instances of one class that gain the same attributes in the same order
// share one layout, so a site that has seen the layout once reads the attribute from a fixed slot without hashing
// its name.

/// The names of an instance's attributes in the order they were first assigned, each at a fixed slot of the
/// instance's `slots`. Shared shapes form a tree rooted at the class (`PyClass.rootShape`): adding an attribute
/// moves the instance along a transition to the child shape that has it, so equal histories give identical
/// shapes. Shared shapes never change after they are made; a site may cache one and compare by identity.
///
/// An instance whose attributes leave the common path (one deleted, or a layout grown past `maxShared`) gets a
/// shape of its own (`shared == false`), changed in place as its attributes change; sites never cache those.
final class Shape {
    /// The class whose instances have this shape. Not owned: the class owns its root shape and the tree; an
    /// instance that has this shape owns its class, so whenever a cache compares equal to a live instance's shape
    /// the class is alive.
    @inline(__always) var cls: PyClass { clsRef.object }
    /// (`Unmanaged`, not `unowned(unsafe)`, whose every read is an atomic retain.)
    let clsRef: Unmanaged<PyClass>
    private(set) var names: [String]
    private(set) var index: [String: Int]
    let shared: Bool
    /// The shared shapes one attribute longer than this one.
    private var transitions: [String: Shape] = [:]

    /// Past this many attributes an instance gets a shape of its own: a tree of every order in which a program
    /// sets many attributes (`setattr` in loops) would grow without bound.
    static let maxShared = 64
    /// The most slots a new instance is given room for before its first attribute (`PyClass.slotsHint`).
    static let maxHint = 16

    init(root cls: PyClass) {
        clsRef = .passUnretained(cls); names = []; index = [:]; shared = true
    }

    private init(cls: PyClass, names: [String], index: [String: Int], shared: Bool) {
        clsRef = .passUnretained(cls); self.names = names; self.index = index; self.shared = shared
    }

    /// The slot of `name`, or nil.
    @inline(__always)
    func slot(_ name: String) -> Int? {
        // a few names are compared in place (a short name's String is its bytes: equal ones are equal words),
        // which costs less than hashing the name for the dictionary
        if names.count <= 8 {
            for i in 0..<names.count where names[i] == name { return i }
            return nil
        }
        return index[name]
    }

    /// The shape after adding `name` (not present): the shared child for a shared shape within `maxShared`,
    /// this shape itself, changed, for an unshared one.
    func adding(_ name: String) -> Shape {
        if !shared {
            index[name] = names.count
            names.append(name)
            return self
        }
        if let t = transitions[name] { return t }
        var idx = index
        idx[name] = names.count
        let t = Shape(cls: cls, names: names + [name], index: idx, shared: names.count + 1 <= Shape.maxShared)
        if t.shared {
            transitions[name] = t
            if cls.slotsHint < min(t.names.count, Shape.maxHint) { cls.slotsHint = min(t.names.count, Shape.maxHint) }
        }
        return t
    }

    /// An unshared shape with the same names, for an instance about to change its layout off the common path.
    func unsharedCopy() -> Shape { Shape(cls: cls, names: names, index: index, shared: false) }

    /// Removes `name` (present) from an unshared shape: the slots after it move down by one.
    func remove(_ name: String) {
        precondition(!shared, "a shared shape never changes")
        guard let i = index[name] else { return }
        names.remove(at: i)
        index = [:]
        for (j, n) in names.enumerated() { index[n] = j }
    }
}

extension PyInstance {
    /// The attribute `name` of the instance itself (its `__dict__`), or nil.
    @inline(__always)
    func attr(_ name: String) -> Value? {
        guard let i = shape.slot(name) else { return nil }
        return slots[i]
    }

    /// Sets the instance's own attribute `name`.
    func setAttr(_ name: String, _ v: Value) {
        if let i = shape.slot(name) { slots[i] = v; return }
        shape = shape.adding(name)
        slots.append(v)
    }

    /// Removes the instance's own attribute `name`; its value, or nil when it had none.
    @discardableResult
    func removeAttr(_ name: String) -> Value? {
        guard let i = shape.slot(name) else { return nil }
        if shape.shared { shape = shape.unsharedCopy() }
        shape.remove(name)
        return slots.remove(at: i)
    }

    /// The instance's attributes in the order they were first set (CPython's `__dict__` order).
    var attrItems: [(key: String, value: Value)] {
        var r: [(key: String, value: Value)] = []
        r.reserveCapacity(slots.count)
        for (i, n) in shape.names.enumerated() { r.append((n, slots[i])) }
        return r
    }
}

/// The instance's own attributes with a dictionary's API (`inst.dict[name]`, `for (k, v) in inst.dict`), over its
/// shape and slots. Mirrors an instance's `__dict__`.
struct InstanceDict: Sequence {
    let inst: PyInstance
    subscript(name: String) -> Value? {
        get { inst.attr(name) }
        nonmutating set {
            if let v = newValue { inst.setAttr(name, v) } else { inst.removeAttr(name) }
        }
    }
    @discardableResult
    func removeValue(forKey name: String) -> Value? { inst.removeAttr(name) }
    var count: Int { inst.slots.count }
    var isEmpty: Bool { inst.slots.isEmpty }
    var keys: [String] { inst.shape.names }
    func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { inst.attrItems.makeIterator() }
}

/// The source of class version tags: every class gets a fresh one when it is made and whenever its namespace, or
/// that of a class it derives from, changes. A cache entry made under one tag is valid while the class still has it.
nonisolated(unsafe) private var lastClassVersion = 0

func nextClassVersion() -> Int {
    lastClassVersion &+= 1
    return lastClassVersion
}

extension PyClass {
    /// Gives this class and every class derived from it a new version tag: what was cached of them is stale.
    /// Called when a namespace changes (`dict`'s observer).
    func invalidateCaches() {
        version = nextClassVersion()
        for s in subclasses { s._withUnsafeGuaranteedRef { $0.invalidateCaches() } }
    }
}

/// Class attribute look-ups by (version tag, name): what `PyClass.lookup` found, found again with no hashing of
/// the name's text. A name is keyed by the two words of its Swift String: a short name's bytes themselves, a long
/// one's storage (kept alive by the entry, so its address cannot come back with other text). A class's tags are
/// never reused, so an entry of a changed class is never found again; it is overwritten in time. Mirrors CPython's
/// type attribute cache (`Objects/typeobject.c`, 4096 entries by version and name).
enum TypeCache {
    struct Key: Equatable {
        let version: Int
        let w0: UInt64, w1: UInt64
        @inline(__always)
        init(_ version: Int, _ name: String) {
            self.version = version
            (w0, w1) = unsafeBitCast(name, to: (UInt64, UInt64).self)
        }
        @inline(__always)
        var slot: Int {
            var h = UInt64(bitPattern: Int64(version)) &* 0x9E37_79B9_7F4A_7C15
            h ^= w0 &* 0xC2B2_AE3D_27D4_EB4F
            h ^= w1 &* 0x1656_67B1_9E37_79F9
            return Int(truncatingIfNeeded: h >> 52)   // 12 bits: 4096 entries
        }
    }
    struct Entry {
        var key: Key
        /// Holds a long name's storage, whose address is part of the key.
        var name: String
        var value: Value?
    }
    static let size = 4096
    @exclusivity(unchecked) nonisolated(unsafe) private static var entries: UnsafeMutablePointer<Entry>? = nil

    /// The answer kept for `key`: `.some(nil)` for a name the class does not have; nil when none is kept.
    @inline(__always)
    static func find(_ key: Key) -> Value?? {
        guard let e = entries else { return nil }
        let p = e + key.slot
        return p.pointee.key == key ? .some(p.pointee.value) : nil
    }

    static func store(_ key: Key, _ name: String, _ value: Value?) {
        if entries == nil {
            let e = UnsafeMutablePointer<Entry>.allocate(capacity: size)
            e.initialize(repeating: Entry(key: Key(-1, ""), name: "", value: nil), count: size)
            entries = e
        }
        (entries! + key.slot).pointee = Entry(key: key, name: name, value: value)
    }
}
