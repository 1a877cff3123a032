// The everyday methods of list, tuple, dict, set, int, float and files, and the dispatch of every builtin
// type's methods (str's are in StrMethods.swift, bytes' in BytesMethods.swift).
// Mirrors CPython's `Objects/listobject.c`, `dictobject.c`, `setobject.c` method tables.
import Foundation

/// `dict.keys()`, `dict.values()`, `dict.items()`.
public final class PyDictView: PyObject {
    enum Kind { case keys, values, items }
    let kind: Kind
    let d: PyDict
    init(_ k: Kind, _ d: PyDict) { kind = k; self.d = d }
    override var typeName: String { kind == .keys ? "dict_keys" : kind == .values ? "dict_values" : "dict_items" }
    var elements: [Value] {
        switch kind {
        case .keys: return d.orderedKeys
        case .values: return d.items.map { $0.1 }
        case .items: return d.items.map { .tuple(PyTuple([$0.0, $0.1])) }
        }
    }
}

final class DefaultDictPayload {
    let d: PyDict
    let factory: Value
    init(_ d: PyDict, _ f: Value) { self.d = d; factory = f }
    func get(_ i: Interpreter, _ k: Value) throws -> Value {
        if let v = d.get(k) { return v }
        try i.checkHashable(k)
        if factory.isNone { throw i.errValue("KeyError", k) }
        let v = try i.call(factory, [], [])
        d.set(k, v)
        return v
    }
}

let strMethods: Set<String> = ["upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace",
    "startswith", "endswith", "find", "rfind", "index", "rindex", "count", "format", "isdigit", "isalpha", "isalnum",
    "isspace", "isupper", "islower", "istitle", "title", "capitalize", "swapcase", "center", "ljust", "rjust", "zfill",
    "splitlines", "partition", "rpartition", "encode", "casefold", "expandtabs", "isidentifier", "isnumeric",
    "isdecimal", "removeprefix", "removesuffix", "format_map", "isascii", "isprintable", "maketrans", "translate"]
let listMethods: Set<String> = ["append", "extend", "insert", "remove", "pop", "clear", "index", "count", "sort", "reverse", "copy"]
let dictMethods: Set<String> = ["keys", "values", "items", "get", "pop", "popitem", "setdefault", "update", "clear", "copy", "fromkeys"]
let setMethods: Set<String> = ["add", "remove", "discard", "pop", "clear", "union", "intersection", "difference",
    "symmetric_difference", "update", "intersection_update", "difference_update", "symmetric_difference_update",
    "issubset", "issuperset", "isdisjoint", "copy"]
let bytesMethods: Set<String> = ["decode", "hex", "startswith", "endswith", "split", "join", "strip", "replace", "find",
    "upper", "lower", "count", "index", "rstrip", "lstrip", "append", "extend", "isdigit", "isalpha"]
/// The methods of the builtin types that have a table of them above, by type name (`dir()`, `str.upper`).
let builtinTypeMethods: [String: Set<String>] = ["str": strMethods, "list": listMethods, "dict": dictMethods,
                                                 "set": setMethods, "tuple": ["count", "index"], "bytes": bytesMethods]

extension Interpreter {
    /// The normalised name of a text encoding mpsh knows (utf-8, latin-1, ascii), or a LookupError as CPython's.
    func codecName(_ v: Value?, _ method: String) throws -> String {
        guard let v else { return "utf-8" }
        let name = try strArg(v, method)
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8", "u8": return "utf-8"
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": return "latin-1"
        case "ascii", "us-ascii": return "ascii"
        default: throw err("LookupError", "unknown encoding: \(name)")
        }
    }

    func strArg(_ v: Value, _ fn: String) throws -> String {
        if case .str(let s) = v { return s.s }
        throw typeError("\(fn) arg must be None or str")
    }

    func nativeAttr(_ v: Value, _ name: String) throws -> Value {
        if name == "__class__" { return .obj(typeOf(v)) }
        if name.hasPrefix("__") && name.hasSuffix("__") && name.count > 4 && name != "__name__" && name != "__doc__" {
            let probe = ["__len__", "__str__", "__repr__", "__hash__", "__iter__", "__contains__", "__getitem__", "__eq__",
                         "__lt__", "__add__", "__mul__", "__format__", "__bool__", "__setitem__", "__delitem__", "__ne__"]
            if probe.contains(name) { return .obj(PyNativeMethod(v, name)) }
        }
        switch v {
        case .str: if strMethods.contains(name) { return .obj(PyNativeMethod(v, name)) }
        case .list: if listMethods.contains(name) { return .obj(PyNativeMethod(v, name)) }
        case .tuple: if name == "count" || name == "index" { return .obj(PyNativeMethod(v, name)) }
        case .dict: if dictMethods.contains(name) { return .obj(PyNativeMethod(v, name)) }
        case .int, .bigBox, .bool:
            switch name {
            case "real", "numerator": return try toInt(v)
            case "imag": return .int(0)
            case "denominator": return .int(1)
            case "bit_length", "to_bytes", "conjugate", "bit_count", "as_integer_ratio", "is_integer": return .obj(PyNativeMethod(v, name))
            default: break
            }
        case .float(let d):
            switch name {
            case "real": return v
            case "imag": return .float(0)
            case "is_integer", "as_integer_ratio", "hex", "conjugate": return .obj(PyNativeMethod(v, name))
            default: _ = d
            }
        case .obj(let o):
            if o is PySet, setMethods.contains(name) { return .obj(PyNativeMethod(v, name)) }
            if o is PyBytes || o is PyByteArray, bytesMethods.contains(name) { return .obj(PyNativeMethod(v, name)) }
            if let r = o as? PyRange {
                switch name {
                case "start": return .int(r.start)
                case "stop": return .int(r.stop)
                case "step": return .int(r.step)
                case "index", "count": return .obj(PyNativeMethod(v, name))
                default: break
                }
            }
            if let s = o as? PySlice {
                switch name {
                case "start": return s.start
                case "stop": return s.stop
                case "step": return s.step
                default: break
                }
            }
            if let f = o as? PyFile {
                switch name {
                case "name": return .str(f.name)
                case "closed": return .bool(f.closed)
                case "mode": return .str(f.writable ? "w" : "r")
                default: return .obj(PyNativeMethod(v, name))
                }
            }
            if o is PyIterator, ["send", "close", "__next__", "__iter__", "throw"].contains(name) { return .obj(PyNativeMethod(v, name)) }
            if let b = o as? PyBuiltin {
                if name == "__name__" || name == "__qualname__" { return .str(b.name) }
            }
            if let b = o as? PyNativeMethod, name == "__name__" { return .str(b.name) }
            if o is PyDictView, name == "mapping" { return .obj(o) }
        default: break
        }
        if name == "__doc__" { return .none }
        throw err("AttributeError", "'\(typeName(v))' object has no attribute '\(name)'")
    }

    /// `object`'s own slot functions, as a class body borrows them (`__hash__ = object.__hash__` next to an
    /// `__eq__`) or a method calls them past its own (`object.__repr__(self)`). They are not in `object`'s
    /// dictionary, so that a class's lookup of a dunder still tells whether it was defined in Python.
    private func objectMethod(_ name: String) -> Value? {
        switch name {
        case "__hash__":
            return .obj(PyBuiltin("__hash__") { i, a, _ in
                try i.need(a, 1, "__hash__")
                // the identity hash, whatever __hash__ the class names (it may be this function)
                if case .obj(let o as PyInstance) = a[0] { return .int(i.identityHash(o)) }
                return .int(try i.hashValue(a[0]))
            })
        case "__eq__":
            return .obj(PyBuiltin("__eq__") { i, a, _ in
                try i.need(a, 2, "__eq__")
                return i.identical(a[0], a[1]) ? .bool(true) : .obj(notImplemented)
            })
        case "__ne__":
            return .obj(PyBuiltin("__ne__") { i, a, _ in
                try i.need(a, 2, "__ne__")
                // the inverse of the class's __eq__, unless that does not know the other object
                let r: Value
                if case .obj(let o as PyInstance) = a[0], let f = o.cls.lookup(.eq) { r = try i.callBound(f, a[0], [a[1]], []) }
                else { r = i.identical(a[0], a[1]) ? .bool(true) : .obj(notImplemented) }
                return i.isNotImplemented(r) ? r : .bool(!(try i.truthy(r)))
            })
        case "__repr__", "__str__":
            return .obj(PyBuiltin(name) { i, a, _ in
                try i.need(a, 1, name)
                // object's own form, past the class's __repr__ (__str__ is repr for an object without one)
                if name == "__repr__", case .obj(let o as PyInstance) = a[0] {
                    return .str("<\(o.cls.module).\(o.cls.name) object at \(i.addr(o))>")
                }
                return .str(try i.repr(a[0]))
            })
        default:
            return nil
        }
    }

    /// Unbound methods of builtin types: `str.upper`, `dict.fromkeys`, `int.from_bytes`.
    func typeMethodValue(_ c: PyClass, _ name: String) -> Value? {
        if c === objectClass, let m = objectMethod(name) { return m }
        switch (c.name, name) {
        case ("dict", "fromkeys"):
            return .obj(PyBuiltin("fromkeys") { i, a, _ in try i.need(a, 1, "fromkeys");
                let d = PyDict()
                try i.iterate(a[0]) { k in try i.checkHashable(k); d.set(k, a.count > 1 ? a[1] : .none); return true }
                return .dict(d)
            })
        case ("bytes", "fromhex"), ("bytearray", "fromhex"):
            let mutable = c.name == "bytearray"
            return .obj(PyBuiltin("fromhex") { i, a, _ in try i.need(a, 1, "fromhex")
                guard case .str(let s) = a[0] else {
                    throw i.typeError("fromhex() argument must be str, not \(i.typeName(a[0]))")
                }
                let out = try i.bytesFromHex(s.s)
                return mutable ? .obj(PyByteArray(out)) : .obj(PyBytes(out))
            })
        case ("float", "fromhex"):
            return .obj(PyBuiltin("fromhex") { i, a, _ in try i.need(a, 1, "fromhex")
                guard case .str(let s) = a[0] else { throw i.typeError("bad argument type for built-in operation") }
                return .float(try i.floatFromHex(s.s))
            })
        case ("str", "maketrans"):
            return .obj(PyBuiltin("maketrans") { i, a, _ in try i.callNativeMethod(.str(""), "maketrans", a, []) })
        case ("int", "from_bytes"):
            return .obj(PyBuiltin("from_bytes") { i, a, kw in try i.need(a, 1, "from_bytes");
                let bytes: [UInt8]
                switch a[0] {
                case .obj(let b as PyBytes): bytes = b.b
                case .obj(let b as PyByteArray): bytes = b.b
                default: throw i.typeError("cannot convert '\(i.typeName(a[0]))' object to bytes")
                }
                let args = Args(a, kw, "from_bytes")
                let little = try i.byteOrderIsLittle(args.get(1, "byteorder"))
                let signed = try args.kwarg("signed").map { try i.truthy($0) } ?? false
                let r = BigInt.fromBytes(littleEndian: little ? bytes : bytes.reversed())
                // signed: the top bit of the most significant byte is the two's complement sign
                if signed, let top = little ? bytes.last : bytes.first, top & 0x80 != 0 { return .bigOrInt(r - (BigInt(1) << (8 * bytes.count))) }
                return .bigOrInt(r)
            })
        default: break
        }
        if let set = builtinTypeMethods[c.name], set.contains(name) {
            return .obj(PyBuiltin(name) { i, a, kw in
                guard var recv = a.first else { throw i.typeError("descriptor '\(name)' of '\(c.name)' object needs an argument") }
                // an instance of a subclass (`list.append(bag, x)` for `class Bag(list)`) is its built-in value
                if case .obj(let o) = recv, let inst = o as? PyInstance, let b = inst.payload as? BuiltinBase { recv = b.value }
                return try i.callNativeMethod(recv, name, Array(a.dropFirst()), kw)
            })
        }
        return nil
    }

    /// Dunder methods of builtin types called explicitly (`x.__len__()`), mapped to the protocol operations.
    func nativeDunder(_ recv: Value, _ name: String, _ a: [Value]) throws -> Value? {
        switch (name, a.count) {
        case ("__len__", 0): return .int(try len(recv))
        case ("__str__", 0): return .str(try str(recv))
        case ("__repr__", 0): return .str(try repr(recv))
        case ("__hash__", 0): return .int(try hashValue(recv))
        case ("__iter__", 0): return .obj(try getIter(recv))
        case ("__bool__", 0): return .bool(try truthy(recv))
        case ("__contains__", 1): return .bool(try contains(recv, a[0]))
        case ("__getitem__", 1): return try getItem(recv, a[0])
        case ("__setitem__", 2): try setItem(recv, a[0], a[1]); return Value.none
        case ("__delitem__", 1): try delItem(recv, a[0]); return Value.none
        case ("__eq__", 1): return .bool(try eq(recv, a[0]))
        case ("__ne__", 1): return .bool(!(try eq(recv, a[0])))
        case ("__lt__", 1): return .bool(try less(recv, a[0], "<"))
        case ("__format__", 1): return .str(try format(recv, try strArg(a[0], "format")))
        case ("__neg__", 0): return try unary(.neg, recv)
        default:
            for (op, (l, r)) in Interpreter.dunder where a.count == 1 {
                if name == l { return try binop(op, recv, a[0]) }
                if name == r { return try binop(op, a[0], recv) }
            }
            return nil
        }
    }

    func callNativeMethod(_ recv: Value, _ name: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        if name.utf8.first == 95, name.hasPrefix("__"), let r = try nativeDunder(recv, name, a) { return r }
        switch recv {
        case .str(let s):
            if kw.isEmpty, let r = fastStrMethod(s, name, a) { return r }
            return try strMethod(s.s, name, a, kw)
        case .list(let l): return try listMethod(l, name, a, kw)
        case .dict(let d): return try dictMethod(d, name, a, kw)
        case .tuple(let t):
            switch name {
            case "count": var n = 0; for x in t.items where try sameOrEqual(x, a[0]) { n += 1 }; return .int(n)
            case "index":
                for (k, x) in t.items.enumerated() where try sameOrEqual(x, a[0]) { return .int(k) }
                throw err("ValueError", "tuple.index(x): x not in tuple")
            default: break
            }
        case .int, .bigBox, .bool:
            switch name {
            case "bit_length":
                if let i = asInt(recv) { return .int(Int.bitWidth - i.magnitude.leadingZeroBitCount) }
                return .int(big(recv)!.bitLength)
            case "bit_count":
                if let i = asInt(recv) { return .int(i.magnitude.nonzeroBitCount) }
                return .int(big(recv)!.popcount)
            case "conjugate": return try toInt(recv)
            case "is_integer": return .bool(true)
            case "as_integer_ratio": return .tuple(PyTuple([try toInt(recv), .int(1)]))
            case "to_bytes":
                let args = Args(a, kw, "to_bytes")
                let n = try args.get(0, "length").map { try intArg($0) } ?? 1
                if n < 0 { throw err("ValueError", "length argument must be non-negative") }
                // CPython's limits: a length past what a bytes object can hold, then what memory holds
                if n > Int.max - 64 { throw err("OverflowError", "byte string is too large") }
                try checkAllocation(count: n, stride: 1, negative: "")
                let little = try byteOrderIsLittle(args.get(1, "byteorder"))
                let signed = try args.kwarg("signed").map { try truthy($0) } ?? false
                var b = big(recv)!
                if b.isNegative && !signed { throw err("OverflowError", "can't convert negative int to unsigned") }
                // signed: -2**(8n-1) <= b < 2**(8n-1), and a negative b is written as b + 2**(8n)
                let bits = b.isNegative ? (b + 1).bitLength : b.bitLength
                // (CPython lets -1 fit in no bytes at all)
                if bits + (signed ? 1 : 0) > 8 * n && !(n == 0 && bits == 0) { throw err("OverflowError", "int too big to convert") }
                // a negative b in two's complement is ~(|b| - 1): its bytes inverted over a field of 0xff
                let negative = b.isNegative
                if negative { b = -b - 1 }
                let mag = b.magnitudeBytes   // little-endian, at most n bytes (checked above)
                var out = [UInt8](repeating: negative ? 0xff : 0, count: n)
                for (k, byte) in mag.enumerated() where k < n {
                    out[little ? k : n - 1 - k] = negative ? ~byte : byte
                }
                return .obj(PyBytes(out))
            default: break
            }
        case .float(let d):
            switch name {
            case "is_integer": return .bool(d.isFinite && d == d.rounded())
            case "conjugate": return recv
            case "as_integer_ratio":
                if !d.isFinite { throw err(d.isNaN ? "ValueError" : "OverflowError", "cannot convert \(d.isNaN ? "NaN" : "Infinity") to integer ratio") }
                var num = d, den = BigInt(1)
                while num != num.rounded() { num *= 2; den *= 2 }
                var n = BigInt(num)
                let g = gcdBig(n, den)
                n /= g; den /= g
                return .tuple(PyTuple([.bigOrInt(n), .bigOrInt(den)]))
            case "hex": return .str(floatHex(d))
            default: break
            }
        case .obj(let o):
            if let s = o as? PySet { return try setMethod(s, name, a, kw) }
            if let b = o as? PyBytes { return try bytesMethod(b.b, name, a, kw, mutable: nil) }
            if let b = o as? PyByteArray {
                // append and extend change the array in place, so they are called without a second reference to
                // its buffer (passing `b.b` along made each append copy the whole array: quadratic growth)
                if name == "append" || name == "extend" { return try bytearrayGrow(b, name, a) }
                return try bytesMethod(b.b, name, a, kw, mutable: b)
            }
            if let f = o as? PyFile { return try fileMethod(f, name, a, kw) }
            if let r = o as? PyRange {
                if name == "index" {
                    if try contains(recv, a[0]), case .int(let x) = a[0] { return .int((x - r.start) / r.step) }
                    throw err("ValueError", "\(try repr(a[0])) is not in range")
                }
                if name == "count" { return .int(try contains(recv, a[0]) ? 1 : 0) }
            }
            if let it = o as? PyIterator {
                switch name {
                case "__next__": return try next(it)
                case "__iter__": return recv
                case "send":
                    if let g = it as? GeneratorIterator { return try g.send(a.first ?? .none) }
                    return try next(it)
                case "close":
                    if let g = it as? GeneratorIterator { try g.close() }
                    return .none
                case "throw":
                    if let g = it as? GeneratorIterator { return try g.throwIn(try makeException(a[0])) }
                    throw PyException(try makeException(a[0]))
                default: break
                }
            }
        default: break
        }
        throw err("AttributeError", "'\(typeName(recv))' object has no attribute '\(name)'")
    }

    // MARK: list

    /// `l.remove(x)`: the first item that is `x` or equal to it, looked for in the list as it is at each step, as
    /// CPython's (an `__eq__` may change the list).
    func listRemove(_ l: PyList, _ x: Value) throws {
        var k = 0
        while k < l.items.count {
            if try sameOrEqual(l.items[k], x) {
                if k < l.items.count { l.items.remove(at: k) }
                return
            }
            k += 1
        }
        throw err("ValueError", "list.remove(x): x not in list")
    }

    func listMethod(_ l: PyList, _ name: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        switch name {
        case "append":
            guard a.count == 1 else { throw typeError("list.append() takes exactly one argument (\(a.count) given)") }
            l.items.append(a[0]); return .none
        case "extend": try need(a, 1, "extend"); l.items.append(contentsOf: try toArray(a[0])); return .none
        case "insert":
            guard a.count == 2 else { throw typeError("insert expected 2 arguments, got \(a.count)") }
            var i = try intArg(a[0])
            let n = l.items.count
            if i < 0 { i = max(0, i + n) }
            l.items.insert(a[1], at: min(i, n))
            return .none
        case "remove":
            try listRemove(l, a[0]); return .none
        case "pop":
            if a.count > 1 { throw typeError("pop expected at most 1 argument, got \(a.count)") }
            if l.items.isEmpty { throw err("IndexError", "pop from empty list") }
            if a.isEmpty { return l.items.removeLast() }
            let i = try intArg(a[0])
            let j = i < 0 ? i + l.items.count : i
            if j < 0 || j >= l.items.count { throw err("IndexError", "pop index out of range") }
            return l.items.remove(at: j)
        case "clear": l.items.removeAll(); return .none
        case "index":
            try need(a, 1, "index")
            let st = try optInt(a.count > 1 ? a[1] : nil) ?? 0
            for (k, x) in l.items.enumerated() where k >= st { if try sameOrEqual(x, a[0]) { return .int(k) } }
            throw err("ValueError", "\(try repr(a[0])) is not in list")
        case "count": var n = 0; for x in l.items where try sameOrEqual(x, a[0]) { n += 1 }; return .int(n)
        case "sort":
            if !a.isEmpty { throw typeError("sort() takes no positional arguments") }
            let key = kw.first { $0.0 == "key" }?.1
            let rev = try kw.first { $0.0 == "reverse" }.map { try truthy($0.1) } ?? false
            var items = l.items
            if key == nil && !rev, items.allSatisfy({ if case .int = $0 { return true }; return false }) {
                items.sort { if case .int(let x) = $0, case .int(let y) = $1 { return x < y }; return false }
            } else {
                try sortValues(&items, key: key, reverse: rev)
            }
            l.items = items
            return .none
        case "reverse": l.items.reverse(); return .none
        case "copy": return .list(PyList(l.items))
        default: throw err("AttributeError", "'list' object has no attribute '\(name)'")
        }
    }

    // MARK: dict

    func dictMethod(_ d: PyDict, _ name: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        if name == "get" {
            try need(a, 1, "get")
            if let v = d.get(a[0]) { return v }
            try checkHashable(a[0])
            return a.count > 1 ? a[1] : .none
        }
        switch name {
        case "keys": return .obj(PyDictView(.keys, d))
        case "values": return .obj(PyDictView(.values, d))
        case "items": return .obj(PyDictView(.items, d))
        case "get":
            try need(a, 1, "get")
            try checkHashable(a[0])
            return d.get(a[0]) ?? (a.count > 1 ? a[1] : .none)
        case "pop":
            try need(a, 1, "pop")
            if let v = d.remove(a[0]) { return v }
            if a.count > 1 { return a[1] }
            throw errValue("KeyError", a[0])
        case "popitem":
            guard let k = d.keys.last(where: { $0 != nil }) ?? nil else { throw err("KeyError", "popitem(): dictionary is empty") }
            let v = d.remove(k)!
            return .tuple(PyTuple([k, v]))
        case "setdefault":
            try checkHashable(a[0])
            if let v = d.get(a[0]) { return v }
            let v = a.count > 1 ? a[1] : .none
            d.set(a[0], v)
            return v
        case "update":
            if let src = a.first { try dictUpdate(d, src) }
            for (k, v) in kw { d.set(.str(k), v) }
            return .none
        case "clear": d.clear(); return .none
        case "copy": return .dict(d.copy())
        case "fromkeys": return try call(typeMethodValue(typeClasses["dict"]!, "fromkeys")!, a, [])
        default: throw err("AttributeError", "'dict' object has no attribute '\(name)'")
        }
    }

    // MARK: set

    func setMethod(_ s: PySet, _ name: String, _ a: [Value], _ kw: [(String, Value)]) throws -> Value {
        func other(_ v: Value) throws -> PySet {
            if case .obj(let o as PySet) = v { return o }
            let r = PySet()
            try iterate(v) { x in try checkHashable(x); r.add(x); return true }
            return r
        }
        if s.frozen && ["add", "remove", "discard", "pop", "clear", "update", "intersection_update", "difference_update",
                        "symmetric_difference_update"].contains(name) {
            throw err("AttributeError", "'frozenset' object has no attribute '\(name)'")
        }
        switch name {
        case "add": try checkHashable(a[0]); s.add(a[0]); return .none
        case "remove": if !s.d.remove(a[0]) { throw errValue("KeyError", a[0]) }; return .none
        case "discard": s.d.remove(a[0]); return .none
        case "pop":
            guard let k = s.elements.first else { throw err("KeyError", "pop from an empty set") }
            s.d.remove(k); return k
        case "clear": s.d.removeAll(); s.peak = 0; return .none
        case "copy": return .obj(s.copied())
        case "union", "intersection", "difference", "symmetric_difference":
            var cur: Value = .obj(s)
            let op: BinOpKind = name == "union" ? .bor : name == "intersection" ? .band : name == "difference" ? .sub : .bxor
            for x in a { cur = try binop(op, cur, .obj(try other(x))) }
            if a.isEmpty { return .obj(s.copied()) }
            return cur
        case "update", "intersection_update", "difference_update", "symmetric_difference_update":
            let op: BinOpKind = name == "update" ? .bor : name == "intersection_update" ? .band : name == "difference_update" ? .sub : .bxor
            for x in a {
                let r = try binop(op, .obj(s), .obj(try other(x)))
                if case .obj(let rs as PySet) = r { s.replaceElements(with: rs) }
            }
            return .none
        // (membership tests need no iteration order: the table's keys, not CPython's order of `elements`)
        case "issubset": let o = try other(a[0]); return .bool(s.d.keys.allSatisfy { $0.map { o.contains($0) } ?? true })
        case "issuperset": let o = try other(a[0]); return .bool(o.d.keys.allSatisfy { $0.map { s.contains($0) } ?? true })
        case "isdisjoint": let o = try other(a[0]); return .bool(!s.d.keys.contains { $0.map { o.contains($0) } ?? false })
        default: throw err("AttributeError", "'\(s.typeName)' object has no attribute '\(name)'")
        }
    }

}

func bytesFind(_ b: [UInt8], _ sub: [UInt8], _ from: Int) -> Int {
    if sub.isEmpty { return from <= b.count ? from : -1 }
    var i = from
    while i + sub.count <= b.count {
        if b[i] == sub[0] && Array(b[i..<(i + sub.count)]) == sub { return i }
        i += 1
    }
    return -1
}

extension Interpreter {
    /// int.to_bytes/from_bytes's byteorder ('big' when not given).
    func byteOrderIsLittle(_ v: Value?) throws -> Bool {
        switch v ?? .str("big") {
        case .str("little"): return true
        case .str("big"): return false
        case .str: throw err("ValueError", "byteorder must be either 'little' or 'big'")
        default: throw typeError("to_bytes() argument 'byteorder' must be str, not \(typeName(v!))")
        }
    }
}

func gcdBig(_ a: BigInt, _ b: BigInt) -> BigInt { BigInt.gcd(a, b) }

extension Interpreter {
    /// Mirrors `bytes.fromhex`: pairs of hex digits, whitespace between pairs skipped; CPython's ValueError names
    /// the position of the first character that is not part of a pair.
    func bytesFromHex(_ s: String) throws -> [UInt8] {
        let u = Array(s.unicodeScalars)
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        func digit(_ c: Unicode.Scalar) -> UInt8? { c.isASCII ? UInt8(String(c), radix: 16) : nil }
        var k = 0
        while k < u.count {
            if u[k].properties.isWhitespace { k += 1; continue }
            guard let hi = digit(u[k]) else {
                throw err("ValueError", "non-hexadecimal number found in fromhex() arg at position \(k)")
            }
            guard k + 1 < u.count, let lo = digit(u[k + 1]) else {
                throw err("ValueError", "non-hexadecimal number found in fromhex() arg at position \(k + 1)")
            }
            out.append(hi << 4 | lo)
            k += 2
        }
        return out
    }

    /// Mirrors `float.hex`: '0x1.<13 hex digits>p<exp>' for normal numbers, '0x0.<13 digits>p-1022' for
    /// subnormal ones, '0x0.0p+0' for zeros (C's %a drops the trailing zeros CPython keeps).
    func floatHex(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let sign = d.sign == .minus ? "-" : ""
        if d == 0 { return sign + "0x0.0p+0" }
        let bits = d.bitPattern
        let frac = bits & ((1 << 52) - 1)
        let expBits = Int((bits >> 52) & 0x7ff)
        let lead = expBits == 0 ? "0" : "1"
        let exp = expBits == 0 ? -1022 : expBits - 1023
        var digits = String(frac, radix: 16)
        digits = String(repeating: "0", count: 13 - digits.count) + digits
        return "\(sign)0x\(lead).\(digits)p\(exp >= 0 ? "+" : "")\(exp)"
    }

    /// Mirrors `float.fromhex`: [sign] ['0x'] hex digits [. hex digits] ['p' [sign] decimal exponent], or inf/nan,
    /// surrounding whitespace allowed; rounded to nearest by strtod, OverflowError past the largest double.
    func floatFromHex(_ text: String) throws -> Double {
        let s = text.trimmingCharacters(in: .whitespaces)
        let body = s.hasPrefix("-") || s.hasPrefix("+") ? String(s.dropFirst()) : s
        let lower = body.lowercased()
        let neg = s.hasPrefix("-")
        if ["inf", "infinity"].contains(lower) { return neg ? -.infinity : .infinity }
        if lower == "nan" { return .nan }
        var rest = Substring(lower)
        if rest.hasPrefix("0x") { rest = rest.dropFirst(2) }
        let mantissa = rest.prefix { $0 != "p" }
        let exponent = rest.dropFirst(mantissa.count)
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isHex: (Character) -> Bool = { $0.isHexDigit && $0.isASCII }
        let validMantissa = !mantissa.isEmpty && parts.count <= 2 && parts.allSatisfy { $0.allSatisfy(isHex) }
            && parts.contains { !$0.isEmpty }
        var validExponent = true
        if !exponent.isEmpty {
            var e = exponent.dropFirst()
            if e.hasPrefix("-") || e.hasPrefix("+") { e = e.dropFirst() }
            validExponent = !e.isEmpty && e.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard validMantissa, validExponent else { throw err("ValueError", "invalid hexadecimal floating-point string") }
        let canonical = (neg ? "-" : "") + "0x" + mantissa + (exponent.isEmpty ? "p0" : String(exponent))
        errno = 0
        let d = strtod(canonical, nil)
        if d.isInfinite { throw err("OverflowError", "hexadecimal value too large to represent as a float") }
        return d
    }
}

/// Where and why `b` is not UTF-8, in CPython's words ("can't decode byte 0xff in position 0: invalid start
/// byte"; "unexpected end of data" for a sequence cut short; "invalid continuation byte").
func utf8Problem(_ b: [UInt8]) -> String {
    var k = 0
    func hx(_ x: UInt8) -> String { "0x" + (x < 16 ? "0" : "") + String(x, radix: 16) }
    while k < b.count {
        let c = b[k]
        if c < 0x80 { k += 1; continue }
        let need: Int, lo: UInt8, hi: UInt8
        switch c {
        case 0xC2...0xDF: need = 1; lo = 0x80; hi = 0xBF
        case 0xE0: need = 2; lo = 0xA0; hi = 0xBF
        case 0xED: need = 2; lo = 0x80; hi = 0x9F
        case 0xE1...0xEF: need = 2; lo = 0x80; hi = 0xBF
        case 0xF0: need = 3; lo = 0x90; hi = 0xBF
        case 0xF4: need = 3; lo = 0x80; hi = 0x8F
        case 0xF1...0xF3: need = 3; lo = 0x80; hi = 0xBF
        default: return "can't decode byte \(hx(c)) in position \(k): invalid start byte"
        }
        var j = 1
        while j <= need {
            guard k + j < b.count else {
                // the data ends inside a sequence whose bytes so far were valid
                return k + j - 1 > k ? "can't decode bytes in position \(k)-\(k + j - 1): unexpected end of data"
                    : "can't decode byte \(hx(c)) in position \(k): unexpected end of data"
            }
            let x = b[k + j]
            let ok = j == 1 ? (lo...hi).contains(x) : (0x80...0xBF).contains(x)
            if !ok { return "can't decode byte \(hx(c)) in position \(k): invalid continuation byte" }
            j += 1
        }
        k += need + 1
    }
    return "can't decode bytes"
}
