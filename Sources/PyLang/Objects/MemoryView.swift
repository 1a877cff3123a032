// memoryview over bytes, bytearray and array.array: one dimension, the native single-character formats (CPython's
// struct codes with native sizes, little-endian), slices with steps, casts between bytes and other formats, writes
// through to a bytearray or an array. Mirrors CPython's `Objects/memoryobject.c`. (SharedMemory.buf is the
// binding's own view over mapped memory: `Binding/SharedBinding.swift`.)
import Foundation

/// What a memoryview's items live in.
enum BufferSource {
    case bytes(PyBytes)
    case bytearray(PyByteArray)
    /// An `array.array` (the class in `CPyLib/python/array.py`): its items are the Python values in the list it
    /// keeps in `_a`, each standing for `itemsize` bytes laid out as its typecode says.
    case array(PyInstance, typecode: Character)

    /// The list an array keeps its items in (looked up at each access: the array may put a new one there).
    static func arrayItems(_ a: PyInstance) -> PyList? {
        if case .list(let l)? = a.attr("_a") { return l }
        return nil
    }

    /// The size of an array item of typecode `tc` (its exported format's).
    static func arrayItemSize(_ tc: Character) -> Int { tc == "u" ? 4 : MemoryViewPayload.sizes[tc] ?? 1 }

    /// The number of bytes.
    var count: Int {
        switch self {
        case .bytes(let b): return b.b.count
        case .bytearray(let b): return b.b.count
        case .array(let a, let tc): return (BufferSource.arrayItems(a)?.items.count ?? 0) * BufferSource.arrayItemSize(tc)
        }
    }

    /// `n` bytes from byte `at` (zeros for any past the end: an object resized under its view is not read beyond
    /// its memory).
    func read(_ at: Int, _ n: Int) -> [UInt8] {
        switch self {
        case .bytes(let b): return BufferSource.slice(b.b, at, n)
        case .bytearray(let b): return BufferSource.slice(b.b, at, n)
        case .array(let a, let tc):
            let size = BufferSource.arrayItemSize(tc)
            var out: [UInt8] = []
            out.reserveCapacity(n)
            guard let items = BufferSource.arrayItems(a)?.items else { return [UInt8](repeating: 0, count: n) }
            var k = at / size, skip = at % size
            while out.count < n {
                if k >= items.count { out += [UInt8](repeating: 0, count: n - out.count); break }
                out += BufferSource.packStored(items[k], tc, size)[skip...].prefix(n - out.count)
                skip = 0
                k += 1
            }
            return out
        }
    }

    static func slice(_ b: [UInt8], _ at: Int, _ n: Int) -> [UInt8] {
        if at + n <= b.count { return Array(b[at..<(at + n)]) }
        let have = at < b.count ? Array(b[at...]) : []
        return have + [UInt8](repeating: 0, count: n - have.count)
    }

    /// Writes `bytes` from byte `at` (of a bytearray or an array; what lies past the end is dropped).
    func write(_ at: Int, _ bytes: [UInt8]) {
        switch self {
        case .bytes: return
        case .bytearray(let b):
            for (j, x) in bytes.enumerated() where at + j < b.b.count { b.b[at + j] = x }
        case .array(let a, let tc):
            guard let list = BufferSource.arrayItems(a) else { return }
            let size = BufferSource.arrayItemSize(tc)
            var k = at / size, off = at % size, j = 0
            while j < bytes.count && k < list.items.count {
                var item = BufferSource.packStored(list.items[k], tc, size)
                while off < size && j < bytes.count { item[off] = bytes[j]; off += 1; j += 1 }
                list.items[k] = BufferSource.decodeStored(item, tc)
                off = 0
                k += 1
            }
        }
    }

    /// The bytes of an array's item `v` (an int, a float or, for 'u', a one-character str).
    static func packStored(_ v: Value, _ tc: Character, _ size: Int) -> [UInt8] {
        var u: UInt64 = 0
        switch v {
        case .int(let n): u = UInt64(bitPattern: Int64(n))
        case .bigBox(let b): u = b.lowBits
        case .bool(let b): u = b ? 1 : 0
        case .float(let d): u = tc == "f" ? UInt64(Float(d).bitPattern) : d.bitPattern
        case .str(let s): u = UInt64(s.s.unicodeScalars.first?.value ?? 0)
        default: break
        }
        return (0..<size).map { UInt8(truncatingIfNeeded: u >> (8 * UInt64($0))) }
    }

    /// The array item whose bytes are `raw`: the value array.py keeps for typecode `tc`.
    static func decodeStored(_ raw: [UInt8], _ tc: Character) -> Value {
        if tc != "u" { return MemoryViewPayload.decode(raw, tc) }
        var u: UInt32 = 0
        for (n, x) in raw.enumerated() { u |= UInt32(x) << (8 * UInt32(n)) }
        return .str(PyStr(String(Unicode.Scalar(u) ?? "\u{FFFD}")))
    }
}

/// A view: `count` items of `itemsize` bytes, the first at byte `start`, one every `stride` bytes.
final class MemoryViewPayload {
    let obj: Value
    let source: BufferSource
    let start: Int, count: Int, stride: Int
    let format: Character
    /// The format as the view shows it: what a cast was given ('@B' stays '@B').
    let formatText: String
    let itemsize: Int
    let readonly: Bool
    var released = false

    init(_ obj: Value, _ source: BufferSource, start: Int, count: Int, stride: Int, format: Character, readonly: Bool,
         formatText: String? = nil) {
        self.obj = obj; self.source = source
        self.start = start; self.count = count; self.stride = stride
        self.formatText = formatText ?? String(format)
        self.format = format; itemsize = format == MemoryViewPayload.wideChar ? 4 : MemoryViewPayload.sizes[format]!
        self.readonly = readonly
    }

    /// A view freed without release() gives its export back, as CPython's memory_dealloc.
    deinit {
        if !released { MemoryViewPayload.unexport(source) }
    }

    /// The native sizes of the formats a memoryview reads (struct's `@` mode on 64-bit Linux).
    static let sizes: [Character: Int] = ["b": 1, "B": 1, "c": 1, "?": 1, "h": 2, "H": 2, "i": 4, "I": 4, "l": 8,
                                          "L": 8, "q": 8, "Q": 8, "n": 8, "N": 8, "f": 4, "d": 8, "P": 8]
    /// The format of a 'u' array's view (wchar_t): bytes only, its items are not unpacked, as in CPython.
    static let wideChar: Character = "w"

    /// Counts an export of `source` (a bytearray or an array cannot change size while it has any).
    static func export(_ source: BufferSource) {
        switch source {
        case .bytes: break
        case .bytearray(let b): b.exports += 1
        case .array(let a, _): a.setAttr("_exports", .int(arrayExports(a) + 1))
        }
    }

    static func unexport(_ source: BufferSource) {
        switch source {
        case .bytes: break
        case .bytearray(let b): b.exports -= 1
        case .array(let a, _): a.setAttr("_exports", .int(max(0, arrayExports(a) - 1)))
        }
    }

    static func arrayExports(_ a: PyInstance) -> Int {
        if case .int(let n)? = a.attr("_exports") { return n }
        return 0
    }

    /// As CPython's flags for one dimension: one item, or items side by side (an empty view with a step is not).
    var contiguous: Bool { count == 1 || stride == itemsize }

    /// The bytes of item `k`.
    func itemBytes(_ k: Int) -> [UInt8] { source.read(start + k * stride, itemsize) }

    /// The viewed bytes, item after item.
    func bytes() -> [UInt8] {
        if contiguous { return source.read(start, count * itemsize) }
        var out: [UInt8] = []
        out.reserveCapacity(count * itemsize)
        for k in 0..<count { out += itemBytes(k) }
        return out
    }

    /// Item `k` as a Python value (not for format 'w': `unpackable` first).
    func item(_ k: Int) -> Value {
        if case .array(let a, let tc) = source, tc == format, let list = BufferSource.arrayItems(a) {
            // the array's own items in their own format: the value it keeps
            let at = start + k * stride
            if at % itemsize == 0 && at / itemsize < list.items.count { return list.items[at / itemsize] }
        }
        return MemoryViewPayload.decode(itemBytes(k), format)
    }

    /// The value of an item of format `format` whose bytes are `raw`.
    static func decode(_ raw: [UInt8], _ format: Character) -> Value {
        var u: UInt64 = 0
        for (n, x) in raw.enumerated() { u |= UInt64(x) << (8 * UInt64(n)) }
        switch format {
        case "c": return .obj(PyBytes(raw))
        case "?": return .bool(u != 0)
        case "f": return .float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: u))))
        case "d": return .float(Double(bitPattern: u))
        case "b", "h", "i", "l", "q", "n":
            let shift = UInt64(64 - 8 * raw.count)
            return .int(Int(Int64(bitPattern: u << shift) >> Int64(shift)))
        default:
            return u > UInt64(Int.max) ? .big(BigInt(u)) : .int(Int(u))
        }
    }
}

extension Interpreter {
    func memoryViewPayload(_ v: Value) -> MemoryViewPayload? {
        if case .obj(let o as PyInstance) = v, let p = o.payload as? MemoryViewPayload { return p }
        return nil
    }

    /// An int, or an object that stands for one (`__index__`, an int subclass).
    func isIndexLike(_ v: Value) -> Bool {
        if isIntLike(v) { return true }
        if case .obj(let o as PyInstance) = v { return o.payload is BuiltinBase || o.cls.lookup("__index__") != nil }
        return false
    }

    /// The payload of a memoryview that has not been released: CPython's ValueError otherwise.
    func liveView(_ v: Value) throws -> MemoryViewPayload {
        guard let p = memoryViewPayload(v) else { throw typeError("descriptor requires a 'memoryview' object") }
        if p.released { throw err("ValueError", "operation forbidden on released memoryview object") }
        return p
    }

    /// The bytes of item `k` for a value written into a view of format `f`, with CPython's errors.
    func packItem(_ v: Value, _ f: Character, _ size: Int) throws -> [UInt8] {
        func invalid(_ what: String) -> PyException { err(what == "type" ? "TypeError" : "ValueError", "memoryview: invalid \(what) for format '\(f)'") }
        var u: UInt64
        switch f {
        case "c":
            guard case .obj(let b as PyBytes) = v else { throw invalid("type") }
            guard b.b.count == 1 else { throw invalid("value") }
            return b.b
        case "?":
            u = try truthy(v) ? 1 : 0
        case "f", "d":
            guard let d = try? toDouble(v), !v.isStr else { throw invalid("type") }
            u = f == "f" ? UInt64(Float(d).bitPattern) : d.bitPattern
        default:
            guard isIntLike(v) else { throw invalid("type") }
            let whole = try toInt(v)
            if case .bigBox(let b) = whole {
                // unsigned 64-bit items from 2**63 up
                guard size == 8, "LQN".contains(f), !b.isNegative, b.bitLength <= 64 else { throw invalid("value") }
                let u = b.lowBits
                return (0..<size).map { UInt8(truncatingIfNeeded: u >> (8 * UInt64($0))) }
            }
            guard case .int(let n) = whole else { throw invalid("value") }
            let bits = 8 * size
            if "bhilqn".contains(f) {
                if bits < 64 && (n < -(1 << (bits - 1)) || n >= 1 << (bits - 1)) { throw invalid("value") }
            } else {
                if n < 0 || (bits < 64 && n >= 1 << bits) { throw invalid("value") }
            }
            u = UInt64(bitPattern: Int64(n))
        }
        return (0..<size).map { UInt8(truncatingIfNeeded: u >> (8 * UInt64($0))) }
    }

    func makeMemoryView(_ cls: PyClass, _ p: MemoryViewPayload) -> Value {
        let inst = PyInstance(cls)
        inst.payload = p
        MemoryViewPayload.export(p.source)
        return .obj(inst)
    }

    func releaseView(_ p: MemoryViewPayload) {
        if p.released { return }
        p.released = true
        MemoryViewPayload.unexport(p.source)
    }

    /// An `array.array` (or an instance of a subclass) and its typecode, for the views over it.
    func arrayExporter(_ v: Value) -> (PyInstance, Character)? {
        guard case .obj(let inst as PyInstance) = v,
              inst.cls.mro.contains(where: { $0.name == "array" && $0.module == "array" }),
              case .str(let tc)? = inst.attr("typecode"), let c = tc.s.first, tc.s.count == 1 else { return nil }
        return (inst, c)
    }

    /// The items of a view as values: CPython's NotImplementedError for a 'u' array's (format 'w'), when there
    /// is an item to unpack.
    func unpackable(_ p: MemoryViewPayload) throws {
        if p.format == MemoryViewPayload.wideChar && p.count > 0 {
            throw err("NotImplementedError", "memoryview: format \(p.format) not supported")
        }
    }

    /// The builtin type `memoryview`. Mirrors `PyMemoryView_Type`.
    func setupMemoryView() {
        var cls: PyClass!
        cls = newType("memoryview", objectClass) { i, a, kw in
            guard let v = a.first ?? kw.first(where: { $0.0 == "object" })?.1 else {
                throw i.typeError("memoryview() missing required argument 'object' (pos 1)")
            }
            switch v {
            case .obj(let b as PyBytes):
                return i.makeMemoryView(cls, MemoryViewPayload(v, .bytes(b), start: 0, count: b.b.count, stride: 1, format: "B", readonly: true))
            case .obj(let b as PyByteArray):
                return i.makeMemoryView(cls, MemoryViewPayload(v, .bytearray(b), start: 0, count: b.b.count, stride: 1, format: "B", readonly: false))
            default:
                if let p = i.memoryViewPayload(v) {
                    if p.released { throw i.err("ValueError", "operation forbidden on released memoryview object") }
                    return i.makeMemoryView(cls, MemoryViewPayload(p.obj, p.source, start: p.start, count: p.count, stride: p.stride,
                                                                   format: p.format, readonly: p.readonly,
                                                               formatText: p.formatText))
                }
                if let (a, tc) = i.arrayExporter(v) {
                    let source = BufferSource.array(a, typecode: tc)
                    let size = BufferSource.arrayItemSize(tc)
                    return i.makeMemoryView(cls, MemoryViewPayload(v, source, start: 0, count: source.count / size, stride: size,
                                                                   format: tc == "u" ? MemoryViewPayload.wideChar : tc, readonly: false))
                }
                throw i.typeError("memoryview: a bytes-like object is required, not '\(i.typeName(v))'")
            }
        }
        func method(_ name: String, _ f: @escaping NativeFn) { cls.dict[name] = .obj(PyBuiltin(name, f)) }
        func property(_ name: String, _ get: @escaping (Interpreter, MemoryViewPayload) throws -> Value) {
            cls.dict[name] = .obj(PyProperty(.obj(PyBuiltin(name) { i, a, _ in try get(i, try i.liveView(a[0])) })))
        }
        property("obj") { _, p in p.obj }
        property("nbytes") { _, p in .int(p.count * p.itemsize) }
        property("readonly") { _, p in .bool(p.readonly) }
        property("itemsize") { _, p in .int(p.itemsize) }
        property("format") { _, p in .str(p.formatText) }
        property("ndim") { _, _ in .int(1) }
        property("shape") { _, p in .tuple(PyTuple([.int(p.count)])) }
        property("strides") { _, p in .tuple(PyTuple([.int(p.stride)])) }
        property("suboffsets") { _, _ in .tuple(PyTuple.empty) }
        property("contiguous") { _, p in .bool(p.contiguous) }
        property("c_contiguous") { _, p in .bool(p.contiguous) }
        property("f_contiguous") { _, p in .bool(p.contiguous) }

        method("__len__") { i, a, _ in .int(try i.liveView(a[0]).count) }
        method("__getitem__") { i, a, _ in
            try i.need(a, 2, "__getitem__")
            let p = try i.liveView(a[0])
            switch a[1] {
            case .obj(let s as PySlice):
                let (start, stop, step) = try i.sliceIndices(s, p.count)
                let n = sliceLength(start, stop, step)
                // a step too large to multiply selects one item: any stride but the item size stands for it
                let (stride, huge) = p.stride.multipliedReportingOverflow(by: step)
                return i.makeMemoryView(cls, MemoryViewPayload(p.obj, p.source, start: p.start + start * p.stride, count: n,
                                                               stride: huge ? Int.max : stride, format: p.format, readonly: p.readonly,
                                                               formatText: p.formatText))
            case .tuple:
                throw i.err("NotImplementedError", "multi-dimensional sub-views are not implemented")
            default:
                guard i.isIndexLike(a[1]) else { throw i.typeError("memoryview: invalid slice key") }
                let k = try i.toIndex(a[1], "memoryview")
                guard k >= -p.count && k < p.count else { throw i.err("IndexError", "index out of bounds on dimension 1") }
                try i.unpackable(p)
                return p.item(k < 0 ? k + p.count : k)
            }
        }
        method("__setitem__") { i, a, _ in
            try i.need(a, 3, "__setitem__")
            let p = try i.liveView(a[0])
            if p.readonly { throw i.typeError("cannot modify read-only memory") }
            if case .bytes = p.source { throw i.typeError("cannot modify read-only memory") }
            if case .obj(let s as PySlice) = a[1] {
                let (start, stop, step) = try i.sliceIndices(s, p.count)
                let n = sliceLength(start, stop, step)
                // the value's buffer: its format and item count must be the view's (bytes and bytearray are 'B')
                let format: Character, items: Int, src: [UInt8]
                if let q = i.memoryViewPayload(a[2]) {
                    if q.released { throw i.err("ValueError", "operation forbidden on released memoryview object") }
                    (format, items, src) = (q.format, q.count, q.bytes())
                } else if let (_, tc) = i.arrayExporter(a[2]) {
                    let b = try i.bytesArg(a[2])
                    (format, items, src) = (tc == "u" ? MemoryViewPayload.wideChar : tc, b.count / BufferSource.arrayItemSize(tc), b)
                } else {
                    guard let b = try? i.bytesArg(a[2]) else {
                        throw i.typeError("a bytes-like object is required, not '\(i.typeName(a[2]))'")
                    }
                    (format, items, src) = ("B", b.count, b)
                }
                if format != p.format || items != n {
                    throw i.err("ValueError", "memoryview assignment: lvalue and rvalue have different structures")
                }
                for k in 0..<n {
                    p.source.write(p.start + (start + k * step) * p.stride, Array(src[(k * p.itemsize)..<((k + 1) * p.itemsize)]))
                }
                return .none
            }
            guard i.isIndexLike(a[1]) else { throw i.typeError("memoryview: invalid slice key") }
            let k = try i.toIndex(a[1], "memoryview")
            guard k >= -p.count && k < p.count else { throw i.err("IndexError", "index out of bounds on dimension 1") }
            try i.unpackable(p)
            let bytes = try i.packItem(a[2], p.format, p.itemsize)
            p.source.write(p.start + (k < 0 ? k + p.count : k) * p.stride, bytes)
            return .none
        }
        method("__iter__") { i, a, _ in
            let p = try i.liveView(a[0])
            try i.unpackable(p)
            return .obj(try i.getIter(.list(PyList((0..<p.count).map { p.item($0) }))))
        }
        method("__contains__") { i, a, _ in
            let p = try i.liveView(a[0])
            try i.unpackable(p)
            for k in 0..<p.count where try i.eq(p.item(k), a[1]) { return .bool(true) }
            return .bool(false)
        }
        method("__eq__") { i, a, _ in
            try i.need(a, 2, "__eq__")
            guard let p = i.memoryViewPayload(a[0]) else { return .obj(notImplemented) }
            // items compared as values, a view with itself too (NaN is not equal to itself); a 'u' array's
            // items cannot be unpacked: not equal, as CPython's struct error makes them
            let other: [Value]
            if let q = i.memoryViewPayload(a[1]) {
                if p.released || q.released { return .bool(false) }
                if q.format == MemoryViewPayload.wideChar { return .bool(false) }
                other = (0..<q.count).map { q.item($0) }
            } else if let (arr, tc) = i.arrayExporter(a[1]) {
                if p.released || tc == "u" { return .bool(false) }
                other = BufferSource.arrayItems(arr)?.items ?? []
            } else if let b = try? i.bytesArg(a[1]) {
                if p.released { return .bool(false) }
                other = b.map { .int(Int($0)) }
            } else {
                return .obj(notImplemented)
            }
            if other.count != p.count || p.format == MemoryViewPayload.wideChar { return .bool(false) }
            for k in 0..<p.count where !(try i.eq(p.item(k), other[k])) { return .bool(false) }
            return .bool(true)
        }
        method("__ne__") { i, a, _ in
            let r = try i.callBound(cls.dict["__eq__"]!, a[0], [a[1]], [])
            if case .bool(let b) = r { return .bool(!b) }
            return r
        }
        method("__hash__") { i, a, _ in
            let p = try i.liveView(a[0])
            if !p.readonly { throw i.err("ValueError", "cannot hash writable memoryview object") }
            if !["B", "b", "c"].contains(p.format) { throw i.err("ValueError", "memoryview: hashing is restricted to formats 'B', 'b' or 'c'") }
            // the viewed object must be hashable too: an array is not
            if case .array = p.source { throw i.typeError("unhashable type: 'array.array'") }
            return .int(try i.hashValue(.obj(PyBytes(p.bytes()))))
        }
        // bytes + view and bytearray + view (CPython's bytes concatenation takes any buffer); view + bytes stays
        // a TypeError, as there
        method("__radd__") { i, a, _ in
            try i.need(a, 2, "__radd__")
            let p = try i.liveView(a[0])
            switch a[1] {
            case .obj(let b as PyBytes): return .obj(PyBytes(b.b + p.bytes()))
            case .obj(let b as PyByteArray): return .obj(PyByteArray(b.b + p.bytes()))
            default: return .obj(notImplemented)
            }
        }
        method("tobytes") { i, a, _ in .obj(PyBytes(try i.liveView(a[0]).bytes())) }
        method("tolist") { i, a, _ in
            let p = try i.liveView(a[0])
            try i.unpackable(p)
            return .list(PyList((0..<p.count).map { p.item($0) }))
        }
        method("hex") { i, a, kw in try i.bytesMethod(try i.liveView(a[0]).bytes(), "hex", Array(a.dropFirst()), kw, mutable: nil) }
        method("toreadonly") { i, a, _ in
            let p = try i.liveView(a[0])
            return i.makeMemoryView(cls, MemoryViewPayload(p.obj, p.source, start: p.start, count: p.count, stride: p.stride,
                                                           format: p.format, readonly: true,
                                                           formatText: p.formatText))
        }
        method("release") { i, a, _ in
            if let p = i.memoryViewPayload(a[0]) { i.releaseView(p) }
            return .none
        }
        method("__enter__") { i, a, _ in _ = try i.liveView(a[0]); return a[0] }
        method("__exit__") { i, a, _ in
            if let p = i.memoryViewPayload(a[0]) { i.releaseView(p) }
            return .bool(false)
        }
        method("cast") { i, a, kw in
            let p = try i.liveView(a[0])
            guard let fv = a.count > 1 ? a[1] : kw.first(where: { $0.0 == "format" })?.1 else {
                throw i.typeError("cast() missing required argument 'format' (pos 1)")
            }
            guard case .str(let fs) = fv else { throw i.typeError("memoryview: format argument must be a string") }
            if a.count > 2 || kw.contains(where: { $0.0 == "shape" }) {
                throw i.err("NotImplementedError", "memoryview: casts to more than one dimension are not supported")
            }
            if !p.contiguous { throw i.typeError("memoryview: casts are restricted to C-contiguous views") }
            var f = fs.s
            if f.hasPrefix("@") { f.removeFirst() }
            guard f.count == 1, let fc = f.first, MemoryViewPayload.sizes[fc] != nil else {
                throw i.err("ValueError", "memoryview: destination format must be a native single character format prefixed with an optional '@'")
            }
            let byteFormats: [Character] = ["B", "b", "c"]
            if !byteFormats.contains(fc) && !byteFormats.contains(p.format) {
                throw i.typeError("memoryview: cannot cast between two non-byte formats")
            }
            let size = MemoryViewPayload.sizes[fc]!
            let nbytes = p.count * p.itemsize
            if nbytes % size != 0 { throw i.typeError("memoryview: length is not a multiple of itemsize") }
            return i.makeMemoryView(cls, MemoryViewPayload(p.obj, p.source, start: p.start, count: nbytes / size, stride: size,
                                                           format: fc, readonly: p.readonly, formatText: fs.s))
        }
        method("__repr__") { i, a, _ in
            guard case .obj(let o) = a[0] else { return .str("<memory>") }
            let released = i.memoryViewPayload(a[0])?.released ?? false
            return .str("<\(released ? "released " : "")memory at \(i.addr(o))>")
        }
    }
}
