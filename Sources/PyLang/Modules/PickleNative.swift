// CPython's pickle format for the common values, natively: what `_pickle.c` is to `Lib/pickle.py`, for the
// messages a program sends over a connection (None, bools, ints, floats, str, bytes, and tuples, lists and dicts
// of them). The writer emits protocol 4 as CPython's C pickler does (PROTO, one FRAME, MEMOIZE after each
// memoised object, APPENDS/SETITEMS in batches of 1,000), so its bytes are CPython's for values with no repeated
// objects; the reader takes that subset of opcodes from any writer. Anything else — an instance, a set, a big
// int, a list or dict reached twice (whose sharing only the memo keeps), an opcode outside the subset — is not
// handled here: the caller falls back to the `pickle` module (Sources/CPyLib/python/pickle.py), which handles
// everything and raises CPython's errors.

extension Interpreter {
    /// `obj` pickled with protocol 4, or nil when it holds something outside the native subset (the caller then
    /// uses `pickle.dumps`). Mirrors `_pickle.c`'s `save` for those types.
    func pickleNative(_ obj: Value) -> [UInt8]? {
        var w = PickleNativeWriter()
        w.out.reserveCapacity(64)
        // PROTO 4, then a FRAME whose 8-byte length is filled in at the end
        w.out.append(contentsOf: [0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0])
        guard w.save(obj) else { return nil }
        w.out.append(0x2E)   // STOP
        let body = w.out.count - 11
        if body < 4 {        // CPython drops a frame smaller than FRAME_SIZE_MIN
            w.out.removeSubrange(2..<11)
        } else {
            for k in 0..<8 { w.out[3 + k] = UInt8(truncatingIfNeeded: UInt64(body) >> (8 * UInt64(k))) }
        }
        return w.out
    }

    /// The value `bytes` pickles, or nil when they use an opcode or a value outside the native subset, or are
    /// malformed (the caller then uses `pickle.loads`, which decodes the rest and reports what is wrong).
    /// Mirrors `_pickle.c`'s `load` for those opcodes.
    func unpickleNative(_ bytes: [UInt8]) -> Value? {
        bytes.withUnsafeBufferPointer { b in
            var r = PickleNativeReader(b: b)
            return r.load()
        }
    }
}

private struct PickleNativeWriter {
    var out: [UInt8] = []
    /// The lists and dicts being written, or written: one met again goes to the full pickler, whose memo keeps
    /// the sharing (and refuses nothing a cycle needs).
    var containers = Set<ObjectIdentifier>()
    var depth = 0

    mutating func le(_ v: UInt64, _ n: Int) {
        for k in 0..<n { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    mutating func memoize() { out.append(0x94) }

    mutating func save(_ v: Value) -> Bool {
        switch v {
        case .none: out.append(0x4E)
        case .bool(let b): out.append(b ? 0x88 : 0x89)
        case .int(let i): saveInt(i)
        case .float(let d): out.append(0x47); for k in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: d.bitPattern >> (8 * UInt64(k)))) }
        case .str(let s):
            let n = s.s.utf8.count
            if n < 256 { out.append(0x8C); out.append(UInt8(n)) }
            else if n <= 0xFFFF_FFFF { out.append(0x58); le(UInt64(n), 4) }
            else { out.append(0x8D); le(UInt64(n), 8) }
            Encoder.appendUTF8(s.s, to: &out)
            memoize()
        case .obj(let o as PyBytes):
            let n = o.b.count
            if n < 256 { out.append(0x43); out.append(UInt8(n)) }
            else if n <= 0xFFFF_FFFF { out.append(0x42); le(UInt64(n), 4) }
            else { out.append(0x8E); le(UInt64(n), 8) }
            out.append(contentsOf: o.b)
            memoize()
        case .tuple(let t):
            let items = t.items
            if items.isEmpty { out.append(0x29); return true }
            depth += 1; defer { depth -= 1 }
            if depth > 200 { return false }
            if items.count <= 3 {
                for x in items where !save(x) { return false }
                out.append(0x84 + UInt8(items.count))   // TUPLE1, TUPLE2, TUPLE3
            } else {
                out.append(0x28)   // MARK
                for x in items where !save(x) { return false }
                out.append(0x74)   // TUPLE
            }
            memoize()
        case .list(let l):
            guard containers.insert(ObjectIdentifier(l)).inserted else { return false }
            depth += 1; defer { depth -= 1 }
            if depth > 200 { return false }
            out.append(0x5D); memoize()   // EMPTY_LIST
            let items = l.items
            var k = 0
            while k < items.count {
                let end = min(k + 1000, items.count)
                if end - k == 1 {
                    guard save(items[k]) else { return false }
                    out.append(0x61)   // APPEND
                } else {
                    out.append(0x28)
                    for x in items[k..<end] where !save(x) { return false }
                    out.append(0x65)   // APPENDS
                }
                k = end
            }
        case .dict(let d):
            guard containers.insert(ObjectIdentifier(d)).inserted else { return false }
            depth += 1; defer { depth -= 1 }
            if depth > 200 { return false }
            out.append(0x7D); memoize()   // EMPTY_DICT
            let keys = d.keys, vals = d.vals
            var entries: [Int] = []
            entries.reserveCapacity(d.count)
            for e in 0..<keys.count where keys[e] != nil { entries.append(e) }
            var k = 0
            while k < entries.count {
                let end = min(k + 1000, entries.count)
                if end - k == 1 {
                    guard save(keys[entries[k]]!), save(vals[entries[k]]) else { return false }
                    out.append(0x73)   // SETITEM
                } else {
                    out.append(0x28)
                    for e in entries[k..<end] { guard save(keys[e]!), save(vals[e]) else { return false } }
                    out.append(0x75)   // SETITEMS
                }
                k = end
            }
        default: return false
        }
        return true
    }

    /// `_pickle.c`'s `save_long`: BININT1, BININT2, BININT, else LONG1 with the fewest two's-complement bytes.
    mutating func saveInt(_ i: Int) {
        if i >= 0 && i < 0x100 { out.append(0x4B); out.append(UInt8(i)) }
        else if i >= 0 && i < 0x10000 { out.append(0x4D); le(UInt64(i), 2) }
        else if i >= Int(Int32.min) && i <= Int(Int32.max) { out.append(0x4A); le(UInt64(bitPattern: Int64(i)), 4) }
        else {
            // encode_long: nbytes = bit_length // 8 + 1, trimmed by one for a negative whose top byte is redundant
            let bits = Int.bitWidth - i.magnitude.leadingZeroBitCount
            var n = (bits >> 3) + 1
            if i < 0 && n > 1 {
                let top = UInt8(truncatingIfNeeded: i >> (8 * (n - 1)))
                let next = UInt8(truncatingIfNeeded: i >> (8 * (n - 2)))
                if top == 0xFF && next & 0x80 != 0 { n -= 1 }
            }
            n = min(n, 8)
            out.append(0x8A); out.append(UInt8(n))
            le(UInt64(bitPattern: Int64(i)), n)
        }
    }
}

private struct PickleNativeReader {
    let b: UnsafeBufferPointer<UInt8>
    var p = 0
    var stack: [Value] = []
    var marks: [Int] = []
    var memo: [Value] = []

    init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

    mutating func take(_ n: Int) -> UnsafeBufferPointer<UInt8>? {
        guard n >= 0, n <= b.count - p else { return nil }
        p += n
        return UnsafeBufferPointer(rebasing: b[(p - n)..<p])
    }

    mutating func uint(_ n: Int) -> Int? {
        guard let r = take(n) else { return nil }
        var v: UInt64 = 0
        for k in 0..<n { v |= UInt64(r[k]) << (8 * UInt64(k)) }
        return v > UInt64(Int.max) ? nil : Int(v)
    }

    mutating func popMark() -> [Value]? {
        guard let m = marks.popLast(), m <= stack.count else { return nil }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    /// Keys the native dict takes without running Python (`__hash__`/`__eq__` of an instance): the scalars and
    /// tuples of them.
    static func plainKey(_ k: Value) -> Bool {
        switch k {
        case .none, .bool, .int, .float, .str: return true
        case .obj(let o): return o is PyBytes
        case .tuple(let t): return t.items.allSatisfy(plainKey)
        default: return false
        }
    }

    mutating func setItems(_ items: [Value]) -> Bool {
        guard items.count % 2 == 0, case .dict(let d)? = stack.last else { return false }
        var k = 0
        while k < items.count {
            guard PickleNativeReader.plainKey(items[k]) else { return false }
            d.set(items[k], items[k + 1])
            k += 2
        }
        return true
    }

    mutating func load() -> Value? {
        while p < b.count {
            let op = b[p]
            p += 1
            switch op {
            case 0x80: guard let v = take(1), v[0] <= 5 else { return nil }           // PROTO
            case 0x95: guard take(8) != nil else { return nil }                     // FRAME
            case 0x4E: stack.append(.none)
            case 0x88: stack.append(.bool(true))
            case 0x89: stack.append(.bool(false))
            case 0x4B: guard let v = uint(1) else { return nil }; stack.append(.int(v))   // BININT1
            case 0x4D: guard let v = uint(2) else { return nil }; stack.append(.int(v))   // BININT2
            case 0x4A: guard let v = uint(4) else { return nil }                        // BININT
                stack.append(.int(Int(Int32(truncatingIfNeeded: v))))
            case 0x8A:                                                                   // LONG1
                guard let n = uint(1), n <= 8, let r = take(n) else { return nil }
                var v: UInt64 = 0
                for k in 0..<n { v |= UInt64(r[k]) << (8 * UInt64(k)) }
                if n > 0 && n < 8 && r[n - 1] & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }   // sign-extend
                stack.append(.int(Int(Int64(bitPattern: v))))
            case 0x47:                                                                   // BINFLOAT
                guard let r = take(8) else { return nil }
                var bits: UInt64 = 0
                for k in 0..<8 { bits = bits << 8 | UInt64(r[k]) }
                stack.append(.float(Double(bitPattern: bits)))
            case 0x8C, 0x58, 0x8D:                                                       // SHORT_BINUNICODE, BINUNICODE, BINUNICODE8
                guard let n = uint(op == 0x8C ? 1 : op == 0x58 ? 4 : 8), let r = take(n),
                      let s = Decoder.utf8(r) else { return nil }
                stack.append(.str(s))
            case 0x43, 0x42, 0x8E:                                                       // SHORT_BINBYTES, BINBYTES, BINBYTES8
                guard let n = uint(op == 0x43 ? 1 : op == 0x42 ? 4 : 8), let r = take(n) else { return nil }
                stack.append(.obj(PyBytes(Array(r))))
            case 0x29: stack.append(.tuple(PyTuple.empty))                               // EMPTY_TUPLE
            case 0x85, 0x86, 0x87:                                                       // TUPLE1..3
                let n = Int(op - 0x84)
                guard stack.count >= n, (marks.last ?? 0) <= stack.count - n else { return nil }
                let items = Array(stack.suffix(n))
                stack.removeLast(n)
                stack.append(.tuple(PyTuple(items)))
            case 0x28: marks.append(stack.count)                                         // MARK
            case 0x74: guard let items = popMark() else { return nil }; stack.append(.tuple(PyTuple(items)))   // TUPLE
            case 0x5D: stack.append(.list(PyList([])))                                   // EMPTY_LIST
            case 0x6C: guard let items = popMark() else { return nil }; stack.append(.list(PyList(items)))     // LIST
            case 0x7D: stack.append(.dict(PyDict()))                                     // EMPTY_DICT
            case 0x64:                                                                   // DICT
                guard let items = popMark() else { return nil }
                stack.append(.dict(PyDict()))
                guard setItems(items) else { return nil }
            case 0x61:                                                                   // APPEND
                guard stack.count >= 2, (marks.last ?? 0) <= stack.count - 2, case .list(let l) = stack[stack.count - 2] else { return nil }
                l.items.append(stack.removeLast())
            case 0x65:                                                                   // APPENDS
                guard let items = popMark(), case .list(let l)? = stack.last else { return nil }
                l.items.append(contentsOf: items)
            case 0x73:                                                                   // SETITEM
                guard stack.count >= 3, (marks.last ?? 0) <= stack.count - 3 else { return nil }
                let v = stack.removeLast(), k = stack.removeLast()
                guard setItems([k, v]) else { return nil }
            case 0x75: guard let items = popMark(), setItems(items) else { return nil }   // SETITEMS
            case 0x94: guard let v = stack.last else { return nil }; memo.append(v)      // MEMOIZE
            case 0x71, 0x72:                                                             // BINPUT, LONG_BINPUT
                guard let n = uint(op == 0x71 ? 1 : 4), let v = stack.last else { return nil }
                if n == memo.count { memo.append(v) } else if n < memo.count { memo[n] = v } else { return nil }
            case 0x68, 0x6A:                                                             // BINGET, LONG_BINGET
                guard let n = uint(op == 0x68 ? 1 : 4), n < memo.count else { return nil }
                stack.append(memo[n])
            case 0x2E:                                                                   // STOP
                guard p == b.count, stack.count == 1, marks.isEmpty else { return nil }
                return stack[0]
            default: return nil
            }
        }
        return nil
    }
}
