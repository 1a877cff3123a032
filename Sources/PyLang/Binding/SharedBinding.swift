// multiprocessing.Value, Array (and RawValue, RawArray) and shared_memory.SharedMemory with its memoryview.
// Mirrors CPython's `Lib/multiprocessing/sharedctypes.py` and `shared_memory.py`.
import Multiprocessing
#if canImport(Glibc)
import Glibc
#endif

/// A C type of `multiprocessing.Value`/`Array`, by its array-module typecode.
struct CType {
    let code: Character
    let size: Int
    let name: String
    let isFloat: Bool
    static let all: [Character: CType] = {
        var d: [Character: CType] = [:]
        for (c, s, n, f) in [("b", 1, "c_byte", false), ("B", 1, "c_ubyte", false), ("h", 2, "c_short", false),
                             ("H", 2, "c_ushort", false), ("i", 4, "c_int", false), ("I", 4, "c_uint", false),
                             ("l", 8, "c_long", false), ("L", 8, "c_ulong", false), ("q", 8, "c_long", false),
                             ("Q", 8, "c_ulong", false), ("f", 4, "c_float", true), ("d", 8, "c_double", true),
                             ("c", 1, "c_char", false), ("?", 1, "c_bool", false)] as [(Character, Int, String, Bool)] {
            d[c] = CType(code: c, size: s, name: n, isFloat: f)
        }
        return d
    }()
}

/// The shared memory of a Value or Array, its C type, and the lock guarding it (nil for Raw*).
final class CTypesBox {
    let memory: SharedMemory
    let type: CType
    let count: Int
    let isArray: Bool
    let lockValue: Value?
    init(type: CType, count: Int, isArray: Bool, lock: Value?) throws {
        memory = try SharedMemory(anonymousSize: max(1, type.size * count), debugName: "mpsh-value")
        self.type = type; self.count = count; self.isArray = isArray; lockValue = lock
    }
    /// A Value or Array received by a spawned child: the same memory.
    init(memory: SharedMemory, type: CType, count: Int, isArray: Bool, lock: Value?) {
        self.memory = memory
        self.type = type; self.count = count; self.isArray = isArray; lockValue = lock
    }
    var base: UnsafeMutableRawPointer { memory.buffer.baseAddress! }

    func load(_ k: Int) -> Value {
        let p = base + k * type.size
        switch type.code {
        case "b": return .int(Int(p.loadUnaligned(as: Int8.self)))
        case "B": return .int(Int(p.loadUnaligned(as: UInt8.self)))
        case "h": return .int(Int(p.loadUnaligned(as: Int16.self)))
        case "H": return .int(Int(p.loadUnaligned(as: UInt16.self)))
        case "i": return .int(Int(p.loadUnaligned(as: Int32.self)))
        case "I": return .int(Int(p.loadUnaligned(as: UInt32.self)))
        case "l", "q": return .int(p.loadUnaligned(as: Int.self))
        case "L", "Q":
            let u = p.loadUnaligned(as: UInt64.self)
            return u <= UInt64(Int.max) ? .int(Int(u)) : .bigOrInt(BigInt(u))
        case "f": return .float(Double(p.loadUnaligned(as: Float.self)))
        case "d": return .float(p.loadUnaligned(as: Double.self))
        case "?": return .bool(p.loadUnaligned(as: UInt8.self) != 0)
        default: return .obj(PyBytes([p.loadUnaligned(as: UInt8.self)]))
        }
    }

    func store(_ k: Int, _ v: Value, _ interp: Interpreter) throws {
        let p = base + k * type.size
        if type.isFloat {
            let d: Double
            switch v {
            case .int, .float, .bool, .bigBox: d = try interp.toDouble(v)
            default: throw interp.typeError("must be real number, not \(interp.typeName(v))")
            }
            if type.code == "f" { p.storeBytes(of: Float(d), toByteOffset: 0, as: Float.self) } else { p.storeBytes(of: d, toByteOffset: 0, as: Double.self) }
            return
        }
        if type.code == "?" {   // c_bool: any value's truth, as ctypes stores it
            p.storeBytes(of: try interp.truthy(v) ? 1 : 0, toByteOffset: 0, as: UInt8.self)
            return
        }
        if type.code == "c" {
            switch v {
            case .obj(let b as PyBytes) where b.b.count == 1: p.storeBytes(of: b.b[0], toByteOffset: 0, as: UInt8.self)
            case .int(let x) where (0...255).contains(x): p.storeBytes(of: UInt8(x), toByteOffset: 0, as: UInt8.self)
            default: throw interp.typeError("one character bytes, bytearray or integer expected")
            }
            return
        }
        let i: Int
        switch v {
        case .int(let x): i = x
        case .bool(let b): i = b ? 1 : 0
        case .bigBox(let b): i = Int(truncatingIfNeeded: b.v)
        case .float: throw interp.typeError("int expected instead of float")
        default: throw interp.typeError("an integer is required (got type \(interp.typeName(v)))")
        }
        switch type.size {   // C's conversion: the low bits
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: i), toByteOffset: 0, as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: i), toByteOffset: 0, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: i), toByteOffset: 0, as: UInt32.self)
        default: p.storeBytes(of: i, toByteOffset: 0, as: Int.self)
        }
    }
}

/// A view of shared memory bytes (`SharedMemory.buf`). Released when its block is closed.
final class MemoryViewBox {
    let owner: SharedMemoryBox
    let start: Int
    let count: Int
    init(_ o: SharedMemoryBox, _ s: Int, _ c: Int) { owner = o; start = s; count = c }
    func bytes() -> [UInt8] {
        guard let m = owner.memory, !owner.closed else { return [] }
        return Array(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(m.buffer)[start..<(start + count)]))
    }
}

final class SharedMemoryBox {
    var memory: SharedMemory?
    var closed = false
    init(_ m: SharedMemory) { memory = m }
}


extension MPBinding {
    func ctype(_ v: Value?) throws -> CType {
        guard var v else { throw interp.typeError("missing typecode") }
        // a ctypes type (`Value(c_double, 0.0)`, `Array(c_int, 10)`): its `_type_` code, as CPython's sharedctypes
        if case .obj(let c as PyClass) = v, let code = c.lookup("_type_") { v = code }
        guard case .str(let s) = v, s.count == 1, let t = CType.all[s.s.first!] else {
            let shown = (try? interp.repr(v)) ?? "?"
            throw interp.typeError("unknown typecode \(shown): use one of 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'f', 'd', 'c', '?' or a ctypes type")
        }
        return t
    }

    /// The lock argument: True/None → a new RLock, False → none, else a Lock or RLock object.
    func lockArgument(_ v: Value?, raw: Bool) throws -> Value? {
        if raw { return nil }
        guard let v, !v.isNone, v != .bool(true) else { return try interp.call(.obj(rlockClass), [], []) }
        if case .bool(false) = v { return nil }
        if case .obj(let i as PyInstance) = v, i.payload is LockBox || i.payload is RLockBox { return v }
        throw err("AttributeError", "\((try? interp.repr(v)) ?? "lock") has no method 'acquire'")
    }

    func newValue(_ a: [Value], _ kw: [(String, Value)], raw: Bool) throws -> Value {
        var kw = kw
        let lockArg = kw.first { $0.0 == "lock" }?.1
        kw.removeAll { $0.0 == "lock" }
        let b = try bind(a, kw, ["typecode_or_type", "value"], raw ? "RawValue" : "Value")
        let t = try ctype(b[0])
        let box = try lib { try CTypesBox(type: t, count: 1, isArray: false, lock: try lockArgument(lockArg, raw: raw || lockArg == .bool(false))) }
        if let v = b[1] { try box.store(0, v, interp) }
        return instance(valueClass, box)
    }

    func newArray(_ a: [Value], _ kw: [(String, Value)], raw: Bool) throws -> Value {
        var kw = kw
        let lockArg = kw.first { $0.0 == "lock" }?.1
        kw.removeAll { $0.0 == "lock" }
        let b = try bind(a, kw, ["typecode_or_type", "size_or_initializer"], raw ? "RawArray" : "Array")
        let t = try ctype(b[0])
        guard let si = b[1] else { throw interp.typeError("Array() missing required argument 'size_or_initializer'") }
        var initial: [Value] = []
        var count = 0
        switch si {
        case .int(let n): count = n
        case .bigBox: throw err("OverflowError", "cannot fit 'int' into an index-sized integer")
        default: initial = try interp.toArray(si); count = initial.count
        }
        if count < 0 { throw err("ValueError", "Array length must be >= 0, not \(count)") }
        // CPython's ctypes check: the byte size must fit in a signed machine word
        let (bytes, overflow) = count.multipliedReportingOverflow(by: t.size)
        if overflow || bytes == Int.max { throw err("OverflowError", "array too large") }
        let box = try lib { try CTypesBox(type: t, count: count, isArray: true, lock: try lockArgument(lockArg, raw: raw || lockArg == .bool(false))) }
        for (k, v) in initial.enumerated() { try box.store(k, v, interp) }
        return instance(arrayClass, box)
    }

    func ctBox(_ v: Value) throws -> CTypesBox { try payload(v, CTypesBox.self, "Value") }

    /// Runs `body` holding the object's lock, as CPython's synchronized wrappers do for every access.
    func locked<T>(_ box: CTypesBox, _ body: () throws -> T) throws -> T {
        guard let l = box.lockValue else { return try body() }
        _ = try interp.callMethod(l, "acquire", [], [])
        defer { _ = try? interp.callMethod(l, "release", [], []) }
        return try body()
    }

    func makeSharedClasses() {
        let lockMembers: [(String, Value)] = [
            method("get_lock") { [unowned self] _, a, _ in
                guard let l = try self.ctBox(a[0]).lockValue else { throw self.err("AttributeError", "'\(try self.ctBox(a[0]).type.name)' object has no attribute 'get_lock'") }
                return l
            },
            method("acquire") { [unowned self] i, a, kw in
                guard let l = try self.ctBox(a[0]).lockValue else { throw self.err("AttributeError", "no lock") }
                return try i.callMethod(l, "acquire", Array(a.dropFirst()), kw)
            },
            method("release") { [unowned self] i, a, _ in
                guard let l = try self.ctBox(a[0]).lockValue else { throw self.err("AttributeError", "no lock") }
                return try i.callMethod(l, "release", [], [])
            },
        ] + withSupport()
        valueClass = makeClass("Synchronized", module: "multiprocessing.sharedctypes", lockMembers + [
            property("value", get: { [unowned self] _, a, _ in
                let b = try self.ctBox(a[0])
                return try self.locked(b) { b.load(0) }
            }, set: { [unowned self] i, a, _ in
                let b = try self.ctBox(a[0])
                try self.locked(b) { try b.store(0, a[1], i) }
                return .none
            }),
            method("__repr__") { [unowned self] i, a, _ in
                let b = try self.ctBox(a[0])
                let inner = "\(b.type.name)(\(try i.repr(b.load(0))))"
                return .str(b.lockValue == nil ? inner : "<Synchronized wrapper for \(inner)>")
            },
        ])
        arrayClass = makeClass("SynchronizedArray", module: "multiprocessing.sharedctypes", lockMembers + [
            method("__len__") { [unowned self] _, a, _ in .int(try self.ctBox(a[0]).count) },
            property("value", get: { [unowned self] _, a, _ in
                let b = try self.charArray(a[0], "value")
                return try self.locked(b) {
                    let all = UnsafeRawBufferPointer(start: b.base, count: b.count)
                    return .obj(PyBytes(Array(all.prefix { $0 != 0 })))
                }
            }, set: { [unowned self] i, a, _ in
                let b = try self.charArray(a[0], "value")
                let src = try self.bytesLike(a[1])
                if src.count > b.count { throw self.err("ValueError", "byte string too long") }
                try self.locked(b) {
                    for (k, x) in src.enumerated() { (b.base + k).storeBytes(of: x, as: UInt8.self) }
                    if src.count < b.count { (b.base + src.count).storeBytes(of: 0, as: UInt8.self) }
                }
                _ = i
                return .none
            }),
            property("raw", get: { [unowned self] _, a, _ in
                let b = try self.charArray(a[0], "raw")
                return try self.locked(b) { .obj(PyBytes(Array(UnsafeRawBufferPointer(start: b.base, count: b.count)))) }
            }, set: { [unowned self] _, a, _ in
                // every byte given, no NUL added (ctypes' c_char array `.raw`)
                let b = try self.charArray(a[0], "raw")
                let src = try self.bytesLike(a[1])
                if src.count > b.count { throw self.err("ValueError", "byte string too long") }
                try self.locked(b) {
                    for (k, x) in src.enumerated() { (b.base + k).storeBytes(of: x, as: UInt8.self) }
                }
                return .none
            }),
            method("__getitem__") { [unowned self] i, a, _ in
                let b = try self.ctBox(a[0])
                if case .obj(let s as PySlice) = a[1] {
                    let (start, stop, step) = try i.sliceIndices(s, b.count)
                    if b.type.code == "c" {   // a char array's slice is bytes, as ctypes' c_char arrays
                        return try self.locked(b) { .obj(PyBytes(stride(from: start, to: stop, by: step).map { (b.base + $0).load(as: UInt8.self) })) }
                    }
                    return try self.locked(b) { .list(PyList(stride(from: start, to: stop, by: step).map { b.load($0) })) }
                }
                let k = try self.arrayIndex(a[1], b.count)
                return try self.locked(b) { b.load(k) }
            },
            method("__setitem__") { [unowned self] i, a, _ in
                let b = try self.ctBox(a[0])
                if case .obj(let s as PySlice) = a[2 - 1] {
                    let (start, stop, step) = try i.sliceIndices(s, b.count)
                    let idx = Array(stride(from: start, to: stop, by: step))
                    let vals = try i.toArray(a[2])
                    if vals.count != idx.count { throw self.err("ValueError", "Can only assign sequence of same size") }
                    try self.locked(b) { for (k, v) in zip(idx, vals) { try b.store(k, v, i) } }
                    return .none
                }
                let k = try self.arrayIndex(a[1], b.count)
                try self.locked(b) { try b.store(k, a[2], i) }
                return .none
            },
            method("__iter__") { [unowned self] i, a, _ in
                let b = try self.ctBox(a[0])
                let items = try self.locked(b) { (0..<b.count).map { b.load($0) } }
                return .obj(try i.getIter(.list(PyList(items))))
            },
            method("__repr__") { [unowned self] i, a, _ in
                let b = try self.ctBox(a[0])
                let inner = "<multiprocessing.sharedctypes.\(b.type.name)_Array_\(b.count) object at \(i.addr(b))>"
                return .str(b.lockValue == nil ? inner : "<SynchronizedArray wrapper for \(inner)>")
            },
        ])

        memoryviewClass = makeClass("memoryview", module: "builtins", [
            method("__len__") { [unowned self] _, a, _ in .int(try self.view(a[0]).count) },
            method("__getitem__") { [unowned self] i, a, _ in
                let v = try self.view(a[0])
                let buf = try self.viewBuffer(v)
                if case .obj(let s as PySlice) = a[1] {
                    let (start, stop, step) = try i.sliceIndices(s, v.count)
                    if step != 1 { throw self.err("NotImplementedError", "memoryview slices with a step are not supported") }
                    return self.instance(self.memoryviewClass, MemoryViewBox(v.owner, v.start + start, max(0, stop - start)))
                }
                let k = try i.normIndex(try i.toIndex(a[1], "memoryview"), v.count, "index out of bounds on dimension 1")
                return .int(Int(buf[v.start + k]))
            },
            method("__setitem__") { [unowned self] i, a, _ in
                let v = try self.view(a[0])
                let buf = try self.viewBuffer(v)
                if case .obj(let s as PySlice) = a[1] {
                    let (start, stop, step) = try i.sliceIndices(s, v.count)
                    if step != 1 { throw self.err("NotImplementedError", "memoryview slices with a step are not supported") }
                    let src = try self.bytesLike(a[2])
                    if src.count != max(0, stop - start) {
                        throw self.err("ValueError", "memoryview assignment: lvalue and rvalue have different structures")
                    }
                    for (k, x) in src.enumerated() { buf[v.start + start + k] = x }
                    return .none
                }
                let k = try i.normIndex(try i.toIndex(a[1], "memoryview"), v.count, "index out of bounds on dimension 1")
                let x = try i.intArg(a[2])
                if x < 0 || x > 255 { throw self.err("ValueError", "memoryview: invalid value for format 'B'") }
                buf[v.start + k] = UInt8(x)
                return .none
            },
            method("__iter__") { [unowned self] i, a, _ in
                let v = try self.view(a[0])
                _ = try self.viewBuffer(v)
                return .obj(try i.getIter(.list(PyList(v.bytes().map { .int(Int($0)) }))))
            },
            method("tobytes") { [unowned self] _, a, _ in
                let v = try self.view(a[0]); _ = try self.viewBuffer(v); return .obj(PyBytes(v.bytes()))
            },
            method("tolist") { [unowned self] _, a, _ in
                let v = try self.view(a[0]); _ = try self.viewBuffer(v); return .list(PyList(v.bytes().map { .int(Int($0)) }))
            },
            method("release") { _, _, _ in .none },
            property("nbytes", get: { [unowned self] _, a, _ in .int(try self.view(a[0]).count) }),
            method("__repr__") { i, a, _ in
                guard case .obj(let o) = a[0] else { return .str("<memory>") }
                return .str("<memory at \(i.addr(o))>")
            },
        ])

        sharedMemoryClass = makeClass("SharedMemory", module: "multiprocessing.shared_memory", [
            method("__init__") { [unowned self] i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let b = try self.bind(Array(a.dropFirst()), kw, ["name", "create", "size"], "SharedMemory")
                var name: String?
                if let n = b[0], !n.isNone { name = try i.strArg(n, "SharedMemory") }
                let create = try self.truthy(b[1], default: false)
                let size = try b[2].map { try i.intArg($0) } ?? 0
                if size < 0 { throw self.err("ValueError", "'size' must be a positive integer") }
                if create && size == 0 { throw self.err("ValueError", "'size' must be a positive number different from zero") }
                if !create && name == nil { throw self.err("ValueError", "'name' can only be None if create=True") }
                if let n = name, n.hasPrefix("/") { name = String(n.dropFirst()) }
                do throws(SystemError) {
                    if create { SharedMemoryTracker.start() }  // the program's blocks outlive their creators
                    inst.payload = SharedMemoryBox(try SharedMemory(name: name, create: create, size: size))
                } catch {
                    if error.errno == ENOENT { throw self.err("FileNotFoundError", "[Errno 2] No such file or directory: '/\(name ?? "")'") }
                    if error.errno == EEXIST { throw self.err("FileExistsError", "[Errno 17] File exists: '/\(name ?? "")'") }
                    throw self.pyError(error)
                }
                return .none
            },
            property("name", get: { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SharedMemoryBox.self, "SharedMemory")
                return s.memory?.name.map { .str($0) } ?? .none
            }),
            property("size", get: { [unowned self] _, a, _ in .int(try self.payload(a[0], SharedMemoryBox.self, "SharedMemory").memory?.size ?? 0) }),
            property("buf", get: { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SharedMemoryBox.self, "SharedMemory")
                guard let m = s.memory, !s.closed else { return .none }
                return self.instance(self.memoryviewClass, MemoryViewBox(s, 0, m.size))
            }),
            method("close") { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SharedMemoryBox.self, "SharedMemory")
                if !s.closed { s.closed = true; s.memory?.close() }
                return .none
            },
            method("unlink") { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SharedMemoryBox.self, "SharedMemory")
                guard let m = s.memory else { return .none }
                // CPython's unlinks the name again each time: a second unlink finds none
                if let name = m.name, !m.isLinked {
                    throw self.err("FileNotFoundError", "[Errno 2] No such file or directory: '/\(name)'")
                }
                try self.lib { try m.unlink() }
                return .none
            },
            method("__repr__") { [unowned self] i, a, _ in
                let s = try self.payload(a[0], SharedMemoryBox.self, "SharedMemory")
                guard let m = s.memory else { return .str("SharedMemory()") }
                return .str("SharedMemory(\(m.name.map { strRepr($0) } ?? "None"), size=\(m.size))")
            },
            method("__enter__") { _, a, _ in a[0] },
            method("__exit__") { [unowned self] _, a, _ in
                let s = try self.payload(a[0], SharedMemoryBox.self, "SharedMemory")
                if !s.closed { s.closed = true; s.memory?.close() }
                return .bool(false)
            },
        ])
    }

    func charArray(_ v: Value, _ attr: String) throws -> CTypesBox {
        let b = try ctBox(v)
        guard b.type.code == "c" else { throw err("AttributeError", "'\(b.type.name)_Array_\(b.count)' object has no attribute '\(attr)'") }
        return b
    }

    func arrayIndex(_ v: Value, _ n: Int) throws -> Int {
        var k = try interp.intArg(v)
        if k < 0 { k += n }
        if k < 0 || k >= n { throw err("IndexError", "invalid index") }
        return k
    }

    func view(_ v: Value) throws -> MemoryViewBox { try payload(v, MemoryViewBox.self, "memoryview") }

    func viewBuffer(_ v: MemoryViewBox) throws -> UnsafeMutableRawBufferPointer {
        guard let m = v.owner.memory, !v.owner.closed else {
            throw err("ValueError", "operation forbidden on released memoryview object")
        }
        return m.buffer
    }
}
