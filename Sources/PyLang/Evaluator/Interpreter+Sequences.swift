// Iteration (the iterate fast paths and getIter), subscripts and slices, and len(). Mirrors CPython's
// `Objects/abstract.c` (PyObject_GetIter, PyObject_GetItem, PyObject_Size).
import CShim
import CPyLib
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    /// Internal iteration: calls `body` for each item until it returns false. Fast for lists, ranges and tuples.
    public func iterate(_ v: Value, _ body: (Value) throws -> Bool) throws {
        switch v {
        case .list(let l):
            var i = 0
            while i < l.items.count {
                if !(try body(l.items[i])) { return }
                i += 1
            }
        case .tuple(let t):
            for x in t.items where !(try body(x)) { return }
        case .str(let s):
            try s.forEachChar(body)
        case .dict(let d):
            let n = d.count
            for k in d.orderedKeys {
                if !(try body(k)) { return }
                if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
            }
        case .obj(let o):
            if let r = o as? PyRange {
                var i = r.start
                while r.step > 0 ? i < r.stop : i > r.stop {
                    if !(try body(.int(i))) { return }
                    // a next value beyond Int's range is beyond `stop` too
                    let (next, o) = i.addingReportingOverflow(r.step)
                    if o { return }
                    i = next
                }
                return
            }
            if let s = o as? PySet { for x in s.elements where !(try body(x)) { return }; return }
            // an instance of a list (tuple, dict...) subclass without an `__iter__` of its own: its value's items
            if o is PyInstance, let b = builtinBase(v, unless: .iter) { return try iterate(b, body) }
            if let dv = o as? PyDictView {
                // a view's entries straight from the dict, no iterator closure
                switch dv.kind {
                case .keys: try forEachEntry(dv.d) { k, _ in try body(k) }
                case .values: try forEachEntry(dv.d) { _, x in try body(x) }
                case .items: try forEachEntry(dv.d) { k, x in try body(.tuple(PyTuple([k, x]))) }
                }
                return
            }
            let it = try getIter(v)
            if let g = it as? GeneratorIterator {
                // a generator's values straight from it, not through its `nextFn` closure
                let s = g.state
                while let x = try s.next() { if !(try body(x)) { return } }
                return
            }
            while let x = try it.nextFn() { if !(try body(x)) { return } }
        default:
            throw typeError("'\(typeName(v))' object is not iterable")
        }
    }

    /// Calls `body` with each live entry of `d` in order until it returns false; CPython's RuntimeErrors when the
    /// body adds or removes keys: a changed size, or (the same size with other keys) an entry found after as many
    /// as the dict held, as CPython's dict iterator tells them.
    @inline(__always)
    func forEachEntry(_ d: PyDict, _ body: (Value, Value) throws -> Bool) throws {
        let n = d.count
        var remaining = n
        var i = 0
        while i < d.keys.count {
            if let k = d.keys[i] {
                if remaining == 0 { throw err("RuntimeError", "dictionary keys changed during iteration") }
                remaining -= 1
                if !(try body(k, d.vals[i])) { return }
                if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
            }
            i += 1
        }
    }

    public func getIter(_ v: Value) throws -> PyIterator {
        if let b = builtinBase(v, unless: .iter) { return try getIter(b) }
        switch v {
        case .list(let l):
            // positions in a `Position`, not a captured `var` (a box checked for exclusivity at every access)
            let i = Position()
            return PyIterator("list_iterator") {
                let n = i.n
                if n < l.items.count { i.n = n + 1; return l.items[n] }
                return nil
            }
        case .tuple(let t):
            let i = Position()
            return PyIterator("tuple_iterator") {
                let n = i.n
                if n < t.items.count { i.n = n + 1; return t.items[n] }
                return nil
            }
        case .str(let s):
            let off = Position()
            return PyIterator(s.isASCII ? "str_ascii_iterator" : "str_iterator") { s.nextChar(&off.n) }
        case .dict(let d):
            let i = Position()
            let n = d.count
            return PyIterator("dict_keyiterator") { [self] in
                if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
                while i.n < d.keys.count { i.n += 1; if let k = d.keys[i.n - 1] { return k } }
                return nil
            }
        case .obj(let o):
            if let it = o as? PyIterator { return it }
            if let dv = o as? PyDictView {
                let d = dv.d
                let i = Position()
                let n = d.count
                let kind = dv.kind
                return PyIterator(dv.typeName.replacingAll("dict_", "dict_") + "iterator") { [self] in
                    if d.count != n { throw err("RuntimeError", "dictionary changed size during iteration") }
                    while i.n < d.keys.count {
                        i.n += 1
                        if let k = d.keys[i.n - 1] {
                            switch kind {
                            case .keys: return k
                            case .values: return d.vals[i.n - 1]
                            case .items: return .tuple(PyTuple([k, d.vals[i.n - 1]]))
                            }
                        }
                    }
                    return nil
                }
            }
            if let r = o as? PyRange {
                let i = Position(r.start)
                return PyIterator("range_iterator") {
                    let v = i.n
                    if !i.done, r.step > 0 ? v < r.stop : v > r.stop {
                        let (next, o) = v.addingReportingOverflow(r.step)
                        if o { i.done = true } else { i.n = next }
                        return .int(v)
                    }
                    return nil
                }
            }
            if let s = o as? PySet {
                let els = s.elements
                var i = 0
                return PyIterator("set_iterator") { if i < els.count { i += 1; return els[i - 1] }; return nil }
            }
            if let b = o as? PyBytes {
                var i = 0
                return PyIterator("bytes_iterator") { if i < b.b.count { i += 1; return .int(Int(b.b[i - 1])) }; return nil }
            }
            if let b = o as? PyByteArray {
                // over the bytearray as it is at each step (it may grow or shrink meanwhile), as CPython's
                var i = 0
                return PyIterator("bytearray_iterator") { if i < b.b.count { i += 1; return .int(Int(b.b[i - 1])) }; return nil }
            }
            if let c = o as? PyClass, let f = metaDunder(c, "__iter__") {
                let r = try callBound(f, v, [], [])
                if case .obj(let it as PyIterator) = r { return it }
                return try getIter(r)
            }
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__iter__") {
                    let r = try callBound(f, v, [], [])
                    if case .obj(let it as PyIterator) = r { return it }
                    if case .obj(let ri as PyInstance) = r, let nx = ri.cls.lookup("__next__") {
                        return PyIterator("iterator") { [self] in
                            do { return try callBound(nx, r, [], []) } catch let e as PyException where e.exc.cls.name == "StopIteration" { return nil }
                        }
                    }
                    return try getIter(r)
                }
                if let g = i.cls.lookup("__getitem__") {
                    var k = 0
                    return PyIterator("iterator") { [self] in
                        do { k += 1; return try callBound(g, v, [.int(k - 1)], []) } catch let e as PyException where e.exc.cls.name == "IndexError" || e.exc.cls.name == "StopIteration" { return nil }
                    }
                }
            }
            if let f = o as? PyFile {
                return PyIterator("iterator") { [self] in
                    let line = try fileReadLine(f)
                    return line.isEmpty ? nil : .str(line)
                }
            }
        default: break
        }
        throw typeError("'\(typeName(v))' object is not iterable")
    }

    public func toArray(_ v: Value) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t.items
        default:
            var out: [Value] = []
            try iterate(v) { out.append($0); return true }
            return out
        }
    }

    func next(_ it: PyIterator) throws -> Value {
        if let v = try it.nextFn() { return v }
        if let g = it as? GeneratorIterator { throw g.stopIteration() }
        throw err("StopIteration", nil)
    }

    // MARK: subscripts

    func normIndex(_ i: Int, _ n: Int, _ what: String) throws -> Int {
        let j = i < 0 ? i + n : i
        if j < 0 || j >= n { throw err("IndexError", "\(what) index out of range") }
        return j
    }

    func toIndex(_ v: Value, _ what: String) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigBox: throw err("IndexError", "cannot fit 'int' into an index-sized integer")
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__index__") { return try toIndex(try callBound(f, v, [], []), what) }
            // an int subclass's instance is its int
            if let b = i.payload as? BuiltinBase {
                switch b.value {
                case .int, .bool, .bigBox: return try toIndex(b.value, what)
                default: break
                }
            }
        default: break
        }
        throw typeError("\(what) indices must be integers or slices, not \(typeName(v))")
    }

    /// A slice bound as CPython's `_PyEval_SliceIndex` reads it: an int, a bool or an object with `__index__`, an
    /// int past 64 bits clamped to Int's range (`l[:10**30]` is `l[:]`).
    func sliceBound(_ v: Value) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .bigBox(let b): return b.isNegative ? Int.min : Int.max
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__index__") {
                let r = try callBound(f, v, [], [])
                switch r {
                case .int, .bool, .bigBox: return try sliceBound(r)
                default: throw typeError("__index__ returned non-int (type \(typeName(r)))")
                }
            }
            if let b = i.payload as? BuiltinBase {
                switch b.value {
                case .int, .bool, .bigBox: return try sliceBound(b.value)
                default: break
                }
            }
        default: break
        }
        throw typeError("slice indices must be integers or None or have an __index__ method")
    }

    /// Resolves a slice against a length, as `PySlice_GetIndicesEx`.
    func sliceIndices(_ s: PySlice, _ n: Int) throws -> (Int, Int, Int) {
        try sliceIndices(s.start, s.stop, s.step, n)
    }

    /// The start, stop and step a slice with these bounds (ints, None, or objects with `__index__`) selects of a
    /// sequence of `n` items, clamped as CPython's `PySlice_AdjustIndices`.
    func sliceIndices(_ start: Value, _ stop: Value, _ stepValue: Value, _ n: Int) throws -> (Int, Int, Int) {
        var step = 1
        if !stepValue.isNone { step = max(try sliceBound(stepValue), -Int.max) }   // -step must not overflow
        if step == 0 { throw err("ValueError", "slice step cannot be zero") }
        func clamp(_ v: Value, _ def: Int, _ lo: Int, _ hi: Int) throws -> Int {
            if v.isNone { return def }
            var i = try sliceBound(v)
            if i < 0 { i += n; if i < lo { i = lo } } else if i > hi { i = hi }
            return i
        }
        if step > 0 {
            return (try clamp(start, 0, 0, n), try clamp(stop, n, 0, n), step)
        }
        return (try clamp(start, n - 1, -1, n - 1), try clamp(stop, -1, -1, n - 1), step)
    }

    func sliceList<T>(_ a: [T], _ s: PySlice) throws -> [T] {
        let (start, stop, step) = try sliceIndices(s, a.count)
        return sliceArray(a, start, stop, step)
    }

    /// The items of `a` that adjusted slice indices select.
    func sliceArray<T>(_ a: [T], _ start: Int, _ stop: Int, _ step: Int) -> [T] {
        if step == 1 { return start < stop ? Array(a[start..<stop]) : [] }
        let n = sliceLength(start, stop, step)
        var out: [T] = []
        out.reserveCapacity(n)
        var i = start
        for _ in 0..<n { out.append(a[i]); i &+= step }   // past the last item `i` may wrap: it is not read
        return out
    }

    /// `r[i]`, exactly as CPython computes it (with big ints): a range may be longer than Int.max, and
    /// `start + i * step` may overflow on the way to a result that fits.
    func rangeItem(_ r: PyRange, _ i: Int) throws -> Value {
        let outOfRange = err("IndexError", "range object index out of range")
        if let n = r.exactCount {
            let j = i < 0 ? i + n : i     // n <= Int.max and i < 0: no overflow
            guard j >= 0 && j < n else { throw outOfRange }
            let (m, o1) = j.multipliedReportingOverflow(by: r.step)
            if !o1 { let (v, o2) = r.start.addingReportingOverflow(m); if !o2 { return .int(v) } }
            return .bigOrInt(BigInt(r.start) + BigInt(j) * BigInt(r.step))
        }
        // longer than Int.max: its length as a big int
        let start = BigInt(r.start), step = BigInt(r.step)
        let n = r.step > 0 ? (BigInt(r.stop) - start + step - 1) / step : (start - BigInt(r.stop) - step - 1) / (-step)
        let j = i < 0 ? n + i : BigInt(i)
        guard j.signum >= 0, j < n else { throw outOfRange }
        return .bigOrInt(start + j * step)
    }

    public func getItem(_ v: Value, _ k: Value) throws -> Value {
        if let b = builtinBase(v, unless: .getitem) { return try getItem(b, k) }
        switch v {
        case .list(let l):
            if case .obj(let s as PySlice) = k { return .list(PyList(try sliceList(l.items, s))) }
            return l.items[try normIndex(try toIndex(k, "list"), l.items.count, "list")]
        case .tuple(let t):
            if case .obj(let s as PySlice) = k { return .tuple(PyTuple(try sliceList(t.items, s))) }
            return t.items[try normIndex(try toIndex(k, "tuple"), t.items.count, "tuple")]
        case .str(let s):
            if case .obj(let sl as PySlice) = k {
                let (start, stop, step) = try sliceIndices(sl, s.count)
                return s.slice(start, stop, step)
            }
            if case .int(let i) = k {
                let n = s.count
                let j = i < 0 ? i &+ n : i
                if j >= 0 && j < n { return s.item(j) }
            }
            return s.item(try normIndex(try toIndex(k, "string"), s.count, "string"))
        case .dict(let d):
            if let x = d.get(k) { return x }
            try checkHashable(k)
            if let i = d.get(.str("__missing_factory__")) { _ = i }
            throw errValue("KeyError", k)
        case .obj(let o):
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__getitem__") { return try callBound(f, v, [k], []) }
                if let dd = i.payload as? DefaultDictPayload { return try dd.get(self, k) }
                if let cls = i.payload as? PyDict { if let x = cls.get(k) { return x }; throw errValue("KeyError", k) }
                throw typeError("'\(i.cls.name)' object is not subscriptable")
            }
            if let r = o as? PyRange {
                if case .obj(let s as PySlice) = k {
                    let (a, b, c) = try sliceIndices(s, r.count)
                    // r.start + a * r.step, r.start + (a + n * c) * r.step, r.step * c: exact, or an OverflowError
                    // (an mpsh range holds machine ints; CPython's slice of a range may need bigger ones)
                    func exact(_ x: (partialValue: Int, overflow: Bool)) throws -> Int {
                        if x.overflow { throw err("OverflowError", "range slice bounds do not fit in a machine int") }
                        return x.partialValue
                    }
                    let n = sliceLength(a, b, c)
                    let first = try exact(r.start.addingReportingOverflow(try exact(a.multipliedReportingOverflow(by: r.step))))
                    let past = try exact(a.addingReportingOverflow(try exact(n.multipliedReportingOverflow(by: c))))
                    let stop = try exact(r.start.addingReportingOverflow(try exact(past.multipliedReportingOverflow(by: r.step))))
                    return .obj(PyRange(first, stop, try exact(r.step.multipliedReportingOverflow(by: c))))
                }
                return try rangeItem(r, try toIndex(k, "range"))
            }
            if let b = o as? PyBytes {
                if case .obj(let s as PySlice) = k { return .obj(PyBytes(try sliceList(b.b, s))) }
                return .int(Int(b.b[try normIndex(try toIndex(k, "byte"), b.b.count, "index")]))
            }
            if let b = o as? PyByteArray {
                if case .obj(let s as PySlice) = k { return .obj(PyByteArray(try sliceList(b.b, s))) }
                return .int(Int(b.b[try normIndex(try toIndex(k, "bytearray"), b.b.count, "bytearray")]))
            }
            if let c = o as? PyClass {
                if let f = metaDunder(c, "__getitem__") { return try callBound(f, v, [k], []) }
                if let f = c.lookup("__class_getitem__") { return try callBound(f, v, [k], []) }
                return v // list[int] style generics in annotations
            }
        default: break
        }
        throw typeError("'\(typeName(v))' object is not subscriptable")
    }

    public func setItem(_ v: Value, _ k: Value, _ x: Value) throws {
        if let b = builtinBase(v, unless: "__setitem__") { return try setItem(b, k, x) }
        switch v {
        case .list(let l):
            if case .obj(let s as PySlice) = k {
                let (start, stop, step) = try sliceIndices(s, l.items.count)
                return try setListSlice(l, start, stop, step, x)
            }
            l.items[try normIndex(try toIndex(k, "list"), l.items.count, "list assignment")] = x
        case .dict(let d):
            try checkHashable(k)
            d.set(k, x)
        case .obj(let o):
            if let i = o as? PyInstance {
                if let f = i.cls.lookup("__setitem__") { _ = try callBound(f, v, [k, x], []); return }
                if let dd = i.payload as? DefaultDictPayload { try checkHashable(k); dd.d.set(k, x); return }
            }
            if let b = o as? PyByteArray {
                guard case .int(let n) = x else { throw typeError("an integer is required") }
                b.b[try normIndex(try toIndex(k, "bytearray"), b.b.count, "bytearray")] = UInt8(truncatingIfNeeded: n)
                return
            }
            throw typeError("'\(typeName(v))' object does not support item assignment")
        default:
            throw typeError("'\(typeName(v))' object does not support item assignment")
        }
    }

    /// `l[start:stop:step] = x` with adjusted slice indices. The items of `x` are taken first, which may run
    /// code (a generator) that changes the list: a contiguous slice is then clamped to the list's new length (as
    /// CPython's `list_ass_slice`), an extended slice's positions past the end are left out. A contiguous slice
    /// replaced by as many items is overwritten in place.
    func setListSlice(_ l: PyList, _ start: Int, _ stop: Int, _ step: Int, _ x: Value) throws {
        let newItems: [Value]
        switch x {
        case .list(let s): newItems = s.items
        case .tuple(let t): newItems = t.items
        default:
            // as CPython's `PySequence_Fast`: a TypeError from taking the iterator becomes the slice's own
            let it: PyIterator
            do { it = try getIter(x) } catch let e as PyException where e.exc.cls.name == "TypeError" {
                throw typeError(step == 1 ? "can only assign an iterable" : "must assign iterable to extended slice")
            }
            newItems = try toArray(.obj(it))
        }
        let n = l.items.count
        if step == 1 {
            let lo = min(start, n), hi = min(max(start, stop), n)
            if newItems.count == hi - lo {
                for i in 0..<newItems.count { l.items[lo + i] = newItems[i] }
            } else {
                l.items.replaceSubrange(lo..<hi, with: newItems)
            }
            return
        }
        let count = sliceLength(start, stop, step)
        if count != newItems.count {
            throw err("ValueError", "attempt to assign sequence of size \(newItems.count) to extended slice of size \(count)")
        }
        for j in 0..<count {
            let p = start + j * step
            if p >= 0 && p < l.items.count { l.items[p] = newItems[j] }
        }
    }

    func delItem(_ v: Value, _ k: Value) throws {
        if let b = builtinBase(v, unless: "__delitem__") { return try delItem(b, k) }
        switch v {
        case .list(let l):
            if case .obj(let s as PySlice) = k {
                let (start, stop, step) = try sliceIndices(s, l.items.count)
                if step == 1 { if start < stop { l.items.removeSubrange(start..<stop) }; return }
                let idx = (0..<sliceLength(start, stop, step)).map { start + $0 * step }
                for p in idx.sorted(by: >) { l.items.remove(at: p) }
                return
            }
            l.items.remove(at: try normIndex(try toIndex(k, "list"), l.items.count, "list assignment"))
        case .dict(let d):
            if d.remove(k) == nil { throw errValue("KeyError", k) }
        case .obj(let i as PyInstance):
            if let f = i.cls.lookup("__delitem__") { _ = try callBound(f, v, [k], []); return }
            if let dd = i.payload as? DefaultDictPayload { if dd.d.remove(k) == nil { throw errValue("KeyError", k) }; return }
            throw typeError("'\(i.cls.name)' object does not support item deletion")
        default:
            throw typeError("'\(typeName(v))' object does not support item deletion")
        }
    }

    // MARK: length

    /// The number of code points (Python's `len` of a str): UTF-8 bytes that do not continue a sequence, counted
    /// over the contiguous bytes (a tight loop) rather than by decoding scalar after scalar.
    func scalarCount(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { PyStr.codePointCount($0) }
    }

    public func len(_ v: Value) throws -> Int {
        if let b = builtinBase(v, unless: .len) { return try len(b) }
        switch v {
        case .str(let s): return s.count
        case .list(let l): return l.items.count
        case .tuple(let t): return t.items.count
        case .dict(let d): return d.count
        case .obj(let o):
            if let s = o as? PySet { return s.d.count }
            if let dv = o as? PyDictView { return dv.d.count }
            if let r = o as? PyRange {
                guard let n = r.exactCount else { throw err("OverflowError", "Python int too large to convert to C ssize_t") }
                return n
            }
            if let b = o as? PyBytes { return b.b.count }
            if let b = o as? PyByteArray { return b.b.count }
            if let c = o as? PyClass, let f = metaDunder(c, "__len__") {
                let r = try callBound(f, v, [], [])
                guard case .int(let n) = r else { throw typeError("'\(typeName(r))' object cannot be interpreted as an integer") }
                if n < 0 { throw err("ValueError", "__len__() should return >= 0") }
                return n
            }
            if let i = o as? PyInstance {
                if let f = i.cls.lookup(.len) {
                    let r = try callBound(f, v, [], [])
                    guard case .int(let n) = r else { throw typeError("'\(typeName(r))' object cannot be interpreted as an integer") }
                    if n < 0 { throw err("ValueError", "__len__() should return >= 0") }
                    return n
                }
                if let dd = i.payload as? DefaultDictPayload { return dd.d.count }
            }
        default: break
        }
        throw typeError("object of type '\(typeName(v))' has no len()")
    }
}

/// How many positions adjusted slice indices select (CPython's `PySlice_AdjustIndices` result), computed without
/// overflow for any step (`s[2::sys.maxsize]`).
@inline(__always)
func sliceLength(_ start: Int, _ stop: Int, _ step: Int) -> Int {
    if step > 0 { return start < stop ? (stop - start - 1) / step + 1 : 0 }
    return start > stop ? (start - stop - 1) / -step + 1 : 0   // `sliceIndices` never gives Int.min
}
