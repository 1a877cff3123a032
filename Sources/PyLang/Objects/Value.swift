// Values of the mpsh language. Small ints, floats, bools and None are unboxed; the rest are class references.
// Mirrors CPython's `Objects/` types, one case or class per type.
import CModules
#if canImport(Glibc)
import Glibc
#endif

public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    /// Ints beyond 64 bits, boxed so a Value stays two words plus a tag.
    case bigBox(PyBig)
    case float(Double)
    case str(PyStr)
    case list(PyList)
    case tuple(PyTuple)
    case dict(PyDict)
    case obj(PyObject)
}

/// Base class of every boxed object that is not a list, tuple or dict.
public class PyObject {
    var typeName: String { "object" }
    /// Where the cycle collector's table lists this object (`GC`), or -1: only containers are listed.
    @exclusivity(unchecked) final var gcSlot: Int32 = -1
    /// What kind of container it is, for the collector's traversal without a dynamic cast (`GC.Kind`).
    @exclusivity(unchecked) final var gcKind: GC.Kind = .none
    /// `gc.freeze()` moved it to the permanent generation: collections treat it as reachable.
    @exclusivity(unchecked) final var gcFrozen = false
}

extension Value {
    static func big(_ b: BigInt) -> Value { .bigBox(b) }
}

public final class PyList: PyObject {
    /// Unchecked: read and written on almost every step. (Code that runs Python while it modifies `items` in place
    /// must not: `sort` sorts a copy, `append(f())` evaluates its argument before the access begins.)
    @exclusivity(unchecked) public var items: [Value]
    public init(_ items: [Value]) { self.items = items; super.init(); GC.track(self, .list) }
    override var typeName: String { "list" }
    deinit { GC.untrack(self); if !items.isEmpty { Trash.release(&items) } }
}

public final class PyTuple: PyObject {
    /// A var only so that `deinit` can release the items under `Trash`'s depth count; nothing else writes it.
    @exclusivity(unchecked) public private(set) var items: [Value]
    public init(_ items: [Value]) { self.items = items; super.init(); GC.track(self, .tuple) }
    override var typeName: String { "tuple" }
    nonisolated(unsafe) static let empty = PyTuple([])
    deinit { GC.untrack(self); if !items.isEmpty { Trash.release(&items) } }
    /// Gives the tuple a buffer of its own when it shares one (see `GC.collect`); a tuple is never cleared.
    func gcUnshare() { GC.unshare(&items) }
}

/// Freeing nested containers without recursion proportional to their depth: CPython's "trashcan"
/// (`Py_TRASHCAN_BEGIN`). Freeing a list releases its items, which frees the lists among them, and so on: a linked
/// list of 3 million nodes or 3 million nested lists overflowed the stack (SIGSEGV). A container's deinit releases
/// its items itself, counting the depth; past `limit` nested frees it moves the items to a pending list instead,
/// which the outermost free empties, one item at a time. Cost for ordinary data: a depth increment and decrement
/// per freed non-empty container. Only the interpreter's thread frees interpreter objects (the one-thread rule).
/// `Trash.release`'s release of an items array's storage, called by C between the depth's increment and decrement.
private func releaseStorage(_ storage: UnsafeMutableRawPointer?) {
    Unmanaged<AnyObject>.fromOpaque(storage!).release()
}

enum Trash {
    @exclusivity(unchecked) nonisolated(unsafe) static var pending: [Value] = []
    static let limit = 1000

    /// Releases `items` (empties it), or defers them when frees are nested `limit` deep.
    @inline(__always)
    static func release(_ items: inout [Value]) {
        if cmodules_trash_depth() >= limit {
            pending.append(contentsOf: items)
            items = []
            return
        }
        // Swift does not order an object's deinitialisation against other code: the optimiser moves a release
        // anywhere after the object's last use. It had moved `items = []`'s release above the depth's increment
        // (with the depth in Swift, then in C behind opaque calls, then into a call of its own, which it emptied),
        // so nested frees never saw the depth grow, and a chain of 3 million instances overflowed the stack in
        // release builds (debug builds, where the tests run, kept the order; `.ci/run` checks the release binary).
        // So C does the counting around the release itself: the items' storage is handed over with one reference
        // that only `cmodules_trash_run`'s call of `releaseStorage` gives up.
        var old: [Value] = []
        swap(&old, &items)
        let storage = Unmanaged.passRetained(unsafeBitCast(old, to: AnyObject.self)).toOpaque()
        old = []   // Swift's own reference: it cannot free the items, `storage` holds one
        cmodules_trash_run(releaseStorage, storage)
        if cmodules_trash_depth() == 0 && !pending.isEmpty { drain() }
    }

    /// Frees the deferred items at depth 0..limit, until none are left (their own frees may defer more).
    @inline(never)
    static func drain() {
        cmodules_trash_set(1)   // the outermost free is running the drain: nested ones must not start another
        while let v = pending.popLast() { _ = v }
        cmodules_trash_set(0)
    }
}

public final class PyBytes: PyObject {
    let b: [UInt8]
    init(_ b: [UInt8]) { self.b = b }
    override var typeName: String { "bytes" }
}

public final class PyByteArray: PyObject {
    @exclusivity(unchecked) var b: [UInt8]
    /// The memoryviews over it not yet released: while there are any, it cannot change size (BufferError).
    var exports = 0
    init(_ b: [UInt8]) { self.b = b }
    override var typeName: String { "bytearray" }
}

public final class PyRange: PyObject {
    let start: Int, stop: Int, step: Int
    init(_ a: Int, _ b: Int, _ c: Int) { start = a; stop = b; step = c }
    override var typeName: String { "range" }
    /// The length, or nil when it does not fit in an Int (CPython raises OverflowError for len()).
    var exactCount: Int? {
        if step > 0 {
            if start >= stop { return 0 }
            let (d, o) = stop.subtractingReportingOverflow(start)
            if o { return nil }
            return (d - 1) / step + 1
        }
        if start <= stop { return 0 }
        let (d, o) = start.subtractingReportingOverflow(stop)
        if o || step == Int.min { return nil }
        return (d - 1) / (-step) + 1
    }
    var count: Int { exactCount ?? Int.max }
}

public final class PySlice: PyObject {
    let start: Value, stop: Value, step: Value
    init(_ a: Value, _ b: Value, _ c: Value) { start = a; stop = b; step = c }
    override var typeName: String { "slice" }
}

/// A local str that a loop builds with `s += t` and names nowhere else (`LoopNames.claimAppends`): its UTF-8 bytes
/// in a buffer that at least doubles when it grows, so that an append is a copy into spare room, where
/// `String.append` spends some 300 instructions on checks and bookkeeping. It lives only in that local's slot, from
/// the loop's first append to the loop's exit, which turns it back into a str (`settle`); nothing else sees it,
/// since nothing in the loop reads the local. CPython's counterpart is the in-place resize of `unicode_concatenate`
/// (`Python/ceval.c`).
final class StrBuilder: PyObject {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    /// The builder of `s + t`.
    init(_ s: PyStr, _ t: PyStr) {
        capacity = max(64, 2 * (s.utf8Count + t.utf8Count))
        base = malloc(capacity)!.assumingMemoryBound(to: UInt8.self)
        super.init()
        s.withBytes { append($0) }
        t.withBytes { append($0) }
    }
    deinit { free(base) }
    override var typeName: String { "str" }

    @inline(__always)
    func append(_ t: PyStr) {
        t.withBytes { append($0) }
    }

    @inline(__always)
    func append(_ b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress else { return }
        let n = b.count
        if n > capacity &- count { grow(count + n) }
        let dst = base + count
        // the usual append is a character or a few: a loop beats a call to memcpy
        if n <= 16 { for k in 0..<n { dst[k] = src[k] } } else { dst.update(from: src, count: n) }
        count &+= n
    }

    /// Appends `str(n)`: the decimal digits, after a minus sign when negative.
    func appendDecimal(_ n: Int) {
        if 20 > capacity &- count { grow(count + 20) }
        if n < 0 { base[count] = UInt8(ascii: "-"); count &+= 1 }
        var m = n.magnitude
        var digits = 1
        var t = m
        while t >= 10 { t /= 10; digits &+= 1 }
        var k = count &+ digits
        repeat {
            k &-= 1
            base[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
            m /= 10
        } while m != 0
        count &+= digits
    }

    /// realloc rather than allocate-and-copy: a large buffer is moved by remapping its pages, not by copying them.
    @inline(never)
    private func grow(_ needed: Int) {
        capacity = max(needed, 2 * capacity)
        base = realloc(base, capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    /// The text built so far (the bytes are valid UTF-8: they are whole strs, one after another).
    var string: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// Turns a builder in `slot` back into its str; leaves anything else as it is.
    static func settle(_ slot: UnsafeMutablePointer<Value>) {
        if let b = slot.strBuilder { slot.pointee = .str(PyStr(b._withUnsafeGuaranteedRef { $0.string })) }
    }
}

extension UnsafeMutablePointer where Pointee == Value {
    /// The `StrBuilder` this slot holds, not retained (the slot keeps it), or nil.
    @inline(__always)
    var strBuilder: Unmanaged<StrBuilder>? {
        // the value is moved out and back, so that looking at it costs no reference counting
        let v = move()
        defer { initialize(to: v) }
        if case .obj(let o) = v, type(of: o) == StrBuilder.self {
            return .passUnretained(unsafeDowncast(o, to: StrBuilder.self))
        }
        return nil
    }
}

/// A variable captured by an inner function (CPython's cell object).
public final class Cell: PyObject {
    @exclusivity(unchecked) var value: Value?
    init(_ v: Value? = nil) { value = v; super.init(); GC.track(self, .cell) }
    deinit { GC.untrack(self) }
    override var typeName: String { "cell" }
}

/// A user function or lambda: code plus defaults plus closure cells. First-class: call it from Swift
/// with `Interpreter.call(_:_:)`.
public final class PyFunction: PyObject {
    let code: FuncCode
    @exclusivity(unchecked) var defaults: [Value]        // for the last N positional params
    @exclusivity(unchecked) var kwDefaults: [String: Value]
    @exclusivity(unchecked) var closure: [Cell]
    /// `!closure.isEmpty`, read on every call without loading the array.
    let hasClosure: Bool
    let module: PyModule
    @exclusivity(unchecked) var dict: [String: Value] = [:]
    var qualname: String
    init(code: FuncCode, defaults: [Value], kwDefaults: [String: Value], closure: [Cell], module: PyModule) {
        self.code = code; self.defaults = defaults; self.kwDefaults = kwDefaults; self.closure = closure
        self.module = module; self.qualname = code.qualname
        hasClosure = !closure.isEmpty
        super.init()
        GC.track(self, .function)
    }
    deinit { GC.untrack(self) }
    override var typeName: String { "function" }
}

public typealias NativeFn = (Interpreter, [Value], [(String, Value)]) throws -> Value

/// A function implemented in Swift (builtins and native modules).
public final class PyBuiltin: PyObject {
    let name: String
    let fn: NativeFn
    @exclusivity(unchecked) var selfValue: Value?
    public init(_ name: String, _ fn: @escaping NativeFn) { self.name = name; self.fn = fn }
    override var typeName: String { "builtin_function_or_method" }
}

/// A method bound to its receiver (`obj.method` without a call).
public final class PyBoundMethod: PyObject {
    @exclusivity(unchecked) var receiver: Value
    @exclusivity(unchecked) var fn: Value
    init(_ r: Value, _ f: Value) { receiver = r; fn = f; super.init(); GC.track(self, .method) }
    deinit { GC.untrack(self) }
    override var typeName: String { "method" }
}

/// A method of a builtin type bound to its receiver, e.g. `"a,b".split`.
public final class PyNativeMethod: PyObject {
    let receiver: Value
    let name: String
    /// For a list's `append`, `pop` and `insert`: the call sites' inline operation (`CallExpr.hotMethod`'s
    /// numbers 2, 3, 4), so that a method kept in a variable (`pop = items.pop`) is called as directly; else 0.
    let listOp: UInt8
    init(_ r: Value, _ n: String) {
        receiver = r; name = n
        if case .list = r { listOp = n == "append" ? 2 : n == "pop" ? 3 : n == "insert" ? 4 : 0 } else { listOp = 0 }
    }
    override var typeName: String { "builtin_function_or_method" }
}

public final class PyClass: PyObject {
    var name: String
    @exclusivity(unchecked) var bases: [PyClass]
    @exclusivity(unchecked) var mro: [PyClass] = []
    /// The class namespace. Any change gives the class and its subclasses new version tags (`invalidateCaches`).
    var dict: [String: Value] { didSet { invalidateCaches() } }
    /// Changes whenever this class's namespace or a base's does: the attribute sites' caches key on it.
    @exclusivity(unchecked) var version = nextClassVersion()
    /// The classes derived from this one, whose tags change with this one's. Not owned (a class owns its bases):
    /// a subclass takes itself out when it goes. (Not `weak`: a weak reference gives every class a side table,
    /// and every retain and release of it the slow path.)
    var subclasses: [Unmanaged<PyClass>] = []
    /// The shape of an instance with no attributes yet: the root of this class's tree of layouts.
    private(set) lazy var rootShape = Shape(root: self)
    /// Set for builtin types (int, str, list, ...). Calling the class calls this.
    var native: NativeFn?
    /// How many attributes its instances have come to have (the longest shared layout made, at most
    /// `Shape.maxHint`): a new instance gets room for that many at once, not a buffer regrown at each attribute
    /// (CPython sizes a class's shared-key dicts alike).
    @exclusivity(unchecked) var slotsHint = 0
    /// How `C(...)` makes an instance of this user class, as found at its version tag (`Interpreter.instantiate`).
    @exclusivity(unchecked) var construction = ConstructionPlan()
    var isException = false
    var module = "builtins"
    /// The class's metaclass when it is not `type` (a user class deriving from `type`); see Classes.swift.
    var meta: PyClass?
    /// Whether the class or a base defines `__getattr__` or `__getattribute__` in Python.
    var definesAttributeHook: Bool {
        for name in ["__getattr__", "__getattribute__"] {
            if case .obj(let o)? = lookup(name), o is PyFunction { return true }
        }
        return false
    }
    init(name: String, bases: [PyClass], dict: [String: Value]) {
        self.name = name; self.bases = bases; self.dict = dict
        super.init()
        if let order = PyClass.c3(self, bases) {
            mro = order
        } else {
            // no consistent order (CPython refuses such a class): left to right, depth first, deduplicated
            mro = [self]
            for b in bases { for c in b.mro where !mro.contains(where: { $0 === c }) { mro.append(c) } }
        }
        isException = bases.contains { $0.isException }
        for b in bases { b.subclasses.append(.passUnretained(self)) }
    }
    deinit {
        for b in bases { b.subclasses.removeAll { $0.toOpaque() == Unmanaged.passUnretained(self).toOpaque() } }
    }
    override var typeName: String { "type" }
    /// The C3 linearisation of a class with these bases (CPython's `mro_implementation` in
    /// `Objects/typeobject.c`), or nil when there is none.
    static func c3(_ cls: PyClass, _ bases: [PyClass]) -> [PyClass]? {
        var seqs: [[PyClass]] = bases.map { $0.mro } + [bases]
        var order = [cls]
        while true {
            seqs.removeAll { $0.isEmpty }
            if seqs.isEmpty { return order }
            // the first head that is in no sequence's tail
            guard let next = seqs.lazy.map({ $0[0] }).first(where: { head in
                !seqs.contains { $0.dropFirst().contains { $0 === head } }
            }) else { return nil }
            order.append(next)
            seqs = seqs.map { $0[0] === next ? Array($0.dropFirst()) : $0 }
        }
    }

    /// The special methods the interpreter asks for on every comparison or truth test of an instance (`==` asks
    /// for `__eq__`, `if obj:` for `__bool__` and `__len__`), found as `lookup` finds them but kept by number
    /// under the version tag they were found with: no name is hashed (a Swift String hash was 3% of deltablue).
    enum Special: Int, CaseIterable {
        case eq, ne, lt, le, gt, ge, hash, bool, len, getattr, setattr, iter, getitem, contains
        var name: String { "__\(self)__" }
    }
    @exclusivity(unchecked) private var specialVersion = -1
    @exclusivity(unchecked) private var specialKnown: UInt16 = 0
    @exclusivity(unchecked) private var specialValues = [Value?](repeating: nil, count: Special.allCases.count)

    /// `lookup(s.name)`, answered from the per-number cache while the version tag is unchanged.
    @inline(__always)
    func lookup(_ s: Special) -> Value? {
        if specialVersion == version, specialKnown & (1 << s.rawValue) != 0 { return specialValues[s.rawValue] }
        return lookupSpecial(s)
    }

    @inline(never)
    private func lookupSpecial(_ s: Special) -> Value? {
        if specialVersion != version { specialVersion = version; specialKnown = 0 }
        let v = lookup(s.name)
        specialValues[s.rawValue] = v
        specialKnown |= 1 << s.rawValue
        return v
    }

    /// `n` looked up along the MRO. Answers (found or not) are kept in `TypeCache` under the class's version tag,
    /// so a name costs no hashing of its text however deep the hierarchy (CPython's type attribute cache,
    /// `Objects/typeobject.c`): a megamorphic attribute site (deltablue's constraints) asks here on every call.
    func lookup(_ n: String) -> Value? {
        let key = TypeCache.Key(version, n)
        if let known = TypeCache.find(key) { return known }
        var found: Value? = nil
        if mro.count == 1 { found = dict[n] } else { for c in mro { if let v = c.dict[n] { found = v; break } } }
        TypeCache.store(key, n, found)
        return found
    }
    func isSubclass(of other: PyClass) -> Bool { mro.contains { $0 === other } }
}

public final class PyInstance: PyObject {
    let cls: PyClass
    /// The layout of the instance's own attributes (see `Shape`) and their values, slot by slot.
    @exclusivity(unchecked) var shape: Shape
    @exclusivity(unchecked) var slots: [Value] = []
    /// The instance's own attributes as a dictionary (`__dict__`).
    var dict: InstanceDict { InstanceDict(inst: self) }
    /// Traceback entries recorded while an exception instance propagates.
    var traceback: [(String, Int, String)] = []
    @exclusivity(unchecked) var cause: Value = .none
    @exclusivity(unchecked) var context: Value = .none
    /// Native payload for builtin-backed instances (e.g. a logging.Logger or a compiled regex).
    @exclusivity(unchecked) var payload: AnyObject?
    init(_ cls: PyClass) {
        self.cls = cls
        shape = cls.rootShape
        if cls.slotsHint > 0 { slots.reserveCapacity(cls.slotsHint) }
        super.init()
        GC.track(self, .instance)
    }
    override var typeName: String { cls.name }
    deinit { GC.untrack(self); if !slots.isEmpty { Trash.release(&slots) } }
}

public final class PyModule: PyObject {
    public let name: String
    @exclusivity(unchecked) var globals: [String: GlobalBox] = [:]
    public init(name: String) { self.name = name }
    override var typeName: String { "module" }
    func box(_ n: String) -> GlobalBox {
        if let b = globals[n] { return b }
        let b = GlobalBox(n); globals[n] = b; return b
    }
    public func get(_ n: String) -> Value? { globals[n]?.value }
    public func set(_ n: String, _ v: Value) { box(n).value = v }
    /// The bound names and their values in the order they were bound (a module's `__dict__` order in CPython:
    /// what `globals()` and `vars()` list).
    var boundInOrder: [(String, Value)] {
        globals.values.filter { $0.value != nil }.sorted { $0.bound < $1.bound }.map { ($0.name, $0.value!) }
    }
}

/// A module-level variable. Name nodes hold the box directly, so a global read is one pointer load.
public final class GlobalBox {
    let name: String
    /// Bumped on every assignment, so call sites can cache what the box held without re-reading it.
    @exclusivity(unchecked) var version = 0
    @exclusivity(unchecked) var value: Value? {
        didSet {
            version &+= 1
            if value == nil { bound = 0 } else if bound == 0 { bound = GlobalBox.nextBinding() }
        }
    }
    /// When the name was last bound after being unbound (0 while unbound): orders `PyModule.boundInOrder`.
    @exclusivity(unchecked) private(set) var bound = 0
    nonisolated(unsafe) private static var bindings = 0
    private static func nextBinding() -> Int { bindings += 1; return bindings }
    init(_ n: String) { name = n }
}

/// A lazily produced sequence: generators, generator expressions, map/filter/zip objects, dict views' iterators.
public class PyIterator: PyObject {
    @exclusivity(unchecked) var nextFn: () throws -> Value?
    let kind: String
    init(_ kind: String = "iterator", _ f: @escaping () throws -> Value?) { self.kind = kind; nextFn = f }
    override var typeName: String { kind }
}

/// `enumerate(it)`: its pairs as tuples through `nextFn`, or one pair at a time without a tuple (`nextPair`, for
/// `for i, x in enumerate(...)` into two locals). The count goes on past Int.max as a big int, as CPython's does.
final class EnumerateIterator: PyIterator {
    final class State {
        let source: PyIterator
        @exclusivity(unchecked) var count: Value
        init(_ source: PyIterator, _ count: Value) { self.source = source; self.count = count }
        @inline(__always)
        func nextPair(_ interp: Interpreter) throws -> (Value, Value)? {
            guard let v = try source.nextFn() else { return nil }
            let current = count
            if case .int(let k) = count, k < Int.max { count = .int(k &+ 1) } else { count = try interp.binop(.add, count, .int(1)) }
            return (current, v)
        }
    }
    let state: State
    init(_ source: PyIterator, from start: Value, _ interp: Interpreter) {
        let state = State(source, start)
        self.state = state
        // the interpreter outlives its iterators
        let interpRef = Unmanaged.passUnretained(interp)
        super.init("enumerate") {
            guard let (k, v) = try state.nextPair(interpRef.object) else { return nil }
            return .tuple(PyTuple([k, v]))
        }
    }
}

/// A property object (`@property`), plus static/class method wrappers.
public final class PyProperty: PyObject {
    var getter: Value
    var setter: Value?
    init(_ g: Value) { getter = g }
    override var typeName: String { "property" }
}
public final class PyStaticMethod: PyObject {
    let fn: Value
    init(_ f: Value) { fn = f }
    override var typeName: String { "staticmethod" }
}
public final class PyClassMethod: PyObject {
    let fn: Value
    init(_ f: Value) { fn = f }
    override var typeName: String { "classmethod" }
}
/// `super()` bound to a class and an instance.
public final class PySuper: PyObject {
    let cls: PyClass
    let obj: Value
    init(_ c: PyClass, _ o: Value) { cls = c; obj = o }
    override var typeName: String { "super" }
}

/// An open file (only the std streams and files opened with `open`).
public final class PyFile: PyObject {
    let fd: Int32
    var name: String
    var buffer: [UInt8] = []
    var captured: [UInt8] = []
    var readData: [UInt8]? = nil
    var readPos = 0
    var closed = false
    let writable: Bool
    /// Flushed at every newline, as CPython's stdout is when it is a terminal (block-buffered otherwise).
    let lineBuffered: Bool
    init(fd: Int32, name: String, writable: Bool) {
        self.fd = fd; self.name = name; self.writable = writable
        lineBuffered = fd == 1 && isatty(1) != 0
    }
    override var typeName: String { "_io.TextIOWrapper" }

    /// Writes the buffered text to the descriptor (or, for captured output, to memory).
    func writeBuffer() {
        if buffer.isEmpty { return }
        if fd < 0 { captured.append(contentsOf: buffer); buffer.removeAll(keepingCapacity: true); return }
        var off = 0
        buffer.withUnsafeBytes { p in
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A file the program dropped without closing it is flushed and closed, as CPython's is when its last
    /// reference goes (`open(p, 'w').write(s)` writes `s`).
    deinit {
        guard fd > 2, !closed else { return }
        writeBuffer()
        close(fd)
    }
}

/// A file the interpreter opened for writing, held weakly: one still open when the program ends is flushed
/// then (`Interpreter.flushOpenFiles`), as CPython's are at shutdown.
struct OpenFile {
    weak var file: PyFile?
}

// MARK: - Hashing and identity equality for dict keys

extension Value: Hashable {
    public static func == (a: Value, b: Value) -> Bool { keyEquals(a, b) }

    public func hash(into h: inout Hasher) {
        switch self {
        case .none: h.combine(0x4e4f4e45)
        case .bool(let b): h.combine(b ? 1 : 0)
        case .int(let i): h.combine(i)
        case .bigBox(let b): h.combine(b.v)
        case .float(let d):
            if let i = Int(exactly: d) { h.combine(i) }   // as the equal int
            else if let b = BigInt(exactly: d) { h.combine(b) }   // as the equal big int
            else { h.combine(pyFloatHash(d)) }   // as hash(d), which a Decimal or Fraction equal to d shares
        case .str(let s): h.combine(s.hash)
        case .tuple(let t): h.combine(t.items.count); for x in t.items { x.hash(into: &h) }
        case .list(let l): h.combine(ObjectIdentifier(l))
        case .dict(let d): h.combine(ObjectIdentifier(d))
        case .obj(let o):
            if let b = o as? PyBytes { h.combine(b.b) }
            else if let s = o as? PySet, s.frozen { h.combine(s.d.count) }
            else if let b = self.builtinBaseKey { b.hash(into: &h) }
            else if let i = o as? PyInstance, i.cls.lookup(.hash) != nil, let interp = currentInterpreter,
                    let hv = try? interp.hashValue(.obj(i)) { h.combine(hv) }
            else { h.combine(ObjectIdentifier(o)) }
        }
    }
}

extension Value {
    /// As a dict or set key, an instance of a class deriving from a built-in type (`class Word(str)`) that
    /// defines neither `__eq__` nor `__hash__` is its built-in value: `{Word('a'): 1}['a']` finds it.
    var builtinBaseKey: Value? {
        guard case .obj(let o) = self, let i = o as? PyInstance, let b = i.payload as? BuiltinBase,
              i.cls.lookup(.eq) == nil, i.cls.lookup(.hash) == nil else { return nil }
        return b.value
    }
}

/// The interpreter running on this process, for dict keys whose `__eq__`/`__hash__` are Python code.
nonisolated(unsafe) var currentInterpreter: Interpreter?

final class HashOverride { let hash: Int; init(_ h: Int) { hash = h } }

func keyEquals(_ a: Value, _ b: Value) -> Bool {
    if let x = a.builtinBaseKey { return keyEquals(x, b) }
    if let y = b.builtinBaseKey { return keyEquals(a, y) }
    switch (a, b) {
    case (.int(let x), .int(let y)): return x == y
    case (.str(let x), .str(let y)): return PyStr.equal(x, y)
    case (.none, .none): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.float(let x), .float(let y)): return x == y
    case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y && Int(exactly: y) == x
    case (.bool(let x), .int(let y)), (.int(let y), .bool(let x)): return (x ? 1 : 0) == y
    case (.bool(let x), .float(let y)), (.float(let y), .bool(let x)): return (x ? 1.0 : 0.0) == y
    case (.bigBox(let x), .bigBox(let y)): return x.v == y.v
    case (.bigBox(let x), .float(let y)), (.float(let y), .bigBox(let x)):
        return !y.isNaN && x.compare(y) == 0
    case (.tuple(let x), .tuple(let y)):
        if x === y { return true }
        return x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { keyEquals($0, $1) }
    case (.list(let x), .list(let y)): return x === y
    case (.dict(let x), .dict(let y)): return x === y
    case (.obj(let x), .obj(let y)):
        if x === y { return true }
        if let p = x as? PyBytes, let q = y as? PyBytes { return p.b == q.b }
        if let p = x as? PySet, let q = y as? PySet { return p.d.count == q.d.count && p.elements.allSatisfy { q.contains($0) } }
        if let p = x as? PyInstance, p.cls.lookup(.eq) != nil, let interp = currentInterpreter {
            return (try? interp.eq(a, b)) ?? false
        }
        return false
    case (.obj(let p as PyInstance), _), (_, .obj(let p as PyInstance)):
        // an instance with __eq__ against a built-in value (a namedtuple against the equal tuple)
        guard p.cls.lookup(.eq) != nil, let interp = currentInterpreter else { return false }
        return (try? interp.eq(a, b)) ?? false
    default: return false
    }
}

extension Value {
    @inline(__always) static func fromBool(_ b: Bool) -> Value { .bool(b) }
    static func bigOrInt(_ b: BigInt) -> Value {
        if let i = b.asInt { return .int(i) }
        return .big(b)
    }
    public var isNone: Bool { if case .none = self { return true }; return false }
}

func parseBigLiteral(_ s: String) -> Value {
    var radix = 10
    var t = Substring(s)
    if t.hasPrefix("0x") { radix = 16; t = t.dropFirst(2) } else if t.hasPrefix("0o") { radix = 8; t = t.dropFirst(2) } else if t.hasPrefix("0b") { radix = 2; t = t.dropFirst(2) }
    if let b = bigFromString(t, radix) { return .bigOrInt(b) }
    return .int(0)
}

/// Parses digits in any radix 2...36 with an optional leading '-' (GMP's parser would skip spaces: checked first).
func bigFromString<S: StringProtocol>(_ s: S, _ radix: Int) -> BigInt? {
    var t = Substring(s)
    var neg = false
    if t.hasPrefix("-") { neg = true; t = t.dropFirst() }
    if t.isEmpty || radix < 2 || radix > 36 { return nil }
    for c in t.utf8 {
        let d: Int
        switch c {
        case 48...57: d = Int(c) - 48
        case 97...122: d = Int(c) - 87
        case 65...90: d = Int(c) - 55
        default: return nil
        }
        if d >= radix { return nil }
    }
    guard let r = PyBig.parse(digits: t, radix: radix) else { return nil }
    return neg ? -r : r
}

/// The builtin value held by an instance of a user subclass of a builtin type (`class Stack(list)`).
/// What calling a user class does, worked out once per version tag of the class (a change to it or a base gives a
/// new tag): no lookups by name on each construction.
struct ConstructionPlan {
    var version = -1
    /// The class derives from `type`: a metaclass, whose call makes a class.
    var metaclass = false
    /// A `__new__` written in Python (a function or a staticmethod's function).
    var userNew: Value?
    /// The builtin type whose value its instances carry (`class OC(list)`), and whether that value is mutable
    /// (made empty, then filled by `__init__`).
    var base: PyClass?
    var mutable = false
    /// The `__init__` the class finds, and whether it is the mutable base's own (which has nothing to do for a
    /// call without arguments on the empty value just made).
    var initializer: Value?
    var initializerIsBaseOwn = false
}

final class BuiltinBase {
    let value: Value
    init(_ v: Value) { value = v }
}
