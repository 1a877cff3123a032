// Truthiness, equality, ordering, hashing checks and membership, with the rich-comparison protocol and its
// reflected operands. Mirrors CPython's `Objects/object.c` (PyObject_RichCompare, PyObject_IsTrue).
import CShim
import CPyLib
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    public func truthy(_ v: Value) throws -> Bool {
        if let b = builtinBase(v, unless: .bool) { return try truthy(b) }
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .bigBox(let b): return !b.v.isZero
        case .float(let d): return d != 0
        case .str(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.items.isEmpty
        case .dict(let d): return d.count > 0
        case .obj(let o):
            if let i = o as? PyInstance {
                if let b = i.cls.lookup(.bool) { return try truthy(try callBound(b, v, [], [])) }
                if let l = i.cls.lookup(.len) { return try truthy(try callBound(l, v, [], [])) }
                return true
            }
            if let s = o as? PySet { return s.d.count > 0 }
            if let dv = o as? PyDictView { return dv.d.count > 0 }
            if let b = o as? PyBytes { return !b.b.isEmpty }
            if let b = o as? PyByteArray { return !b.b.isEmpty }
            if let r = o as? PyRange { return r.count > 0 }
            return true
        }
    }

    public func eq(_ a: Value, _ b: Value) throws -> Bool {
        if let x = builtinBase(a, unless: .eq) { return try eq(x, builtinBase(b, unless: .eq) ?? b) }
        if let y = builtinBase(b, unless: .eq) { return try eq(a, y) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.str(let x), .str(let y)): return PyStr.equal(x, y)
        case (.list(let x), .list(let y)):
            if x === y { return true }
            if x.items.count != y.items.count { return false }
            for i in 0..<x.items.count where !(try sameOrEqual(x.items[i], y.items[i])) { return false }
            return true
        case (.tuple(let x), .tuple(let y)):
            if x.items.count != y.items.count { return false }
            for i in 0..<x.items.count where !(try sameOrEqual(x.items[i], y.items[i])) { return false }
            return true
        case (.dict(let x), .dict(let y)):
            if x.count != y.count { return false }
            for (k, v) in x.items {
                guard let w = y.get(k) else { return false }
                if !(try sameOrEqual(v, w)) { return false }
            }
            return true
        case (.obj(let x as PyInstance), _):
            if x.cls.lookup(.eq) == nil, case .obj(let y) = b {
                // neither defines __eq__: identity (object's), without the protocol's steps
                if let yi = y as? PyInstance { if yi.cls.lookup(.eq) == nil { return x === y } } else { return x === y }
            }
            return try truthy(try richEquality(a, b, ne: false))
        case (_, .obj(is PyInstance)):
            return try truthy(try richEquality(a, b, ne: false))
        case (.obj(let x as PyDictView), _) where x.kind != .values: return try viewEquals(x, b)
        case (_, .obj(let y as PyDictView)) where y.kind != .values: return try viewEquals(y, a)
        case (.bigBox, .int), (.int, .bigBox): return false   // a big int never fits a machine word
        case (.obj(let x as PyRange), .obj(let y as PyRange)):
            return x.count == y.count && (x.count == 0 || (x.start == y.start && (x.count == 1 || x.step == y.step)))
        default: return keyEquals(a, b)
        }
    }

    /// A keys or items view against another such view or a set: set equality, as CPython's `dictview_richcompare`
    /// (anything else is unequal; a values view compares by identity).
    private func viewEquals(_ v: PyDictView, _ other: Value) throws -> Bool {
        guard case .obj(let o) = other, o is PySet || (o as? PyDictView)?.kind ?? .values != .values else { return false }
        let elements = try toArray(other)
        if elements.count != v.d.count { return false }
        for e in elements {
            if v.kind == .keys {
                guard (try? checkHashable(e)) != nil, v.d.get(e) != nil else { return false }
            } else {
                guard case .tuple(let t) = e, t.items.count == 2, (try? checkHashable(t.items[0])) != nil,
                      let x = v.d.get(t.items[0]), try sameOrEqual(x, t.items[1]) else { return false }
            }
        }
        return true
    }

    /// `a == b` or `a != b` (`ne`) where an operand is an instance, as CPython's `do_richcompare`: the right
    /// operand's method first when its class is a proper subclass of the left's, then the left's, then the right's
    /// (each skipped when it answers NotImplemented), then identity. A class without `__ne__` answers `!=` with
    /// its `__eq__` inverted (object's `__ne__`). The answer is whatever the method returned (it need not be a bool).
    func richEquality(_ a: Value, _ b: Value, ne: Bool) throws -> Value {
        var left: PyInstance? = nil, right: PyInstance? = nil
        if case .obj(let o as PyInstance) = a { left = o }
        if case .obj(let o as PyInstance) = b { right = o }
        var rightTried = false
        if let l = left, let r = right, l.cls !== r.cls, r.cls.isSubclass(of: l.cls) {
            rightTried = true
            if let v = try equalitySlot(r, b, a, ne: ne), !isNotImplemented(v) { return v }
        }
        if let l = left, let v = try equalitySlot(l, a, b, ne: ne), !isNotImplemented(v) { return v }
        if !rightTried, let r = right, let v = try equalitySlot(r, b, a, ne: ne), !isNotImplemented(v) { return v }
        // no method answered: object's comparison, identity (a built-in value never equals an instance here)
        return .bool(ne ? !identical(a, b) : identical(a, b))
    }

    /// What `inst.__eq__(other)` (or `__ne__`) written in Python answers, nil when the class has none (object's).
    private func equalitySlot(_ inst: PyInstance, _ selfValue: Value, _ other: Value, ne: Bool) throws -> Value? {
        if ne {
            if let f = inst.cls.lookup(.ne) { return try callBound(f, selfValue, [other], []) }
            guard let f = inst.cls.lookup(.eq) else { return nil }
            let r = try callBound(f, selfValue, [other], [])
            return isNotImplemented(r) ? r : .bool(!(try truthy(r)))
        }
        guard let f = inst.cls.lookup(.eq) else { return nil }
        return try callBound(f, selfValue, [other], [])
    }

    @inline(__always)
    func isNotImplemented(_ v: Value) -> Bool {
        if case .obj(let o) = v { return o === notImplemented }
        return false
    }

    func compare(_ op: CmpKind, _ a: Value, _ b: Value) throws -> Value {
        // an instance's __eq__ may answer anything: its answer is the comparison's value
        if op == .eq || op == .ne, comparedAsInstances(a, b) { return try richEquality(a, b, ne: op == .ne) }
        // and so may its __lt__, __le__, __gt__, __ge__
        if op == .lt || op == .le || op == .gt || op == .ge, let v = try richOrder(op, a, b) { return v }
        return .bool(try compareBool(op, a, b))
    }

    /// `a < b` (`<=`, `>`, `>=`) when an operand is an instance whose class defines the comparison or its
    /// reflection, as CPython's `do_richcompare`: the right operand's reflected method first when its class is a
    /// proper subclass of the left's, then the left's method, then the right's reflected one; the first answer
    /// that is not NotImplemented is the value, whatever it is. Nil when no such method exists (the built-in
    /// comparisons then decide). When every method answered NotImplemented: a built-in type's subclass compares
    /// as its value, anything else is CPython's TypeError.
    private func richOrder(_ op: CmpKind, _ a: Value, _ b: Value) throws -> Value? {
        var left: PyInstance? = nil, right: PyInstance? = nil
        if case .obj(let o as PyInstance) = a { left = o }
        if case .obj(let o as PyInstance) = b { right = o }
        guard left != nil || right != nil else { return nil }
        let (name, reflected): (PyClass.Special, PyClass.Special)
        switch op {
        case .lt: (name, reflected) = (.lt, .gt)
        case .gt: (name, reflected) = (.gt, .lt)
        case .le: (name, reflected) = (.le, .ge)
        default: (name, reflected) = (.ge, .le)
        }
        let leftMethod = left?.cls.lookup(name), rightMethod = right?.cls.lookup(reflected)
        let x = builtinBase(a) ?? a, y = builtinBase(b) ?? b
        guard leftMethod != nil || rightMethod != nil else {
            // an instance that is not a built-in value has no order of its own (`a <= b` is not `a < b or a == b`)
            if case .obj(is PyInstance) = x { throw orderError(op, a, b) }
            if case .obj(is PyInstance) = y { throw orderError(op, a, b) }
            return nil
        }
        var rightTried = false
        if let l = left, let r = right, l.cls !== r.cls, r.cls.isSubclass(of: l.cls), let f = rightMethod {
            rightTried = true
            let v = try callBound(f, b, [a], [])
            if !isNotImplemented(v) { return v }
        }
        if let f = leftMethod {
            let v = try callBound(f, a, [b], [])
            if !isNotImplemented(v) { return v }
        }
        if !rightTried, let f = rightMethod {
            let v = try callBound(f, b, [a], [])
            if !isNotImplemented(v) { return v }
        }
        if case .obj(is PyInstance) = x { throw orderError(op, a, b) }
        if case .obj(is PyInstance) = y { throw orderError(op, a, b) }
        return .bool(try compareBool(op, x, y))
    }

    private func orderError(_ op: CmpKind, _ a: Value, _ b: Value) -> PyException {
        typeError("'\(op.rawValue)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
    }

    /// Whether `==`/`!=` of `a` and `b` goes through the instance protocol (`richEquality`): an operand is an
    /// instance, and neither is a built-in type's subclass compared as its built-in value.
    private func comparedAsInstances(_ a: Value, _ b: Value) -> Bool {
        guard builtinBase(a, unless: .eq) == nil, builtinBase(b, unless: .eq) == nil else { return false }
        if case .obj(is PyInstance) = a { return true }
        if case .obj(is PyInstance) = b { return true }
        return false
    }

    func compareBool(_ op: CmpKind, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case .eq: return try eq(a, b)
        case .ne:
            if comparedAsInstances(a, b) { return try truthy(try richEquality(a, b, ne: true)) }
            return !(try eq(a, b))
        case .isOp: return identical(a, b)
        case .isNot: return !identical(a, b)
        case .inOp: return try contains(b, a)
        case .notIn: return !(try contains(b, a))
        case .lt: return try less(a, b, "<")
        case .gt: return try less(b, a, ">", swapped: true)
        case .le:
            if case .obj(let x as PyInstance) = a, let f = x.cls.lookup(.le) { return try truthy(try callBound(f, a, [b], [])) }
            if isNumberOrStr(a) && isNumberOrStr(b) { return try !less(b, a, "<=", swapped: true) }
            if case .obj(let x as PySet) = a, case .obj(let y as PySet) = b { return x.isSubset(of: y) }
            return try less(a, b, "<=") || eq(a, b)
        case .ge:
            if case .obj(let x as PyInstance) = a, let f = x.cls.lookup(.ge) { return try truthy(try callBound(f, a, [b], [])) }
            if isNumberOrStr(a) && isNumberOrStr(b) { return try !less(a, b, ">=") }
            if case .obj(let x as PySet) = a, case .obj(let y as PySet) = b { return y.isSubset(of: x) }
            return try less(b, a, ">=", swapped: true) || eq(a, b)
        }
    }

    func isNumberOrStr(_ v: Value) -> Bool {
        switch v {
        case .int, .float, .bigBox, .bool, .str: return true
        default: return false
        }
    }

    /// `a is b or a == b`: how CPython compares items inside containers (`PyObject_RichCompareBool`: `in`, `count`,
    /// `index`, `remove`, list, tuple and dict equality): an item is always found equal to itself, even a NaN or an
    /// object whose `__eq__` says otherwise, and `__eq__` is not called for it. (A float is an unboxed value here:
    /// the same NaN is told by its bits.)
    @inline(__always)
    func sameOrEqual(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.obj(let x), .obj(let y)) where x === y: return true
        case (.float(let x), .float(let y)) where x.bitPattern == y.bitPattern: return true
        default: return try eq(a, b)
        }
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.str(let x), .str(let y)): return PyStr.equal(x, y)
        case (.list(let x), .list(let y)): return x === y
        case (.tuple(let x), .tuple(let y)): return x === y || (x.items.isEmpty && y.items.isEmpty)
        case (.dict(let x), .dict(let y)): return x === y
        case (.obj(let x), .obj(let y)): return x === y
        default: return false
        }
    }

    func numeric(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .bigBox(let b): return Double(b)
        default: return nil
        }
    }

    /// `a < b` (or the swapped form for `>`; `sym` is the operator as written, for the error message).
    func less(_ a: Value, _ b: Value, _ sym: String, swapped: Bool = false) throws -> Bool {
        if let x = builtinBase(a, unless: swapped ? "__gt__" : "__lt__") { return try less(x, builtinBase(b, unless: "__lt__") ?? b, sym, swapped: swapped) }
        if let y = builtinBase(b, unless: swapped ? "__lt__" : "__gt__") { return try less(a, y, sym, swapped: swapped) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.str(let x), .str(let y)): return PyStr.less(x, y)
        case (.bigBox(let x), .bigBox(let y)): return x.v < y.v
        case (.bigBox(let x), .int(let y)): return x.compare(y) < 0
        case (.int(let x), .bigBox(let y)): return y.compare(x) > 0
        case (.list(let x), .list(let y)): return try seqLess(x.items, y.items, sym)
        case (.tuple(let x), .tuple(let y)): return try seqLess(x.items, y.items, sym)
        case (.obj(let o), _) where o is PyInstance, (_, .obj(let o)) where o is PyInstance:
            _ = o
            // `a < b` as written (or `b > a` when swapped): the left operand's method first, then the reflected one
            // of the right operand; NotImplemented from both is a TypeError
            let (l, r) = swapped ? (b, a) : (a, b)
            let (lName, rName): (PyClass.Special, PyClass.Special) = swapped ? (.gt, .lt) : (.lt, .gt)
            for (x, name, arg) in [(l, lName, r), (r, rName, l)] {
                guard case .obj(let i as PyInstance) = x, let f = i.cls.lookup(name) else { continue }
                let res = try callBound(f, x, [arg], [])
                if case .obj(let ni) = res, ni === notImplemented { continue }
                return try truthy(res)
            }
        case (.obj(let x as PySet), .obj(let y as PySet)):
            return x.d.count < y.d.count && x.d.keys.allSatisfy { $0.map { y.contains($0) } ?? true }
        case (.obj(let x as PyBytes), .obj(let y as PyBytes)): return x.b.lexicographicallyPrecedes(y.b)
        default:
            if let x = numeric(a), let y = numeric(b) {
                // a big int against a float: exactly, as CPython's
                if case .bigBox(let bx) = a, case .float(let fy) = b { return !fy.isNaN && bx.compare(fy) < 0 }
                if case .float(let fx) = a, case .bigBox(let by) = b { return !fx.isNaN && by.compare(fx) > 0 }
                if case .int(let ix) = a, case .float(let fy) = b, ix.magnitude > 1 << 53 { return !fy.isNaN && BigInt(ix).compare(fy) < 0 }
                if case .float(let fx) = a, case .int(let iy) = b, iy.magnitude > 1 << 53 { return !fx.isNaN && BigInt(iy).compare(fx) > 0 }
                return x < y
            }
        }
        let (l, r) = swapped ? (b, a) : (a, b)
        throw typeError("'\(sym)' not supported between instances of '\(typeName(l))' and '\(typeName(r))'")
    }

    func seqLess(_ x: [Value], _ y: [Value], _ sym: String) throws -> Bool {
        for i in 0..<min(x.count, y.count) {
            if try sameOrEqual(x[i], y[i]) { continue }
            return try less(x[i], y[i], sym)
        }
        return x.count < y.count
    }

    func contains(_ container: Value, _ item: Value) throws -> Bool {
        if let b = builtinBase(container, unless: .contains) { return try contains(b, item) }
        switch container {
        case .str(let s):
            guard case .str(let t) = item else { throw typeError("'in <string>' requires string as left operand, not \(typeName(item))") }
            return s.contains(t)
        case .list(let l):
            for x in l.items where try sameOrEqual(x, item) { return true }
            return false
        case .tuple(let t):
            for x in t.items where try sameOrEqual(x, item) { return true }
            return false
        case .dict(let d):
            try checkHashable(item)
            return d.get(item) != nil
        case .obj(let o):
            if let s = o as? PySet {
                // a set looked for as the frozenset of its elements (CPython's set_contains)
                if case .obj(let k as PySet) = item, !k.frozen {
                    let key = PySet(frozen: true)
                    key.merge(k)
                    return s.contains(.obj(key))
                }
                try checkHashable(item)
                return s.contains(item)
            }
            if let dv = o as? PyDictView, dv.kind == .keys { try checkHashable(item); return dv.d.get(item) != nil }
            if let r = o as? PyRange {
                guard case .int(let i) = item else { return false }
                if r.step > 0 { return i >= r.start && i < r.stop && (i - r.start) % r.step == 0 }
                return i <= r.start && i > r.stop && (r.start - i) % (-r.step) == 0
            }
            if let b = o as? PyBytes {
                if case .int(let i) = item { return b.b.contains(UInt8(truncatingIfNeeded: i)) }
                if case .obj(let sub as PyBytes) = item { return sub.b.isEmpty || bytesFind(b.b, sub.b, 0) >= 0 }
            }
            if let i = o as? PyInstance, let f = i.cls.lookup("__contains__") {
                return try truthy(try callBound(f, container, [item], []))
            }
            if let c = o as? PyClass, let f = metaDunder(c, "__contains__") {
                return try truthy(try callBound(f, container, [item], []))
            }
        default: break
        }
        var found = false
        do {
            try iterate(container) { x in if try self.eq(x, item) { found = true; return false }; return true }
        } catch let e as PyException where e.exc.cls.name == "TypeError" {
            throw typeError("argument of type '\(typeName(container))' is not iterable")
        }
        return found
    }
}
