// `collections`: deque, defaultdict, OrderedDict, Counter, namedtuple. Mirrors CPython's
// `Lib/collections/__init__.py`.
import Foundation

extension Interpreter {
    func makeCollections() -> PyModule {
        let m = PyModule(name: "collections")
        let ddClass = nativeClass("defaultdict", module: "collections", methods: [
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                return try p.get(i, a[1])
            },
            "__setitem__": { i, a, _ in try i.need(a, 3, "__setitem__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                try i.checkHashable(a[1]); p.d.set(a[1], a[2]); return .none
            },
            "__delitem__": { i, a, _ in try i.need(a, 2, "__delitem__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                if p.d.remove(a[1]) == nil { throw i.errValue("KeyError", a[1]) }
                return .none
            },
            "__contains__": { _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .bool(false) }
                return .bool(p.d.get(a[1]) != nil)
            },
            "__len__": { _, a, _ in
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .int(0) }
                return .int(p.d.count)
            },
            "__iter__": { i, a, _ in try i.need(a, 1, "__iter__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                return .obj(try i.getIter(.dict(p.d)))
            },
            "__eq__": { i, a, _ in try i.need(a, 2, "__eq__");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .bool(false) }
                if case .obj(let o as PyInstance) = a[1], let q = o.payload as? DefaultDictPayload { return .bool(try i.eq(.dict(p.d), .dict(q.d))) }
                return .bool(try i.eq(.dict(p.d), a[1]))
            },
        ])
        // every other dict method forwards to the underlying dict
        for name in dictMethods {
            ddClass.dict[name] = .obj(PyBuiltin(name) { i, a, kw in try i.need(a, 1, "function");
                guard case .obj(let inst as PyInstance) = a[0], let p = inst.payload as? DefaultDictPayload else { return .none }
                return try i.dictMethod(p.d, name, Array(a.dropFirst()), kw)
            })
        }
        ddClass.native = { i, a, kw in
            let inst = PyInstance(ddClass)
            let d = PyDict()
            if a.count > 1 { try i.dictUpdate(d, a[1]) }
            for (k, v) in kw { d.set(.str(k), v) }
            inst.payload = DefaultDictPayload(d, a.first ?? .none)
            return .obj(inst)
        }
        m.set("defaultdict", .obj(ddClass))
        m.set("OrderedDict", builtins["dict"]!)
        m.set("Counter", .obj(makeCounterClass(ddClass)))
        m.fn("namedtuple") { i, a, kw in try i.need(a, 2, "namedtuple");
            let name = try i.strArg(a[0], "namedtuple")
            var fields: [String] = []
            if case .str(let s) = a[1] { fields = s.s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init) }
            else { fields = try i.toArray(a[1]).map { try i.strArg($0, "namedtuple") } }
            let cls = PyClass(name: name, bases: [i.objectClass], dict: [:])
            cls.module = "__main__"
            cls.dict["_fields"] = .tuple(PyTuple(fields.map { .str($0) }))
            let fieldsCopy = fields
            cls.dict["__init__"] = .obj(PyBuiltin("__init__") { i, b, kw in try i.need(b, 1, "__init__");
                guard case .obj(let inst as PyInstance) = b[0] else { return .none }
                let vals = Array(b.dropFirst())
                if vals.count > fieldsCopy.count { throw i.typeError("\(name).__new__() takes \(fieldsCopy.count + 1) positional arguments but \(vals.count + 1) were given") }
                for (k, f) in fieldsCopy.enumerated() {
                    if k < vals.count { inst.dict[f] = vals[k] }
                    else if let v = kw.first(where: { $0.0 == f }) { inst.dict[f] = v.1 }
                    else { throw i.typeError("\(name).__new__() missing 1 required positional argument: '\(f)'") }
                }
                return .none
            })
            func tupleOf(_ v: Value) -> [Value] {
                guard case .obj(let inst as PyInstance) = v else { return [] }
                return fieldsCopy.map { inst.dict[$0] ?? Value.none }
            }
            cls.dict["__repr__"] = .obj(PyBuiltin("__repr__") { i, b, _ in try i.need(b, 1, "__repr__"); return
                .str(name + "(" + (try zip(fieldsCopy, tupleOf(b[0])).map { "\($0.0)=\(try i.repr($0.1))" }).joined(separator: ", ") + ")")
            })
            cls.dict["__iter__"] = .obj(PyBuiltin("__iter__") { i, b, _ in try i.need(b, 1, "__iter__"); return .obj(try i.getIter(.tuple(PyTuple(tupleOf(b[0]))))) })
            cls.dict["__getitem__"] = .obj(PyBuiltin("__getitem__") { i, b, _ in try i.need(b, 2, "__getitem__"); return try i.getItem(.tuple(PyTuple(tupleOf(b[0]))), b[1]) })
            cls.dict["__len__"] = .obj(PyBuiltin("__len__") { _, _, _ in .int(fieldsCopy.count) })
            cls.dict["__eq__"] = .obj(PyBuiltin("__eq__") { i, b, _ in try i.need(b, 2, "__eq__");
                // two of this class: field by field, stopping at the first difference
                if case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1], y.cls === cls {
                    if x === y { return .bool(true) }
                    for f in fieldsCopy where !(try i.eq(x.dict[f] ?? .none, y.dict[f] ?? .none)) { return .bool(false) }
                    return .bool(true)
                }
                let other: Value
                if case .obj(let o as PyInstance) = b[1], o.cls === cls { other = .tuple(PyTuple(tupleOf(b[1]))) } else { other = b[1] }
                return .bool(try i.eq(.tuple(PyTuple(tupleOf(b[0]))), other))
            })
            // A namedtuple is immutable, and its hash (a tuple of its fields, nested ones included) is asked for
            // at every dict lookup where it is a key: computed once and kept with the instance (pyperformance mdp,
            // whose states are namedtuple keys, spent most of its time rehashing them).
            cls.dict["__hash__"] = .obj(PyBuiltin("__hash__") { i, b, _ in
                if case .obj(let inst as PyInstance) = b[0], let cached = inst.payload as? NamedTupleHash { return .int(cached.hash) }
                let t = Value.tuple(PyTuple(tupleOf(b[0])))
                // a list inside, nested namedtuples included: CPython's TypeError (once: the hash is kept)
                if case .tuple(let items) = t { for x in items.items { _ = try i.hashValue(x) } }
                let h = t.hashValue
                guard case .obj(let inst as PyInstance) = b[0] else { return .int(h) }
                if inst.payload == nil { inst.payload = NamedTupleHash(h) }
                return .int(h)
            })
            // the tuple operations (a namedtuple is a tuple in CPython): ordering against tuples and namedtuples,
            // +, *, in, count, index; NotImplemented for anything else, so that the other side can answer
            func asTuple(_ v: Value) -> Value? {
                if case .tuple = v { return v }
                if case .obj(let o as PyInstance) = v, o.cls.lookup("_fields") != nil, o.cls.lookup("_asdict") != nil,
                   case .tuple(let f)? = o.cls.lookup("_fields") {
                    return .tuple(PyTuple(f.items.map { if case .str(let n) = $0 { return o.dict[n.s] ?? .none }; return .none }))
                }
                return nil
            }
            for (op, sym, swap, orEqual) in [("__lt__", "<", false, false), ("__le__", "<=", false, true),
                                             ("__gt__", ">", true, false), ("__ge__", ">=", true, true)] {
                cls.dict[op] = .obj(PyBuiltin(op) { i, b, _ in try i.need(b, 2, op)
                    guard let x = asTuple(b[0]), let y = asTuple(b[1]) else { return .obj(notImplemented) }
                    let (l, r) = swap ? (y, x) : (x, y)
                    if try i.less(l, r, sym) { return .bool(true) }
                    return .bool(orEqual ? try i.eq(l, r) : false)
                })
            }
            cls.dict["__add__"] = .obj(PyBuiltin("__add__") { i, b, _ in try i.need(b, 2, "__add__")
                guard let x = asTuple(b[0]), let y = asTuple(b[1]) else { return .obj(notImplemented) }
                return try i.binop(.add, x, y)
            })
            cls.dict["__radd__"] = .obj(PyBuiltin("__radd__") { i, b, _ in try i.need(b, 2, "__radd__")
                guard let x = asTuple(b[0]), let y = asTuple(b[1]) else { return .obj(notImplemented) }
                return try i.binop(.add, y, x)
            })
            for op in ["__mul__", "__rmul__"] {
                cls.dict[op] = .obj(PyBuiltin(op) { i, b, _ in try i.need(b, 2, op)
                    guard let x = asTuple(b[0]), i.isIntLike(b[1]) else { return .obj(notImplemented) }
                    return try i.binop(.mul, x, b[1])
                })
            }
            cls.dict["__contains__"] = .obj(PyBuiltin("__contains__") { i, b, _ in try i.need(b, 2, "__contains__")
                return .bool(try tupleOf(b[0]).contains { try i.sameOrEqual($0, b[1]) })
            })
            cls.dict["count"] = .obj(PyBuiltin("count") { i, b, _ in try i.need(b, 2, "count")
                return .int(try tupleOf(b[0]).filter { try i.sameOrEqual($0, b[1]) }.count)
            })
            cls.dict["index"] = .obj(PyBuiltin("index") { i, b, _ in try i.need(b, 2, "index")
                guard let k = try tupleOf(b[0]).firstIndex(where: { try i.sameOrEqual($0, b[1]) }) else {
                    throw i.err("ValueError", "tuple.index(x): x not in tuple")
                }
                return .int(k)
            })
            cls.dict["_asdict"] = .obj(PyBuiltin("_asdict") { _, b, _ in
                let d = PyDict(); for (f, v) in zip(fieldsCopy, tupleOf(b[0])) { d.set(.str(f), v) }; return .dict(d)
            })
            cls.dict["_replace"] = .obj(PyBuiltin("_replace") { i, b, kw in try i.need(b, 1, "_replace");
                var vals = tupleOf(b[0])
                for (k, v) in kw { if let idx = fieldsCopy.firstIndex(of: k) { vals[idx] = v } }
                return try i.call(.obj(cls), vals, [])
            })
            _ = kw
            return .obj(cls)
        }
        let dequeClass = nativeClass("deque", module: "collections", methods: [:])
        // a deque is a list with the deque methods; printed as deque([...]). `__init__` fills the instance, so a
        // subclass's instances (made by the general path, which calls it) hold their items too
        let initDeque: NativeFn = { i, a, kw in
            guard case .obj(let inst as PyInstance)? = a.first else {
                throw i.typeError("descriptor '__init__' of 'collections.deque' object needs an argument")
            }
            let l = PyList(a.count < 2 ? [] : try i.toArray(a[1]))
            inst.dict["_items"] = .list(l)
            let maxlen = kw.first(where: { $0.0 == "maxlen" })?.1 ?? (a.count > 2 ? a[2] : Value.none)
            inst.dict["maxlen"] = maxlen
            // the last `maxlen` items stay, as appending them one by one would leave
            if case .int(let ml) = maxlen, ml >= 0, l.items.count > ml { l.items.removeFirst(l.items.count - ml) }
            return .none
        }
        dequeClass.dict["__init__"] = .obj(PyBuiltin("__init__", initDeque))
        dequeClass.native = { i, a, kw in
            let inst = PyInstance(dequeClass)
            _ = try initDeque(i, [.obj(inst)] + a, kw)
            return .obj(inst)
        }
        func items(_ v: Value) -> PyList {
            if case .obj(let inst as PyInstance) = v, case .list(let l)? = inst.dict["_items"] { return l }
            return PyList([])
        }
        func trim(_ i: Interpreter, _ v: Value, front: Bool) {
            guard case .obj(let inst as PyInstance) = v, case .int(let ml)? = inst.dict["maxlen"] else { return }
            let l = items(v)
            while l.items.count > ml { if front { l.items.removeFirst() } else { l.items.removeLast() } }
        }
        let dq: [String: NativeFn] = [
            "append": { i, a, _ in try i.need(a, 2, "append"); items(a[0]).items.append(a[1]); trim(i, a[0], front: true); return .none },
            "appendleft": { i, a, _ in try i.need(a, 2, "appendleft"); items(a[0]).items.insert(a[1], at: 0); trim(i, a[0], front: false); return .none },
            "pop": { i, a, _ in try i.need(a, 1, "pop");
                let l = items(a[0]); if l.items.isEmpty { throw i.err("IndexError", "pop from an empty deque") }
                return l.items.removeLast()
            },
            "popleft": { i, a, _ in try i.need(a, 1, "popleft");
                let l = items(a[0]); if l.items.isEmpty { throw i.err("IndexError", "pop from an empty deque") }
                return l.items.removeFirst()
            },
            "extend": { i, a, _ in try i.need(a, 2, "extend"); items(a[0]).items += try i.toArray(a[1]); trim(i, a[0], front: true); return .none },
            "extendleft": { i, a, _ in try i.need(a, 2, "extendleft"); for x in try i.toArray(a[1]) { items(a[0]).items.insert(x, at: 0) }; return .none },
            "clear": { _, a, _ in items(a[0]).items.removeAll(); return .none },
            "rotate": { i, a, _ in try i.need(a, 1, "rotate");
                let l = items(a[0]); let n = l.items.count
                if n == 0 { return .none }
                let k = ((a.count > 1 ? try i.intArg(a[1]) : 1) % n + n) % n
                l.items = Array(l.items[(n - k)...] + l.items[..<(n - k)])
                return .none
            },
            "__len__": { _, a, _ in .int(items(a[0]).items.count) },
            "__iter__": { i, a, _ in try i.need(a, 1, "__iter__"); return .obj(try i.getIter(.list(items(a[0])))) },
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__"); return try i.getItem(.list(items(a[0])), a[1]) },
            "__setitem__": { i, a, _ in try i.need(a, 3, "__setitem__"); try i.setItem(.list(items(a[0])), a[1], a[2]); return .none },
            "__contains__": { i, a, _ in try i.need(a, 2, "__contains__"); return .bool(try i.contains(.list(items(a[0])), a[1])) },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                var s = "deque(" + (try i.repr(.list(items(a[0]))))
                if case .obj(let inst as PyInstance) = a[0], case .int(let ml)? = inst.dict["maxlen"] { s += ", maxlen=\(ml)" }
                return .str(s + ")")
            },
            "__eq__": { i, a, _ in try i.need(a, 2, "__eq__"); return .bool(try i.eq(.list(items(a[0])), .list(items(a[1])))) },
            "count": { i, a, _ in try i.need(a, 2, "count"); return try i.listMethod(items(a[0]), "count", [a[1]], []) },
            "remove": { i, a, _ in try i.need(a, 2, "remove"); return try i.listMethod(items(a[0]), "remove", [a[1]], []) },
            "index": { i, a, _ in try i.need(a, 2, "index"); return try i.listMethod(items(a[0]), "index", [a[1]], []) },
            "reverse": { _, a, _ in items(a[0]).items.reverse(); return .none },
            "copy": { i, a, _ in try i.need(a, 1, "copy"); return try i.call(.obj(dequeClass), [.list(items(a[0]))], []) },
        ]
        for (k, f) in dq { dequeClass.dict[k] = .obj(PyBuiltin(k, f)) }
        m.set("deque", .obj(dequeClass))
        return m
    }
}

extension Interpreter {
    /// `collections.Counter`: a dict of counts (missing keys count 0) with `most_common`, `update`, `elements`
    /// and `total`. Mirrors CPython's `Lib/collections/__init__.py` Counter (without the multiset operators).
    func makeCounterClass(_ dd: PyClass) -> PyClass {
        func payload(_ v: Value) -> PyDict {
            if case .obj(let i as PyInstance) = v, let p = i.payload as? DefaultDictPayload { return p.d }
            return PyDict()
        }
        func add(_ i: Interpreter, _ d: PyDict, _ src: Value, _ sign: Int) throws {
            if case .dict(let m) = src {
                for (k, v) in m.items { d.set(k, try i.binop(sign > 0 ? .add : .sub, d.get(k) ?? .int(0), v)) }
                return
            }
            if case .obj(let o as PyInstance) = src, let p = o.payload as? DefaultDictPayload {
                for (k, v) in p.d.items { d.set(k, try i.binop(sign > 0 ? .add : .sub, d.get(k) ?? .int(0), v)) }
                return
            }
            try i.iterate(src) { x in
                try i.checkHashable(x)
                d.set(x, try i.binop(.add, d.get(x) ?? .int(0), .int(sign)))
                return true
            }
        }
        func ordered(_ i: Interpreter, _ d: PyDict) throws -> [(Value, Value)] {
            var items = d.items
            var idx = Array(0..<items.count)
            idx = try i.mergeSort(idx) { a, b in try i.less(items[b].1, items[a].1, "<") }
            items = idx.map { items[$0] }
            return items
        }
        let c = nativeClass("Counter", module: "collections", base: dd, methods: [
            "__getitem__": { i, a, _ in try i.need(a, 2, "__getitem__");
                let d = payload(a[0])
                try i.checkHashable(a[1])
                return d.get(a[1]) ?? .int(0)
            },
            "most_common": { i, a, _ in try i.need(a, 1, "most_common");
                var items = try ordered(i, payload(a[0]))
                if a.count > 1, !a[1].isNone { items = Array(items.prefix(max(0, try i.intArg(a[1])))) }
                return .list(PyList(items.map { .tuple(PyTuple([$0.0, $0.1])) }))
            },
            "update": { i, a, kw in try i.need(a, 1, "update");
                let d = payload(a[0])
                if a.count > 1 { try add(i, d, a[1], 1) }
                for (k, v) in kw { d.set(.str(k), try i.binop(.add, d.get(.str(k)) ?? .int(0), v)) }
                return .none
            },
            "subtract": { i, a, _ in
                if a.count > 1 { try add(i, payload(a[0]), a[1], -1) }
                return .none
            },
            "elements": { i, a, _ in try i.need(a, 1, "elements");
                var out: [Value] = []
                for (k, v) in payload(a[0]).items { for _ in 0..<max(0, (try? i.intArg(v)) ?? 0) { out.append(k) } }
                return .obj(try i.getIter(.list(PyList(out))))
            },
            "total": { i, a, _ in try i.need(a, 1, "total");
                var t: Value = .int(0)
                for (_, v) in payload(a[0]).items { t = try i.binop(.add, t, v) }
                return t
            },
            "__repr__": { i, a, _ in try i.need(a, 1, "__repr__");
                let items = try ordered(i, payload(a[0]))
                if items.isEmpty { return .str("Counter()") }
                return .str("Counter({" + (try items.map { try i.repr($0.0) + ": " + i.repr($0.1) }).joined(separator: ", ") + "})")
            },
        ])
        c.native = { i, a, kw in
            let inst = PyInstance(c)
            let d = PyDict()
            inst.payload = DefaultDictPayload(d, .none)
            if let src = a.first { try add(i, d, src, 1) }
            for (k, v) in kw { d.set(.str(k), v) }
            return .obj(inst)
        }
        return c
    }
}

/// A namedtuple instance's hash, computed at its first `hash()` (see namedtuple's `__hash__`).
final class NamedTupleHash {
    let hash: Int
    init(_ h: Int) { hash = h }
}
