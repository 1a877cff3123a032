// The cycle collector: what CPython's `Modules/gcmodule.c` does for objects that reference counting alone never
// frees. Swift's ARC frees an object when its last reference goes, as CPython's reference counts do; a group of
// objects that refer to one another (a doubly linked list, a node and its parent, a recursive inner function and
// its cell) keeps its counts above zero after the program has let go of it, and leaked until this existed.
//
// Every container (list, tuple, dict, set, instance, function, cell, bound method) is listed in a table when it is
// made and taken out when it is freed. A collection is CPython's algorithm over that table:
//  1. each listed object's strong reference count is read (`swift_retainCount`);
//  2. every reference that one listed object holds to another is subtracted from the other's count: what is left
//     is the number of references from outside the listed objects (variables, frames, Swift's own stack, classes,
//     modules);
//  3. the objects with references from outside are reachable, and so is everything they refer to;
//  4. the rest can only be reached from one another: they are garbage. Each is cleared (a list emptied, an
//     instance's attributes dropped), which breaks the cycles, and reference counting frees them all.
//
// Safety rests on one rule: an object's traversal (`forEachReference`) reports only references it really holds,
// each at most as often as it holds it. A reference it leaves out only makes its target look referenced from
// outside (kept: safe); one reported without being held would free a live object. Two containers can share one
// Swift array buffer (copy on write) where each element is retained once for both, so a collection first gives
// every listed object buffers of its own (`unshare`). Classes, modules, frames and native payloads are not
// traversed: what they hold counts as referenced from outside. No Python code runs during a collection (mpsh has
// no `__del__`), and the interpreter starts automatic ones only at its safe points (a loop turn or a call, where
// it polls for Ctrl-C), so the objects a Swift caller holds are counted as its references.
//
// The table is the interpreter's alone: PyLang objects are made and freed on one thread (see Trash).
#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("swift_retainCount")
private func swiftRetainCount(_ object: UnsafeMutableRawPointer) -> Int

enum GC {
    /// The containers' kinds: the collector switches on this byte instead of casting.
    enum Kind: UInt8 { case none, list, tuple, dict, set, instance, function, cell, method }

    /// Entries: an object's address (even), or a free entry's link to the next free one, `(next + 1) << 1 | 1`.
    /// (nil until the first container: a global with a constant initial value needs no lazy-initialisation check
    /// on each access, which an allocating initialiser would.)
    @exclusivity(unchecked) nonisolated(unsafe) private static var storage: UnsafeMutablePointer<UInt>? = nil
    @inline(__always) private static var table: UnsafeMutablePointer<UInt> { storage.unsafelyUnwrapped }
    @exclusivity(unchecked) nonisolated(unsafe) private static var capacity = 0
    /// Entries ever used; entries past it were never handed out.
    @exclusivity(unchecked) nonisolated(unsafe) private(set) static var used = 0
    @exclusivity(unchecked) nonisolated(unsafe) private static var freeHead = -1
    /// Containers alive now.
    @exclusivity(unchecked) nonisolated(unsafe) private(set) static var live = 0
    /// When `live` passes this, the interpreter is asked to collect at its next safe point.
    @exclusivity(unchecked) nonisolated(unsafe) static var threshold = 10_000
    /// Containers alive after the last collection (the next threshold is measured from it).
    @exclusivity(unchecked) nonisolated(unsafe) private(set) static var liveAfterLast = 0
    /// `gc.enable()`/`gc.disable()`: automatic collections only; `gc.collect()` always runs.
    @exclusivity(unchecked) nonisolated(unsafe) static var automatic = true
    /// The smallest growth between automatic collections, in containers (`gc.set_threshold`'s first number, with
    /// CPython's 700 raised: a collection here goes over every container, not over a young generation).
    @exclusivity(unchecked) nonisolated(unsafe) static var minimumGrowth = 10_000
    /// Collections run, and objects they found, for `gc.get_stats()`.
    @exclusivity(unchecked) nonisolated(unsafe) private(set) static var collections = 0
    @exclusivity(unchecked) nonisolated(unsafe) private(set) static var collected = 0

    /// `MPSH_GC_STRESS=n`: an automatic collection after every `n` new containers, whatever the heap's size, to
    /// test the collector's safety (a live object it freed shows as a wrong result or a crash in any program).
    static func readStressSetting() {
        guard let s = getenv("MPSH_GC_STRESS"), let n = Int(String(cString: s)), n > 0 else { return }
        minimumGrowth = n
        stress = true
        threshold = live + n
    }
    @exclusivity(unchecked) nonisolated(unsafe) private static var stress = false

    @inline(__always)
    static func track(_ o: PyObject, _ kind: Kind) {
        let i: Int
        if freeHead >= 0 {
            i = freeHead
            freeHead = Int(table[i] >> 1) - 1
        } else {
            if used == capacity { grow() }
            i = used
            used += 1
        }
        table[i] = UInt(bitPattern: Unmanaged.passUnretained(o).toOpaque())
        o.gcSlot = Int32(truncatingIfNeeded: i)
        o.gcKind = kind
        live += 1
        if live > threshold { thresholdPassed() }
    }

    @inline(__always)
    static func untrack(_ o: PyObject) {
        let i = Int(o.gcSlot)
        table[i] = UInt(freeHead + 1) << 1 | 1
        freeHead = i
        live -= 1
    }

    @inline(never)
    private static func grow() {
        let size = max(1024, capacity * 2)
        let bigger = UnsafeMutablePointer<UInt>.allocate(capacity: size)
        if let old = storage {
            bigger.moveInitialize(from: old, count: capacity)
            old.deallocate()
        }
        storage = bigger
        capacity = size
    }

    @inline(never)
    private static func thresholdPassed() {
        // asked again after as many more if no safe point comes (the interpreter that was asked has ended)
        threshold = live + minimumGrowth
        // the running interpreter's safe points poll this flag (`Interpreter.interruptSlowPath` collects)
        if automatic { currentInterpreter?.pendingWork |= 2 }
    }

    /// The object in entry `i`, not retained (nil for a free entry).
    @inline(__always)
    private static func object(_ i: Int) -> Unmanaged<PyObject>? {
        let e = table[i]
        if e & 1 != 0 { return nil }
        return Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: e)!)
    }

    /// The listed objects, retained (`gc.get_objects()`).
    static func objects() -> [PyObject] {
        var r: [PyObject] = []
        r.reserveCapacity(live)
        for i in 0..<used { if let o = object(i) { r.append(o.takeUnretainedValue()) } }
        return r
    }

    /// `gc.freeze()` (`frozen: true`): every container alive now is left out of later collections, as CPython's
    /// permanent generation (a process about to fork keeps its pages unwritten); `gc.unfreeze()` puts them back.
    static func freeze(_ frozen: Bool) {
        for i in 0..<used { object(i)?._withUnsafeGuaranteedRef { $0.gcFrozen = frozen } }
    }

    /// The containers alive and frozen (`gc.get_freeze_count()`).
    static var frozenCount: Int {
        var n = 0
        for i in 0..<used { if object(i)?._withUnsafeGuaranteedRef({ $0.gcFrozen }) == true { n += 1 } }
        return n
    }

    /// Gives `a` a buffer no other array shares, so that its elements' counts hold one reference for it.
    @inline(__always)
    static func unshare<T>(_ a: inout [T]) {
        if !a.isEmpty { a.withUnsafeMutableBufferPointer { _ in } }
    }

    /// The entry of the container `v` refers to, or -1.
    @inline(__always)
    private static func entry(_ v: Value) -> Int {
        switch v {
        case .list(let l): return Int(l.gcSlot)
        case .tuple(let t): return Int(t.gcSlot)
        case .dict(let d): return Int(d.gcSlot)
        case .obj(let o): return Int(o.gcSlot)
        default: return -1
        }
    }

    /// The value that refers to container `o`.
    static func value(_ o: PyObject) -> Value {
        switch o.gcKind {
        case .list: return .list(unsafeDowncast(o, to: PyList.self))
        case .tuple: return .tuple(unsafeDowncast(o, to: PyTuple.self))
        case .dict: return .dict(unsafeDowncast(o, to: PyDict.self))
        default: return .obj(o)
        }
    }

    /// Finds the garbage cycles and frees them; returns how many containers they held. With `save`, the
    /// garbage is handed to it instead, alive and untouched (`gc.DEBUG_SAVEALL`).
    @discardableResult
    static func collect(save: ((PyObject) -> Void)? = nil) -> Int {
        let n = used
        for i in 0..<n { object(i)?._withUnsafeGuaranteedRef { unshareBuffers($0) } }
        // 1: every reference; 2: less those from listed objects
        var refs = [Int](repeating: 0, count: n)
        for i in 0..<n where table[i] & 1 == 0 {
            refs[i] = swiftRetainCount(UnsafeMutableRawPointer(bitPattern: table[i])!)
        }
        for i in 0..<n {
            object(i)?._withUnsafeGuaranteedRef { o in
                forEachReference(o) { v in
                    let j = entry(v)
                    if j >= 0 { refs[j] -= 1 }
                }
            }
        }
        // 3: what references from outside reach (`reached` marks it). A count below zero would mean a traversal
        // reported a reference the object does not hold: it is kept, as referenced from outside, not trusted.
        let reached = Int.min
        var work: [Int] = []
        for i in 0..<n where table[i] & 1 == 0 && (refs[i] != 0 || object(i)!._withUnsafeGuaranteedRef({ $0.gcFrozen })) {
            refs[i] = reached
            work.append(i)
        }
        while let i = work.popLast() {
            object(i)!._withUnsafeGuaranteedRef { o in
                forEachReference(o) { v in
                    let j = entry(v)
                    if j >= 0 && refs[j] != reached { refs[j] = reached; work.append(j) }
                }
            }
        }
        // 4: the rest, held here while they are cleared so that none is freed half-way
        var garbage: [PyObject] = []
        for i in 0..<n where table[i] & 1 == 0 && refs[i] != reached { garbage.append(object(i)!.takeUnretainedValue()) }
        if let save {
            for o in garbage { save(o) }
        } else {
            for o in garbage { clear(o) }
        }
        let found = garbage.count
        garbage = []   // reference counting frees them now
        collections += 1
        collected += found
        liveAfterLast = live
        threshold = live + (stress ? minimumGrowth : max(minimumGrowth, live))
        return found
    }

    private static func unshareBuffers(_ o: PyObject) {
        switch o.gcKind {
        case .list: unshare(&unsafeDowncast(o, to: PyList.self).items)
        case .tuple: unsafeDowncast(o, to: PyTuple.self).gcUnshare()
        case .dict: let d = unsafeDowncast(o, to: PyDict.self); unshare(&d.keys); unshare(&d.vals)
        case .set: unsafeDowncast(o, to: PySet.self).d.gcUnshare()
        case .instance: unshare(&unsafeDowncast(o, to: PyInstance.self).slots)
        case .function: let f = unsafeDowncast(o, to: PyFunction.self); unshare(&f.defaults); unshare(&f.closure)
        default: break
        }
    }

    /// The references `o` holds that a collection follows (`tp_traverse`): each reference it holds at most once.
    static func forEachReference(_ o: PyObject, _ body: (Value) -> Void) {
        switch o.gcKind {
        case .list: for v in unsafeDowncast(o, to: PyList.self).items { body(v) }
        case .tuple: for v in unsafeDowncast(o, to: PyTuple.self).items { body(v) }
        case .dict:
            let d = unsafeDowncast(o, to: PyDict.self)
            for k in d.keys { if let k { body(k) } }
            for v in d.vals { body(v) }
        case .set: for k in unsafeDowncast(o, to: PySet.self).d.keys { if let k { body(k) } }
        case .instance:
            let i = unsafeDowncast(o, to: PyInstance.self)
            for v in i.slots { body(v) }
            body(i.cause)
            body(i.context)
        case .function:
            let f = unsafeDowncast(o, to: PyFunction.self)
            for v in f.defaults { body(v) }
            for c in f.closure { body(.obj(c)) }
        case .cell: if let v = unsafeDowncast(o, to: Cell.self).value { body(v) }
        case .method: let m = unsafeDowncast(o, to: PyBoundMethod.self); body(m.receiver); body(m.fn)
        case .none: break
        }
    }

    /// Drops what a garbage object refers to (`tp_clear`). A tuple keeps its items: the others in its cycle let go.
    private static func clear(_ o: PyObject) {
        switch o.gcKind {
        case .list:
            let l = unsafeDowncast(o, to: PyList.self)
            if !l.items.isEmpty { Trash.release(&l.items) }
        case .dict:
            let d = unsafeDowncast(o, to: PyDict.self)
            var vals = d.vals
            d.clear()
            if !vals.isEmpty { Trash.release(&vals) }
        case .instance:
            let i = unsafeDowncast(o, to: PyInstance.self)
            i.shape = i.cls.rootShape
            if !i.slots.isEmpty { Trash.release(&i.slots) }
            i.cause = .none
            i.context = .none
        case .function: let f = unsafeDowncast(o, to: PyFunction.self); f.defaults = []; f.closure = []
        case .cell: unsafeDowncast(o, to: Cell.self).value = nil
        case .method: let m = unsafeDowncast(o, to: PyBoundMethod.self); m.receiver = .none; m.fn = .none
        case .set: unsafeDowncast(o, to: PySet.self).d.removeAll()
        case .tuple, .none: break
        }
    }
}
