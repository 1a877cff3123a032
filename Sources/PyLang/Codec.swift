// A compact binary encoding of every value, so values (functions, lambdas and closures included) can be sent to
// another process and rebuilt there. The counterpart of CPython's `pickle`, without pickle's limits on lambdas and
// closures: code travels by identity (file + index of the function in that file's compiled code), which the
// receiving process has because it runs the same program.

/// Why a byte string could not be decoded (or a value not encoded).
public struct CodecError: Error, CustomStringConvertible {
    public let message: String
    public let offset: Int
    /// For a multiprocessing queue or synchronisation object, which travels to a child only by inheritance: the
    /// name CPython's error gives it ("Lock objects should only be shared between processes through inheritance").
    public var inheritedOnly: String? = nil
    public var description: String { "cannot decode value at byte \(offset): \(message)" }
}

enum Tag: UInt8 {
    case none = 0, boolFalse, boolTrue, int, big, float, str, bytes, list, tuple, dict, set, frozenset
    case function, builtin, cls, instance, module, ref, range, slice, cell, bytearray, ellipsis, boundMethod
    /// A builtin method bound to its receiver (`"-".join`): the receiver, then the method's name.
    case nativeMethod
    /// An instance of a class deriving from a builtin type (`class Stack(list)`, `time.struct_time`,
    /// `re.RegexFlag`): as `instance`, then the builtin value inside it.
    case derivedInstance
    /// A process-shared object (a queue, a lock ...) of a spawned child's arguments: its index among the shared
    /// objects that travel beside the bytes (see `Interpreter.encode(_:sharing:)`).
    case shared
}

/// The three bytes every encoding starts with: "mp" and the format's version (written by `encode`, checked by
/// `decode`, and by the pool's map chunks, which write and read outcomes in place: `MapChunkWriter`).
enum CodecHeader {
    static let m: UInt8 = 0x6d, p: UInt8 = 0x70, version: UInt8 = 1
}

struct Encoder {
    var out: [UInt8] = []                 // after the header (`CodecHeader`), which `encode` writes
    var memo: [ObjectIdentifier: Int] = [:]
    var keep: [AnyObject] = []            // keeps memoised objects alive so identifiers stay unique
    let interp: Interpreter
    var depth = 0
    /// For a spawned child's arguments: gives a native object that travels beside the bytes its index, or nil.
    var share: ((PyInstance) throws -> Int?)?

    mutating func byte(_ b: UInt8) { out.append(b) }
    mutating func uvarint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
    mutating func varint(_ v: Int) { uvarint(UInt64(bitPattern: Int64((v << 1) ^ (v >> 63)))) }
    mutating func string(_ s: String) {
        // a native string knows its UTF-8 count and copies its bytes straight in (no intermediate array)
        uvarint(UInt64(s.utf8.count))
        Encoder.appendUTF8(s, to: &out)
    }

    /// A string's UTF-8 bytes appended in one copy (the generic append of a `UTF8View` goes byte by byte).
    @inline(__always)
    static func appendUTF8(_ s: String, to out: inout [UInt8]) {
        if s.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil { out.append(contentsOf: s.utf8) }
    }

    /// The common messages — None, a bool, an int, a float or a string — appended to `out` without an
    /// `Encoder` (no memo, no depth count). False for anything else (nothing appended).
    static func scalar(_ v: Value, into out: inout [UInt8]) -> Bool {
        switch v {
        case .none: out.append(Tag.none.rawValue)
        case .bool(let b): out.append(b ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue)
        case .int(let i):
            out.append(Tag.int.rawValue)
            var u = UInt64(bitPattern: Int64((i << 1) ^ (i >> 63)))
            while u >= 0x80 { out.append(UInt8(u & 0x7f) | 0x80); u >>= 7 }
            out.append(UInt8(u))
        case .float(let d):
            out.append(Tag.float.rawValue)
            withUnsafeBytes(of: d.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .str(let s):
            out.append(Tag.str.rawValue)
            var n = UInt64(s.s.utf8.count)
            while n >= 0x80 { out.append(UInt8(n & 0x7f) | 0x80); n >>= 7 }
            out.append(UInt8(n))
            appendUTF8(s.s, to: &out)
        default: return false
        }
        return true
    }

    /// Emits a back-reference if the object was seen; otherwise records it and returns false.
    mutating func seen(_ o: AnyObject) -> Bool {
        let id = ObjectIdentifier(o)
        if let n = memo[id] { byte(Tag.ref.rawValue); uvarint(UInt64(n)); return true }
        memo[id] = memo.count
        keep.append(o)
        return false
    }

    mutating func value(_ v: Value) throws {
        depth += 1
        defer { depth -= 1 }
        if depth > 1000 { throw CodecError(message: "value nested too deeply to encode", offset: out.count) }
        switch v {
        case .none: byte(Tag.none.rawValue)
        case .bool(let b): byte(b ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue)
        case .int(let i): byte(Tag.int.rawValue); varint(i)
        case .bigBox(let b): byte(Tag.big.rawValue); string(String(b.v, radix: 32))
        case .float(let d): byte(Tag.float.rawValue); withUnsafeBytes(of: d.bitPattern.littleEndian) { out += $0 }
        case .str(let s): byte(Tag.str.rawValue); string(s.s)
        case .list(let l):
            if seen(l) { return }
            byte(Tag.list.rawValue); uvarint(UInt64(l.items.count))
            for x in l.items where !Encoder.scalar(x, into: &out) { try value(x) }
        case .tuple(let t):
            byte(Tag.tuple.rawValue); uvarint(UInt64(t.items.count))
            for x in t.items where !Encoder.scalar(x, into: &out) { try value(x) }
        case .dict(let d):
            if seen(d) { return }
            byte(Tag.dict.rawValue); uvarint(UInt64(d.count))
            for (k, x) in d.items { try value(k); try value(x) }
        case .obj(let o):
            try object(o)
        }
    }

    mutating func object(_ o: PyObject) throws {
        if o === ellipsisObject { byte(Tag.ellipsis.rawValue); return }
        if let s = o as? PySet {
            if seen(s) { return }
            byte(s.frozen ? Tag.frozenset.rawValue : Tag.set.rawValue); uvarint(UInt64(s.d.count))
            for x in s.elements { try value(x) }
        } else if let b = o as? PyBytes {
            byte(Tag.bytes.rawValue); uvarint(UInt64(b.b.count)); out += b.b
        } else if let b = o as? PyByteArray {
            if seen(b) { return }
            byte(Tag.bytearray.rawValue); uvarint(UInt64(b.b.count)); out += b.b
        } else if let r = o as? PyRange {
            byte(Tag.range.rawValue); varint(r.start); varint(r.stop); varint(r.step)
        } else if let s = o as? PySlice {
            byte(Tag.slice.rawValue); try value(s.start); try value(s.stop); try value(s.step)
        } else if let f = o as? PyFunction {
            if seen(f) { return }
            guard let idx = interp.codeIndex[ObjectIdentifier(f.code)] else {
                throw CodecError(message: "function \(f.qualname) has no code identity", offset: out.count)
            }
            byte(Tag.function.rawValue)
            string(idx.0); uvarint(UInt64(idx.1)); string(f.module.name); string(f.qualname)
            uvarint(UInt64(f.defaults.count)); for d in f.defaults { try value(d) }
            uvarint(UInt64(f.kwDefaults.count))
            if !f.kwDefaults.isEmpty { for (k, d) in f.kwDefaults.sorted(by: { $0.key < $1.key }) { string(k); try value(d) } }
            uvarint(UInt64(f.closure.count)); for c in f.closure { try cell(c) }
            if f.dict.isEmpty {   // a plain def: no attributes, no __class__ cell
                byte(0); byte(0)
            } else {
                let extra = f.dict.filter { $0.key != "__class__" }
                uvarint(UInt64(extra.count)); for (k, d) in extra.sorted(by: { $0.key < $1.key }) { string(k); try value(d) }
                if let c = f.dict["__class__"] { byte(1); try value(c) } else { byte(0) }
            }
        } else if let c = o as? PyClass {
            byte(Tag.cls.rawValue); string(c.module); string(c.name)
        } else if let i = o as? PyInstance {
            // before the memo: the decoder does not memoise a shared object (the index names it again)
            if i.payload != nil, let share, let k = try share(i) {
                byte(Tag.shared.rawValue); uvarint(UInt64(k))
                return
            }
            if seen(i) { return }
            // a compiled pattern travels as its pattern and flags (CPython pickles it as re._compile(p, f))
            if let base = i.payload as? BuiltinBase {
                byte(Tag.derivedInstance.rawValue)
                try object(i.cls)
                uvarint(UInt64(i.dict.count))
                for (k, x) in i.attrItems { string(k); try value(x) }
                try value(base.value)
                return
            }
            if i.payload != nil && !(i.payload is NativeRepr) && !(i.payload is RegexPayload) && !(i.payload is NamedTupleHash) {
                var error = CodecError(message: "cannot encode a native '\(i.cls.name)' object", offset: out.count)
                if ["multiprocessing.synchronize", "multiprocessing.queues", "multiprocessing.sharedctypes"].contains(i.cls.module) {
                    // CPython's Event and Barrier fail on the Condition inside them
                    error.inheritedOnly = ["Event", "Barrier"].contains(i.cls.name) ? "Condition" : i.cls.name
                }
                throw error
            }
            byte(Tag.instance.rawValue)
            try object(i.cls)
            uvarint(UInt64(i.dict.count))
            for (k, x) in i.attrItems { string(k); try value(x) }
        } else if let b = o as? PyBuiltin {
            byte(Tag.builtin.rawValue); string(interp.builtinHome(b)); string(b.name)
        } else if let m = o as? PyModule {
            byte(Tag.module.rawValue); string(m.name)
        } else if let m = o as? PyBoundMethod {
            byte(Tag.boundMethod.rawValue); try value(m.receiver); try value(m.fn)
        } else if let m = o as? PyNativeMethod {
            byte(Tag.nativeMethod.rawValue); try value(m.receiver); string(m.name)
        } else {
            throw CodecError(message: "cannot encode a '\(o.typeName)' object", offset: out.count)
        }
    }

    mutating func cell(_ c: Cell) throws {
        if seen(c) { return }
        byte(Tag.cell.rawValue)
        if let v = c.value { byte(1); try value(v) } else { byte(0) }
    }
}

struct Decoder {
    let b: [UInt8]
    var p = 0
    var memo: [AnyObject] = []
    let interp: Interpreter
    var depth = 0
    /// The shared objects that came beside the bytes (`Tag.shared` indexes them).
    var shared: [Value] = []

    func fail(_ m: String) -> CodecError { CodecError(message: m, offset: p) }

    mutating func byte() throws -> UInt8 {
        guard p < b.count else { throw fail("truncated input") }
        p += 1
        return b[p - 1]
    }
    mutating func uvarint() throws -> UInt64 {
        var r: UInt64 = 0, shift: UInt64 = 0
        while true {
            let x = try byte()
            if shift >= 64 { throw fail("varint too long") }
            r |= UInt64(x & 0x7f) << shift
            if x < 0x80 { return r }
            shift += 7
        }
    }
    mutating func count() throws -> Int {
        let n = try uvarint()
        guard n <= UInt64(b.count - p) * 2 + 16 else { throw fail("length \(n) exceeds the input") }
        return Int(n)
    }
    mutating func varint() throws -> Int {
        let u = try uvarint()
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }
    mutating func raw(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= b.count - p else { throw fail("truncated input") }
        p += n
        return b[(p - n)..<p]
    }
    mutating func string() throws -> String {
        let n = try count()
        guard n <= b.count - p else { throw fail("truncated input") }
        let start = p
        p += n
        return try b.withUnsafeBufferPointer { all in
            guard let s = Decoder.utf8(UnsafeBufferPointer(rebasing: all[start..<(start + n)])) else {
                throw CodecError(message: "invalid UTF-8 in string", offset: start + n)
            }
            return s
        }
    }

    /// A string from UTF-8 bytes, nil if they are not valid UTF-8. ASCII (the usual case: names, keys,
    /// messages) skips the validating decoder.
    @inline(__always)
    static func utf8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var ascii = true
        for x in bytes where x >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The common messages (see `Encoder.scalar`) decoded without a `Decoder`; nil for anything else, or for a
    /// malformed message (the full decoder then reports what is wrong). `bytes` starts after the header.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let tag = bytes.first else { return nil }
        switch tag {
        case Tag.none.rawValue: return bytes.count == 1 ? Value.none : nil
        case Tag.boolFalse.rawValue: return bytes.count == 1 ? .bool(false) : nil
        case Tag.boolTrue.rawValue: return bytes.count == 1 ? .bool(true) : nil
        case Tag.int.rawValue:
            guard bytes.count <= 11 else { return nil }
            var u: UInt64 = 0, shift: UInt64 = 0
            for k in 1..<bytes.count {
                let x = bytes[k]
                u |= UInt64(x & 0x7f) << shift
                if x < 0x80 { return k == bytes.count - 1 ? .int(Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))) : nil }
                shift += 7
            }
            return nil
        case Tag.str.rawValue:
            var n = 0, shift = 0, k = 1, ended = false
            while !ended && k < bytes.count && k < 10 {
                let x = bytes[k]
                n |= Int(x & 0x7f) << shift
                k += 1
                ended = x < 0x80
                shift += 7
            }
            guard ended, n == bytes.count - k else { return nil }
            return Decoder.utf8(UnsafeBufferPointer(rebasing: bytes[k...])).map { .str($0) }
        default: return nil
        }
    }

    /// The class and attributes of an instance (`instance`, `derivedInstance`), memoised before its attributes
    /// decode, since they may refer to it; its memo slot, to replace when the instance becomes another object.
    private mutating func instanceHead() throws -> (slot: Int, inst: PyInstance) {
        let slot = memo.count
        memo.append(PyObject())
        guard case .obj(let c as PyClass) = try value() else { throw fail("instance of a non-class") }
        let inst = PyInstance(c)
        memo[slot] = inst
        for _ in 0..<(try count()) { let k = try string(); inst.dict[k] = try value() }
        return (slot, inst)
    }

    mutating func value() throws -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > 1000 { throw fail("value nested too deeply") }
        let t = try byte()
        guard let tag = Tag(rawValue: t) else { throw fail("unknown tag \(t)") }
        switch tag {
        case .none: return .none
        case .boolFalse: return .bool(false)
        case .boolTrue: return .bool(true)
        case .int: return .int(try varint())
        case .big:
            let s = try string()
            guard let v = bigFromString(s, 32) else { throw fail("bad big integer") }
            return .bigOrInt(v)
        case .float:
            let r = try raw(8)
            var bits: UInt64 = 0
            for (k, x) in r.enumerated() { bits |= UInt64(x) << (8 * UInt64(k)) }
            return .float(Double(bitPattern: bits))
        case .str: return .str(try string())
        case .bytes: return .obj(PyBytes(Array(try raw(try count()))))
        case .bytearray:
            let o = PyByteArray([]); memo.append(o)
            o.b = Array(try raw(try count()))
            return .obj(o)
        case .list:
            let l = PyList([]); memo.append(l)
            let n = try count()
            var items: [Value] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try element()) }
            l.items = items
            return .list(l)
        case .tuple:
            let n = try count()
            var items: [Value] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try element()) }
            return .tuple(PyTuple(items))
        case .dict:
            let d = PyDict(); memo.append(d)
            let n = try count()
            for _ in 0..<n {
                let k = try value()
                do { try interp.checkHashable(k) } catch { throw fail("unhashable dict key") }
                d.set(k, try value())
            }
            return .dict(d)
        case .set, .frozenset:
            let s = PySet(frozen: tag == .frozenset); memo.append(s)
            let n = try count()
            for _ in 0..<n {
                let k = try value()
                do { try interp.checkHashable(k) } catch { throw fail("unhashable set element") }
                s.add(k)
            }
            return .obj(s)
        case .range:
            let a = try varint(), c = try varint(), s = try varint()
            if s == 0 { throw fail("range step is zero") }
            return .obj(PyRange(a, c, s))
        case .slice: return .obj(PySlice(try value(), try value(), try value()))
        case .ellipsis: return .obj(ellipsisObject)
        case .ref:
            let n = Int(try uvarint())
            guard n < memo.count else { throw fail("back-reference \(n) out of range") }
            let o = memo[n]
            if let l = o as? PyList { return .list(l) }
            if let d = o as? PyDict { return .dict(d) }
            if let x = o as? PyObject { return .obj(x) }
            throw fail("back-reference \(n) is not a value")
        case .cell:
            throw fail("cell outside a function")
        case .function:
            let slot = memo.count
            memo.append(PyObject())
            let file = try string()
            let idx = Int(try uvarint())
            let modName = try string()
            let qual = try string()
            guard let codes = interp.codeTable[file], idx < codes.count else {
                throw fail("function \(qual) from \(file) is not loaded in this process")
            }
            let module: PyModule
            if case .obj(let m as PyModule)? = interp.modules[modName] { module = m } else { module = interp.mainModule() }
            var defaults: [Value] = []
            for _ in 0..<(try count()) { defaults.append(try value()) }
            var kwd: [String: Value] = [:]
            for _ in 0..<(try count()) { let k = try string(); kwd[k] = try value() }
            var closure: [Cell] = []
            for _ in 0..<(try count()) { closure.append(try cell()) }
            let code = codes[idx]
            if closure.count != code.closureCount { throw fail("closure of \(qual) has \(closure.count) cells, expected \(code.closureCount)") }
            let f = PyFunction(code: code, defaults: defaults, kwDefaults: kwd, closure: closure, module: module)
            memo[slot] = f
            f.qualname = qual
            for _ in 0..<(try count()) { let k = try string(); f.dict[k] = try value() }
            if try byte() == 1 { f.dict["__class__"] = try value() }
            return .obj(f)
        case .builtin:
            let home = try string(), name = try string()
            if home == "builtins", let v = interp.builtins[name] { return v }
            if home.hasPrefix("<type>") {
                // a builtin type's method taken from the type (str.upper): looked up on the type again
                if let t = interp.builtins[String(home.dropFirst(6))], let v = try? interp.getAttr(t, name) { return v }
                throw fail("method \(home.dropFirst(6)).\(name) not found")
            }
            if let m = try? interp.importModule(home), let v = try? interp.getAttr(m, name) { return v }
            throw fail("builtin \(home).\(name) not found")
        case .cls:
            let mod = try string(), name = try string()
            if mod == "builtins" {
                if let v = interp.builtins[name] { return v }
                throw fail("builtin type \(name) not found")
            }
            // the class's module, imported if this process has not yet (as pickle's find_class does)
            if case .obj(let m as PyModule)? = interp.modules[mod] ?? (try? interp.importModule(mod)), let v = m.get(name),
               case .obj(let c as PyClass) = v { return .obj(c) }
            if let v = interp.builtins[name], case .obj(let c as PyClass) = v, c.module == mod { return v }
            throw fail("class \(mod).\(name) not found")
        case .instance:
            let (slot, inst) = try instanceHead()
            let c = inst.cls
            if c.module == "re" && c.name == "Pattern" {
                guard let p = inst.dict["pattern"], case .int(let flags)? = inst.dict["flags"],
                      let r = try? interp.compileRegex(p, flags) else { throw fail("a re.Pattern without a valid pattern") }
                inst.payload = r
            }
            // an enum member is its class's member of that name, as CPython's pickle rebuilds it (Color(value))
            if c.meta?.module == "enum", case .str(let name)? = inst.dict["_name_"],
               case .dict(let members)? = try? interp.getAttr(.obj(c), "_member_map_"),
               case .obj(let member as PyInstance)? = members.get(.str(name)) {
                memo[slot] = member
                return .obj(member)
            }
            return .obj(inst)
        case .derivedInstance:
            let (slot, inst) = try instanceHead()
            let c = inst.cls
            let base = try value()
            // a flag is its class's member for that value (`re.I is re.IGNORECASE` in the receiver too)
            if c.module == "re" && c.name == "RegexFlag", case .obj(let member)? = try? interp.call(.obj(c), [base]) {
                memo[slot] = member
                return .obj(member)
            }
            inst.payload = BuiltinBase(base)
            return .obj(inst)
        case .module:
            let name = try string()
            do { return try interp.importModule(name) } catch { throw fail("module \(name) not available") }
        case .boundMethod:
            return .obj(PyBoundMethod(try value(), try value()))
        case .shared:
            let k = Int(try uvarint())
            guard k < shared.count else { throw fail("shared object \(k) of \(shared.count)") }
            return shared[k]
        case .nativeMethod:
            let receiver = try value(), name = try string()
            guard let m = try? interp.getAttr(receiver, name) else { throw fail("method \(name) of a \(interp.typeName(receiver)) not found") }
            return m
        }
    }

    /// An element of a list or tuple: a small int (a map's results) read in place, anything else by `value`.
    @inline(__always)
    mutating func element() throws -> Value {
        if p < b.count && b[p] == Tag.int.rawValue {
            // the varint read in one loop, without a throwing call per byte; anything odd (truncated, too long)
            // goes to the checked reader, which reports it
            var u: UInt64 = 0, shift: UInt64 = 0, q = p + 1
            while q < b.count && shift < 63 {
                let x = b[q]
                u |= UInt64(x & 0x7f) << shift
                q += 1
                if x < 0x80 {
                    p = q
                    return .int(Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))))
                }
                shift += 7
            }
            p += 1
            return .int(try varint())
        }
        return try value()
    }

    mutating func cell() throws -> Cell {
        let t = try byte()
        if t == Tag.ref.rawValue {
            let n = Int(try uvarint())
            guard n < memo.count, let c = memo[n] as? Cell else { throw fail("bad cell reference") }
            return c
        }
        guard t == Tag.cell.rawValue else { throw fail("expected a closure cell") }
        let c = Cell()
        memo.append(c)
        if try byte() == 1 { c.value = try value() }
        return c
    }
}

extension Interpreter {
    /// Encodes a value (functions, lambdas, closures, classes and instances included) to bytes.
    public func encode(_ v: Value) throws -> [UInt8] {
        var out: [UInt8] = []
        try encode(v, into: &out)
        return out
    }

    /// Encodes a value into `out`, replacing what it held but keeping its storage: a sender that keeps one
    /// buffer allocates nothing per message.
    func encode(_ v: Value, into out: inout [UInt8]) throws {
        out.removeAll(keepingCapacity: true)
        out.append(CodecHeader.m); out.append(CodecHeader.p); out.append(CodecHeader.version)
        if Encoder.scalar(v, into: &out) { return }
        var e = Encoder(interp: self)
        swap(&e.out, &out)
        defer { swap(&e.out, &out) }
        try e.value(v)
    }

    /// Encodes a spawned child's arguments: the native objects `share` gives an index travel as that index.
    func encode(_ v: Value, sharing share: @escaping (PyInstance) throws -> Int?) throws -> [UInt8] {
        var e = Encoder(interp: self)
        e.share = share
        e.out = [CodecHeader.m, CodecHeader.p, CodecHeader.version]
        try e.value(v)
        return e.out
    }

    /// Decodes `encode(_:sharing:)`'s bytes, with the shared objects rebuilt beside them.
    func decode(_ bytes: [UInt8], shared: [Value]) throws -> Value {
        guard bytes.count >= 3, bytes[0] == CodecHeader.m, bytes[1] == CodecHeader.p, bytes[2] == CodecHeader.version else {
            throw CodecError(message: "not an mpsh value of this version", offset: 0)
        }
        var d = Decoder(b: bytes, p: 3, interp: self)
        d.shared = shared
        let v = try d.value()
        if d.p != bytes.count { throw CodecError(message: "\(bytes.count - d.p) trailing bytes", offset: d.p) }
        return v
    }

    /// Makes functions encoded by this process's code identity for `file` decode to the codes of `recompiled`
    /// (the same file compiled again, as a spawned program's main module is re-run as `__mp_main__`), and the
    /// recompiled codes encode as `file`'s: both processes then name the same function the same way.
    func adoptCodes(_ recompiled: String, as file: String) {
        guard recompiled != file, let codes = codeTable[recompiled] else { return }
        codeTable[file] = codes
        for (i, c) in codes.enumerated() { codeIndex[ObjectIdentifier(c)] = (file, i) }
    }

    /// Rebuilds a value from `encode`'s bytes. Truncated or corrupted input throws a `CodecError`.
    public func decode(_ bytes: [UInt8]) throws -> Value {
        guard bytes.count >= 3, bytes[0] == CodecHeader.m, bytes[1] == CodecHeader.p else {
            throw CodecError(message: "not an mpsh value", offset: 0)
        }
        guard bytes[2] == CodecHeader.version else { throw CodecError(message: "unsupported version \(bytes[2])", offset: 2) }
        if let v = bytes.withUnsafeBufferPointer({ Decoder.scalar(UnsafeBufferPointer(rebasing: $0[3...])) }) {
            return v
        }
        var d = Decoder(b: bytes, p: 3, interp: self)
        let v = try d.value()
        if d.p != bytes.count { throw CodecError(message: "\(bytes.count - d.p) trailing bytes", offset: d.p) }
        return v
    }

    /// Where a builtin function lives, for encoding: "builtins" or the module that holds it.
    func builtinHome(_ b: PyBuiltin) -> String {
        if case .obj(let o)? = builtins[b.name], o === b { return "builtins" }
        for (name, m) in modules {
            if case .obj(let mod as PyModule) = m, case .obj(let o)? = mod.get(b.name), o === b { return name }
        }
        // not a module's: a builtin type's method taken from the type (str.upper, list.append, dict.get); the
        // method dispatches on its receiver, so the first type that has the name serves for all of them
        if builtins[b.name] == nil {
            for (type, names) in [("str", strMethods), ("list", listMethods), ("dict", dictMethods), ("set", setMethods),
                                  ("bytes", bytesMethods), ("tuple", ["count", "index"])] where names.contains(b.name) {
                return "<type>" + type
            }
        }
        return "builtins"
    }

    /// Records every function code of a compiled file, in parse order, so functions can travel by identity.
    func registerCodes(_ file: String, _ root: Scope) {
        var codes: [FuncCode] = []
        func walk(_ s: Scope) {
            if let c = s.code {
                c.closureCount = s.freeVars.count
                codes.append(c)
            }
            for ch in s.children { walk(ch) }
        }
        walk(root)
        var name = file
        var k = 1
        while codeTable[name] != nil { k += 1; name = "\(file)#\(k)" }
        for (i, c) in codes.enumerated() { codeIndex[ObjectIdentifier(c)] = (name, i) }
        codeTable[name] = codes
    }
}
