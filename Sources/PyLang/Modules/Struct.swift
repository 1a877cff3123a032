// The `struct` module: pack/unpack of C values in bytes, as CPython's `Modules/_struct.c` (native `@` sizes and
// alignment of x86-64 Linux; standard `<`, `>`, `=`, `!` sizes without alignment), with its messages.
import Foundation

/// A parsed format: byte order, the items and the total size.
final class StructFormat {
    struct Item { let code: Character; let count: Int; let size: Int; let offset: Int }
    let format: String
    let littleEndian: Bool
    let native: Bool
    var items: [Item] = []
    var size = 0
    /// How many values pack takes and unpack gives.
    var arity = 0

    init(_ interp: Interpreter, _ format: String) throws {
        self.format = format
        var chars = Array(format)
        var le = true, nat = true
        if let f = chars.first, "@=<>!".contains(f) {
            chars.removeFirst()
            nat = f == "@"
            le = f == "@" || f == "=" || f == "<"
        }
        littleEndian = le
        native = nat
        var k = 0
        while k < chars.count {
            let ch = chars[k]
            if ch.isWhitespace { k += 1; continue }
            var count = 1
            if ch.isASCII && ch.isNumber {
                var n = 0
                while k < chars.count, chars[k].isASCII, chars[k].isNumber { n = n * 10 + Int(String(chars[k]))!; k += 1 }
                guard k < chars.count else { throw interp.err("struct.error", "repeat count given without format specifier") }
                count = n
            }
            let code = chars[k]
            k += 1
            guard let sz = StructFormat.itemSize(code, native: nat) else { throw interp.err("struct.error", "bad char in struct format") }
            if nat && sz > 1 && code != "s" && code != "p" { size = (size + sz - 1) / sz * sz }
            switch code {
            case "s", "p":
                items.append(Item(code: code, count: count, size: count, offset: size)); size += count; arity += 1
            case "x":
                size += count
            default:
                for _ in 0..<count { items.append(Item(code: code, count: 1, size: sz, offset: size)); size += sz; arity += 1 }
            }
        }
    }

    static func itemSize(_ c: Character, native: Bool) -> Int? {
        switch c {
        case "x", "c", "b", "B", "?", "s", "p": return 1
        case "h", "H", "e": return 2
        case "i", "I", "f": return 4
        case "l", "L": return native ? 8 : 4
        case "q", "Q", "d": return 8
        case "n", "N", "P": return native ? 8 : nil
        default: return nil
        }
    }

    func pack(_ interp: Interpreter, _ args: [Value]) throws -> [UInt8] {
        if args.count != arity { throw interp.err("struct.error", "pack expected \(arity) items for packing (got \(args.count))") }
        var out = [UInt8](repeating: 0, count: size)
        for (n, item) in items.enumerated() {
            let v = args[n]
            func put(_ bits: UInt64, _ width: Int) {
                for b in 0..<width {
                    let byte = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(b)))
                    out[item.offset + (littleEndian ? b : width - 1 - b)] = byte
                }
            }
            switch item.code {
            case "s", "p":
                guard case .obj(let o) = v, o is PyBytes || o is PyByteArray else {
                    throw interp.err("struct.error", "argument for '\(item.code)' must be a bytes object")
                }
                var b = try interp.bytesArg(.obj(o))
                if item.code == "p" {
                    if item.count == 0 { continue }
                    b = Array(b.prefix(min(item.count - 1, 255)))
                    out[item.offset] = UInt8(b.count)
                    for (j, x) in b.enumerated() { out[item.offset + 1 + j] = x }
                } else {
                    for (j, x) in b.prefix(item.count).enumerated() { out[item.offset + j] = x }
                }
            case "c":
                guard case .obj(let o) = v, let b = try? interp.bytesArg(.obj(o)), b.count == 1 else {
                    throw interp.err("struct.error", "char format requires a bytes object of length 1")
                }
                out[item.offset] = b[0]
            case "?":
                out[item.offset] = try interp.truthy(v) ? 1 : 0
            case "e", "f", "d":
                let d: Double
                switch v {
                case .float(let x): d = x
                case .int, .bool, .bigBox: d = try interp.toDouble(v)
                default:
                    guard case .obj(let inst as PyInstance) = v, inst.cls.lookup("__float__") != nil else {
                        throw interp.err("struct.error", "required argument is not a float")
                    }
                    d = try interp.toDouble(v)
                }
                if item.code == "d" { put(d.bitPattern, 8) }
                else if item.code == "f" {
                    let f = Float(d)
                    if f.isInfinite && d.isFinite { throw interp.err("OverflowError", "float too large to pack with f format") }
                    put(UInt64(f.bitPattern), 4)
                } else {
                    let h = Float16(d)
                    if h.isInfinite && d.isFinite { throw interp.err("OverflowError", "float too large to pack with e format") }
                    put(UInt64(h.bitPattern), 2)
                }
            default:
                let big: PyBig
                switch v {
                case .int(let x): big = PyBig(x)
                case .bool(let b): big = PyBig(b ? 1 : 0)
                case .bigBox(let b): big = b
                default:
                    if case .obj(let inst as PyInstance) = v, inst.cls.lookup("__index__") != nil,
                       case .int(let x) = try interp.call(try interp.getAttr(v, "__index__"), []) {
                        big = PyBig(x)
                    } else {
                        throw interp.err("struct.error", "required argument is not an integer")
                    }
                }
                let signed = "bhilqn".contains(item.code)
                let width = item.size
                let lo: PyBig = signed ? -(PyBig(1) << (8 * width - 1)) : PyBig(0)
                let hi: PyBig = signed ? (PyBig(1) << (8 * width - 1)) - PyBig(1) : (PyBig(1) << (8 * width)) - PyBig(1)
                if big < lo || hi < big {
                    let msg: String
                    switch item.code {
                    case "b": msg = "byte format requires -128 <= number <= 127"
                    case "B": msg = "ubyte format requires 0 <= number <= 255"
                    case "h": msg = "short format requires -32768 <= number <= 32767"
                    case "H": msg = "ushort format requires 0 <= number <= 65535"
                    default:
                        if width == 4 && (signed || !big.isNegative) { msg = "'\(item.code)' format requires \(lo) <= number <= \(hi)" }
                        else { msg = "argument out of range" }
                    }
                    throw interp.err("struct.error", msg)
                }
                put(big.lowBits, width)
            }
        }
        return out
    }

    func unpack(_ interp: Interpreter, _ b: [UInt8], at start: Int = 0) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(arity)
        for item in items {
            let o = start + item.offset
            func get(_ width: Int) -> UInt64 {
                var bits: UInt64 = 0
                for k in 0..<width { bits |= UInt64(b[o + (littleEndian ? k : width - 1 - k)]) << (8 * UInt64(k)) }
                return bits
            }
            switch item.code {
            case "s": out.append(.obj(PyBytes(Array(b[o..<(o + item.count)]))))
            case "p":
                if item.count == 0 { out.append(.obj(PyBytes([]))); continue }
                let n = min(Int(b[o]), item.count - 1)
                out.append(.obj(PyBytes(Array(b[(o + 1)..<(o + 1 + n)]))))
            case "c": out.append(.obj(PyBytes([b[o]])))
            case "?": out.append(.bool(b[o] != 0))
            case "d": out.append(.float(Double(bitPattern: get(8))))
            case "f": out.append(.float(Double(Float(bitPattern: UInt32(get(4))))))
            case "e": out.append(.float(Double(Float16(bitPattern: UInt16(get(2))))))
            default:
                let width = item.size
                let bits = get(width)
                if "bhilqn".contains(item.code) {
                    let shift = UInt64(64 - 8 * width)
                    out.append(.int(Int(Int64(bitPattern: bits << shift) >> Int64(shift))))
                } else if bits > UInt64(Int.max) {
                    out.append(.bigOrInt(PyBig(bits)))
                } else {
                    out.append(.int(Int(bits)))
                }
            }
        }
        return out
    }
}

extension Interpreter {
    func makeStruct() -> PyModule {
        let m = PyModule(name: "struct")
        let errorClass = PyClass(name: "error", bases: [excClass("Exception")], dict: [:])
        errorClass.module = "struct"
        excClasses["struct.error"] = errorClass
        m.set("error", .obj(errorClass))
        var cache: [String: StructFormat] = [:]
        func format(_ i: Interpreter, _ v: Value?, _ fn: String) throws -> StructFormat {
            guard let v else { throw i.typeError("\(fn)() missing required argument 'format' (pos 1)") }
            let s: String
            if case .obj(let b as PyBytes) = v { s = String(decoding: b.b, as: UTF8.self) }
            else if case .str(let t) = v { s = t.s }
            else if case .obj(let inst as PyInstance) = v, let f = inst.payload as? StructFormat { return f }
            else { throw i.typeError("Struct() argument 1 must be a str or bytes object, not \(i.typeName(v))") }
            if let f = cache[s] { return f }
            let f = try StructFormat(i, s)
            if cache.count > 100 { cache.removeAll() }
            cache[s] = f
            return f
        }
        func buffer(_ i: Interpreter, _ v: Value) throws -> [UInt8] {
            guard let b = try? i.bytesArg(v) else { throw i.typeError("a bytes-like object is required, not '\(i.typeName(v))'") }
            return b
        }
        func unpack(_ i: Interpreter, _ f: StructFormat, _ v: Value) throws -> Value {
            let b = try buffer(i, v)
            if b.count != f.size { throw i.err("struct.error", "unpack requires a buffer of \(f.size) bytes") }
            return .tuple(PyTuple(f.unpack(i, b)))
        }
        func unpackFrom(_ i: Interpreter, _ f: StructFormat, _ v: Value, _ offset: Int) throws -> Value {
            let b = try buffer(i, v)
            var off = offset
            if off < 0 {
                if off + b.count < 0 { throw i.err("struct.error", "offset \(off) out of range for \(b.count)-byte buffer") }
                off += b.count
            }
            if b.count - off < f.size {
                if off > b.count { throw i.err("struct.error", "offset \(off) out of range for \(b.count)-byte buffer") }
                throw i.err("struct.error", "unpack_from requires a buffer of at least \(f.size + off) bytes for unpacking \(f.size) bytes at offset \(off) (actual buffer size is \(b.count))")
            }
            return .tuple(PyTuple(f.unpack(i, b, at: off)))
        }
        func iterUnpack(_ i: Interpreter, _ f: StructFormat, _ v: Value) throws -> Value {
            let b = try buffer(i, v)
            if f.size == 0 { throw i.err("struct.error", "cannot iteratively unpack with a struct of length 0") }
            if b.count % f.size != 0 { throw i.err("struct.error", "iterative unpacking requires a buffer of a multiple of \(f.size) bytes") }
            var at = 0
            return .obj(PyIterator("unpack_iterator") {
                if at >= b.count { return nil }
                defer { at += f.size }
                return .tuple(PyTuple(f.unpack(i, b, at: at)))
            })
        }
        func packInto(_ i: Interpreter, _ f: StructFormat, _ a: [Value]) throws -> Value {
            guard a.count >= 2, case .obj(let buf as PyByteArray) = a[0] else {
                throw i.typeError("argument must be read-write bytes-like object, not \(a.first.map { i.typeName($0) } ?? "nothing")")
            }
            var off = try i.intArg(a[1])
            if off < 0 { off += buf.b.count }
            let packed = try f.pack(i, Array(a.dropFirst(2)))
            if off < 0 || off + f.size > buf.b.count {
                throw i.err("struct.error", "pack_into requires a buffer of at least \(f.size + off) bytes for packing \(f.size) bytes at offset \(off) (actual buffer size is \(buf.b.count))")
            }
            buf.b.replaceSubrange(off..<(off + f.size), with: packed)
            return .none
        }
        m.fn("calcsize") { i, a, _ in .int(try format(i, a.first, "calcsize").size) }
        m.fn("pack") { i, a, _ in .obj(PyBytes(try format(i, a.first, "pack").pack(i, Array(a.dropFirst())))) }
        m.fn("pack_into") { i, a, _ in try packInto(i, try format(i, a.first, "pack_into"), Array(a.dropFirst())) }
        m.fn("unpack") { i, a, _ in try i.need(a, 2, "unpack"); return try unpack(i, try format(i, a[0], "unpack"), a[1]) }
        m.fn("unpack_from") { i, a, kw in
            let args = Args(a, kw, "unpack_from")
            guard let buf = args.get(1, "buffer") else { throw i.typeError("unpack_from() missing required argument 'buffer' (pos 2)") }
            return try unpackFrom(i, try format(i, a.first, "unpack_from"), buf, try args.get(2, "offset").map { try i.intArg($0) } ?? 0)
        }
        m.fn("iter_unpack") { i, a, _ in try i.need(a, 2, "iter_unpack"); return try iterUnpack(i, try format(i, a[0], "iter_unpack"), a[1]) }
        func fmt(_ i: Interpreter, _ a: [Value]) throws -> StructFormat {
            guard case .obj(let inst as PyInstance)? = a.first, let f = inst.payload as? StructFormat else {
                throw i.typeError("descriptor requires a '_struct.Struct' object")
            }
            return f
        }
        let structClass = nativeClass("Struct", module: "_struct", methods: [
            "__init__": { i, a, kw in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                let f = try format(i, a.count > 1 ? a[1] : kw.first { $0.0 == "format" }?.1, "Struct")
                inst.payload = f
                inst.dict["format"] = .str(f.format)
                inst.dict["size"] = .int(f.size)
                return .none
            },
            "pack": { i, a, _ in .obj(PyBytes(try fmt(i, a).pack(i, Array(a.dropFirst())))) },
            "pack_into": { i, a, _ in try packInto(i, try fmt(i, a), Array(a.dropFirst())) },
            "unpack": { i, a, _ in try i.need(a, 2, "unpack"); return try unpack(i, try fmt(i, a), a[1]) },
            "unpack_from": { i, a, kw in
                let args = Args(Array(a.dropFirst()), kw, "unpack_from")
                guard let buf = args.get(0, "buffer") else { throw i.typeError("unpack_from() missing required argument 'buffer' (pos 1)") }
                return try unpackFrom(i, try fmt(i, a), buf, try args.get(1, "offset").map { try i.intArg($0) } ?? 0)
            },
            "iter_unpack": { i, a, _ in try i.need(a, 2, "iter_unpack"); return try iterUnpack(i, try fmt(i, a), a[1]) },
        ])
        m.set("Struct", .obj(structClass))
        return m
    }
}
