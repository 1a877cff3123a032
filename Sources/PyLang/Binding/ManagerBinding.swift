// multiprocessing.Manager(): dict, list, Namespace, Value, Queue, Lock, Event ... over the library's `Manager`
// (objects in a shared memfd arena under a robust mutex, no server process).
// Mirrors CPython's `Lib/multiprocessing/managers.py` (SyncManager and its proxies).
//
// - Keys and values are encoded with the interpreter's value codec. A dict key is stored under the encoding of its
//   normalised form (True and 1.0 become 1), so 1, 1.0 and True are one key, as in Python; a key whose normalised
//   form differs (1.0, True) is stored beside the value, so `keys()` gives back the first key object stored, as
//   Python's dict does. Gap: d[1] = x on a stored key 1.0 replaces the key object by 1 (Python keeps 1.0).
// - What is copied: reading a value gives a copy; mutating it (d['l'].append(1)) writes nothing back, as with
//   CPython's proxies. Store the changed value again.
// - str() of a proxy is its referent's (print(d) shows the dict); repr() is CPython's `<DictProxy object, typeid
//   'dict' at 0x...>`.
// - Proxies are shared with processes forked after they were made (Process targets, and Pool / executor workers);
//   a proxy passed as a pool task argument travels as a reference to the worker's inherited copy, so it must exist
//   before the pool is created (a clear error otherwise).
// - Queue, Lock, Event ... are multiprocessing's own process-shared objects (the same classes as mp.Queue ...).
import Multiprocessing
#if canImport(Glibc)
import Glibc
#endif

/// A registry entry that does not keep its object alive.
final class WeakInstance {
    weak var instance: PyInstance?
    init(_ instance: PyInstance) { self.instance = instance }
}

final class ManagerBox {
    let manager: Multiprocessing.Manager
    init(_ m: Multiprocessing.Manager) { manager = m }
}

/// A managed dict, list, Namespace or Value: a shared dictionary of encoded keys and (key, value) pairs, or a
/// shared list of encoded values.
final class ProxyBox {
    let dict: SharedDictionary<[UInt8], [UInt8]>?
    let list: SharedList<[UInt8]>?
    let typeid: String
    var typecode: Value = .none
    init(dict: SharedDictionary<[UInt8], [UInt8]>?, list: SharedList<[UInt8]>?, typeid: String) {
        self.dict = dict
        self.list = list
        self.typeid = typeid
    }
}

final class ManagerState {
    var managerClass: PyClass!
    var dictProxyClass: PyClass!
    var listProxyClass: PyClass!
    var namespaceProxyClass: PyClass!
    var valueProxyClass: PyClass!
    var refClass: PyClass!
    /// Objects a pool task may name (proxies, manager queues and locks), by id: a worker finds its inherited copy.
    /// Weak: the registry must not keep a dropped manager's objects, and through them its arena, alive (issue 20:
    /// 2 GB after 2,000 managers). A worker forked while an object was alive inherits it alive.
    var shared: [Int: WeakInstance] = [:]
    /// The registry's size at which the entries of dropped objects are swept next (amortised O(1) per share).
    var sweepAt = 64
    var nextID = 1
    var module: PyModule?
}

extension MPBinding {
    func installManager(_ m: PyModule) throws {
        // The module, with its Python half (BaseManager and the other Python classes), is made when first used:
        // `Manager()`, `import multiprocessing.managers`, or a child decoding one of its classes (the decoder
        // imports a class's module). Compiling it at every `import multiprocessing` was a quarter of the import's
        // time, which every spawned child pays.
        // CPython's context.Manager(): a SyncManager, started
        m.set("Manager", .obj(PyBuiltin("Manager") { [unowned self] i, a, kw in
            _ = try self.bind(a, kw, ["ctx"], "Manager")
            _ = try i.importModule("multiprocessing.managers")
            let manager = try i.call(.obj(self.managerState.managerClass), [])
            _ = try i.callMethod(manager, "start", [], [])
            return manager
        }))
    }

    func managerError(_ e: Error) -> Error {
        if e is PyException || e is ExitRequest { return e }
        if let m = e as? ManagerError {
            switch m {
            case .shutDown: return err("OSError", "the manager was shut down: its objects can no longer be used")
            default: return err("OSError", m.description)
            }
        }
        return pyError(e)
    }

    func mlib<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw managerError(error) }
    }

    func proxy(_ v: Value) throws -> ProxyBox { try payload(v, ProxyBox.self, "proxy") }

    /// Remembers an object a pool task may name.
    @discardableResult
    func share(_ v: Value) -> Value {
        let s = managerState
        if case .obj(let i as PyInstance) = v {
            i.dict["_mpsh_ref"] = .int(s.nextID)
            s.shared[s.nextID] = WeakInstance(i)
            s.nextID += 1
            if s.shared.count >= s.sweepAt {
                s.shared = s.shared.filter { $0.value.instance != nil }
                s.sweepAt = max(64, 2 * s.shared.count)
            }
        }
        return v
    }

    // MARK: references in pool tasks

    /// Replaces shared objects by references (before encoding a task's payload).
    func toRefs(_ v: Value, _ depth: Int = 0) -> Value {
        if depth > 4 { return v }
        switch v {
        case .obj(let i as PyInstance):
            if i.payload != nil, case .int(let id)? = i.dict["_mpsh_ref"] {
                let r = PyInstance(managerState.refClass)
                r.dict["id"] = .int(id)
                return .obj(r)
            }
            return v
        case .tuple(let t):
            if !t.items.contains(where: { needsRef($0, depth + 1) }) { return v }
            return .tuple(PyTuple(t.items.map { toRefs($0, depth + 1) }))
        case .list(let l):
            if !l.items.contains(where: { needsRef($0, depth + 1) }) { return v }
            return .list(PyList(l.items.map { toRefs($0, depth + 1) }))
        case .dict(let d):
            if !d.items.contains(where: { needsRef($0.1, depth + 1) }) { return v }
            let n = PyDict()
            for (k, x) in d.items { n.set(k, toRefs(x, depth + 1)) }
            return .dict(n)
        default: return v
        }
    }

    /// Whether `fromRefs` has anything to replace in `v` (a manager reference, within its depth limit).
    func holdsRef(_ v: Value, _ depth: Int) -> Bool {
        if depth > 4 { return false }
        switch v {
        case .obj(let i as PyInstance): return i.cls === managerState.refClass
        case .tuple(let t): return t.items.contains { holdsRef($0, depth + 1) }
        case .list(let l): return l.items.contains { holdsRef($0, depth + 1) }
        case .dict(let d): return d.items.contains { holdsRef($0.1, depth + 1) }
        default: return false
        }
    }

    /// Whether `toRefs` has anything to replace in `v` at `depth` (it looks no deeper than 4 levels, so neither
    /// does this: a list that contains itself must not recurse for ever).
    func needsRef(_ v: Value, _ depth: Int) -> Bool {
        if depth > 4 { return false }
        switch v {
        case .obj(let i as PyInstance): return i.payload != nil && i.dict["_mpsh_ref"] != nil
        case .tuple(let t): return t.items.contains { needsRef($0, depth + 1) }
        case .list(let l): return l.items.contains { needsRef($0, depth + 1) }
        default: return false
        }
    }

    /// Replaces references by this process's shared objects (in a worker, after decoding a task).
    func fromRefs(_ v: Value, _ depth: Int = 0) throws -> Value {
        if depth > 4 || !holdsRef(v, depth) { return v }   // the usual task: nothing to replace, nothing rebuilt
        switch v {
        case .obj(let i as PyInstance) where i.cls === managerState.refClass:
            guard case .int(let id)? = i.dict["id"], let o = managerState.shared[id]?.instance.map({ Value.obj($0) }) else {
                throw err("RuntimeError", "a manager object was created after this pool started its workers: create the Manager's objects before the Pool or executor")
            }
            return o
        case .tuple(let t): return .tuple(PyTuple(try t.items.map { try fromRefs($0, depth + 1) }))
        case .list(let l):
            l.items = try l.items.map { try fromRefs($0, depth + 1) }
            return v
        case .dict(let d):
            let n = PyDict()
            for (k, x) in d.items { n.set(k, try fromRefs(x, depth + 1)) }
            return .dict(n)
        default: return v
        }
    }

    // MARK: dict

    /// The stored form of a key: its encoding, with True/False and integral floats as ints.
    func keyBytes(_ k: Value) throws -> [UInt8] {
        _ = try interp.hashValue(k)
        return try encode(normalisedKey(k))
    }

    func normalisedKey(_ k: Value) -> Value {
        switch k {
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d) where d.rounded() == d && abs(d) < 9e18: return .int(Int(d))
        case .tuple(let t): return .tuple(PyTuple(t.items.map(normalisedKey)))
        default: return k
        }
    }

    /// Whether a key is stored as its own normalised form (so it decodes back from the stored key).
    func plainKey(_ k: Value) -> Bool {
        switch k {
        case .bool: return false
        case .float(let d): return !(d.rounded() == d && abs(d) < 9e18)
        case .tuple(let t): return t.items.allSatisfy(plainKey)
        default: return true
        }
    }

    /// A stored entry: flag 0 + the value (the key is the stored key), or flag 1 + (key, value) for keys whose
    /// normalised form differs (1.0, True).
    func entry(_ key: [UInt8], _ bytes: [UInt8]) throws -> (Value, Value) {
        guard let flag = bytes.first else { throw err("RuntimeError", "a managed entry could not be read") }
        if flag == 0 { return (try decode(key), try decode(Array(bytes.dropFirst()))) }
        guard case .tuple(let t) = try decode(Array(bytes.dropFirst())), t.items.count == 2 else {
            throw err("RuntimeError", "a managed entry could not be read")
        }
        return (t.items[0], t.items[1])
    }

    func entryValue(_ bytes: [UInt8]) throws -> Value {
        guard let flag = bytes.first else { throw err("RuntimeError", "a managed entry could not be read") }
        if flag == 0 { return try decode(Array(bytes.dropFirst())) }
        guard case .tuple(let t) = try decode(Array(bytes.dropFirst())), t.items.count == 2 else {
            throw err("RuntimeError", "a managed entry could not be read")
        }
        return t.items[1]
    }

    func entryBytes(_ k: Value, _ v: Value) throws -> [UInt8] {
        if plainKey(k) { return [0] + (try encode(v)) }
        return [1] + (try encode(.tuple(PyTuple([k, v]))))
    }

    func dictItems(_ p: ProxyBox) throws -> [(Value, Value)] {
        try mlib { try p.dict!.items() }.map { try entry($0.key, $0.value) }
    }

    func dictCopy(_ p: ProxyBox) throws -> PyDict {
        let d = PyDict()
        for (k, v) in try dictItems(p) { d.set(k, v) }
        return d
    }

    func dictGet(_ p: ProxyBox, _ k: Value) throws -> Value? {
        guard let b = try mlib({ try p.dict!.get(try keyBytes(k)) }) else { return nil }
        return try entryValue(b)
    }

    /// d[k] = v. A key equal to a stored one keeps the stored key object, as Python does (for 1.0 and True
    /// replacing 1, and the reverse when the stored key was 1.0 or True).
    func dictSet(_ p: ProxyBox, _ k: Value, _ v: Value) throws {
        let kb = try keyBytes(k)
        var key = k
        if !plainKey(k), let old = try mlib({ try p.dict!.get(kb) }) { key = try entry(kb, old).0 }
        let vb = try entryBytes(key, v)
        try mlib { try p.dict!.setValue(vb, forKey: kb) }
    }

    func keyError(_ k: Value) -> PyException { interp.errValue("KeyError", k) }

    // MARK: list

    func listItems(_ p: ProxyBox) throws -> [Value] { try mlib { try p.list!.copy() }.map { try decode($0) } }

    func listIndex(_ p: ProxyBox, _ i: Value, _ what: String) throws -> Int {
        let n = try mlib { try p.list!.count }
        let raw = try interp.intArg(i)
        let j = raw < 0 ? raw + n : raw
        if j < 0 || j >= n { throw err("IndexError", "list \(what) out of range") }
        return j
    }

    /// The shared list's items as a plain list of this process's.
    func listCopy(_ p: ProxyBox) throws -> Value { .list(PyList(try listItems(p))) }

    /// Edits a copy of the shared list (`edit` returns the list to write back), then writes it back: the
    /// operations the shared list has no element-wise form of (slices, sort, `*=`).
    func rewriteList(_ p: ProxyBox, _ edit: (Value) throws -> Value) throws {
        try setList(p, try listOf(try edit(try listCopy(p))))
    }

    func setList(_ p: ProxyBox, _ items: [Value]) throws {
        let encoded = try items.map { try encode($0) }
        try mlib {
            try p.list!.clear()
            try p.list!.extend(encoded)
        }
    }

    // MARK: classes

    func newProxy(_ cls: PyClass, _ box: ProxyBox) -> Value {
        let i = PyInstance(cls)
        i.payload = box
        return share(.obj(i))
    }

    func makeManagerModule() throws -> PyModule {
        let s = managerState
        if let m = s.module { return m }
        let module = "multiprocessing.managers"
        let proxyRepr: (String, String) -> (String, Value) = { [unowned self] name, typeid in
            self.method("__repr__") { _, a, _ in
                guard case .obj(let o) = a[0] else { return .str("<\(name)>") }
                let addr = String(UInt(bitPattern: ObjectIdentifier(o)), radix: 16)
                return .str("<\(name) object, typeid '\(typeid)' at 0x\(addr)>")
            }
        }
        s.refClass = makeClass("_SharedRef", module: module, [])
        s.dictProxyClass = makeClass("DictProxy", module: module, [
            proxyRepr("DictProxy", "dict"),
            method("__str__") { [unowned self] i, a, _ in .str(try i.repr(.dict(try self.dictCopy(try self.proxy(a[0]))))) },
            method("__getitem__") { [unowned self] _, a, _ in
                guard let v = try self.dictGet(try self.proxy(a[0]), a[1]) else { throw self.keyError(a[1]) }
                return v
            },
            method("__setitem__") { [unowned self] _, a, _ in try self.dictSet(try self.proxy(a[0]), a[1], a[2]); return .none },
            method("__delitem__") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                if try self.mlib({ try p.dict!.removeValue(forKey: try self.keyBytes(a[1])) }) == nil { throw self.keyError(a[1]) }
                return .none
            },
            method("__contains__") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                return .bool(try self.mlib { try p.dict!.contains(try self.keyBytes(a[1])) })
            },
            method("__len__") { [unowned self] _, a, _ in .int(try self.mlib { try self.proxy(a[0]).dict!.count }) },
            method("__iter__") { [unowned self] i, a, _ in
                .obj(try i.getIter(.list(PyList(try self.dictItems(try self.proxy(a[0])).map(\.0)))))
            },
            method("get") { [unowned self] _, a, _ in
                guard a.count >= 2 else { throw self.interp.typeError("get expected at least 1 argument, got 0") }
                return try self.dictGet(try self.proxy(a[0]), a[1]) ?? (a.count > 2 ? a[2] : .none)
            },
            method("keys") { [unowned self] _, a, _ in .list(PyList(try self.dictItems(try self.proxy(a[0])).map(\.0))) },
            method("values") { [unowned self] _, a, _ in .list(PyList(try self.dictItems(try self.proxy(a[0])).map(\.1))) },
            method("items") { [unowned self] _, a, _ in
                .list(PyList(try self.dictItems(try self.proxy(a[0])).map { .tuple(PyTuple([$0.0, $0.1])) }))
            },
            method("copy") { [unowned self] _, a, _ in .dict(try self.dictCopy(try self.proxy(a[0]))) },
            method("clear") { [unowned self] _, a, _ in try self.mlib { try self.proxy(a[0]).dict!.clear() }; return .none },
            method("pop") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                guard a.count >= 2 else { throw self.interp.typeError("pop expected at least 1 argument, got 0") }
                if let b = try self.mlib({ try p.dict!.removeValue(forKey: try self.keyBytes(a[1])) }) { return try self.entryValue(b) }
                if a.count > 2 { return a[2] }
                throw self.keyError(a[1])
            },
            method("popitem") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                // one step under the lock: two processes never pop the same item (issue 20)
                guard let last = try self.mlib({ try p.dict!.popLast() }) else {
                    throw self.err("KeyError", "popitem(): dictionary is empty")
                }
                let (k, v) = try self.entry(last.key, last.value)
                return .tuple(PyTuple([k, v]))
            },
            method("setdefault") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                let d = a.count > 2 ? a[2] : .none
                let kb = try self.keyBytes(a[1])
                let vb = try self.entryBytes(a[1], d)
                return try self.entryValue(try self.mlib { try p.dict!.setDefault(kb, vb) })
            },
            method("update") { [unowned self] i, a, kw in
                // Every pair is encoded first, then stored under one lock: other processes see the update whole
                // or not at all (issue 20: readers saw torn updates when each key took the lock on its own).
                let p = try self.proxy(a[0])
                var pairs: [([UInt8], [UInt8])] = []
                func add(_ k: Value, _ v: Value) throws {
                    let kb = try self.keyBytes(k)
                    var key = k
                    if !self.plainKey(k), let old = try self.mlib({ try p.dict!.get(kb) }) { key = try self.entry(kb, old).0 }
                    pairs.append((kb, try self.entryBytes(key, v)))
                }
                if a.count > 1 {
                    if case .dict(let d) = a[1] {
                        for (k, v) in d.items { try add(k, v) }
                    } else if case .obj(let o as PyInstance) = a[1], o.payload is ProxyBox {
                        for (k, v) in try self.dictItems(try self.proxy(a[1])) { try add(k, v) }
                    } else {
                        try i.iterate(a[1]) { pair in
                            let kv = try self.listOf(pair)
                            guard kv.count == 2 else { throw self.err("ValueError", "dictionary update sequence element has length \(kv.count); 2 is required") }
                            try add(kv[0], kv[1])
                            return true
                        }
                    }
                }
                for (k, v) in kw { try add(.str(k), v) }
                if !pairs.isEmpty { try self.mlib { try p.dict!.update(pairs) } }
                return .none
            },
        ])
        s.listProxyClass = makeClass("ListProxy", module: module, [
            proxyRepr("ListProxy", "list"),
            method("__str__") { [unowned self] i, a, _ in .str(try i.repr(try self.listCopy(try self.proxy(a[0])))) },
            method("__len__") { [unowned self] _, a, _ in .int(try self.mlib { try self.proxy(a[0]).list!.count }) },
            method("__getitem__") { [unowned self] i, a, _ in
                let p = try self.proxy(a[0])
                if case .obj(let sl as PySlice) = a[1] {
                    return try i.getItem(try self.listCopy(p), .obj(sl))
                }
                let j = try self.listIndex(p, a[1], "index")
                return try self.decode(try self.mlib { try p.list!.element(at: j) })
            },
            method("__setitem__") { [unowned self] i, a, _ in
                let p = try self.proxy(a[0])
                if case .obj(is PySlice) = a[1] {
                    try self.rewriteList(p) { l in try i.setItem(l, a[1], a[2]); return l }
                    return .none
                }
                let j = try self.listIndex(p, a[1], "assignment index")
                let b = try self.encode(a[2])
                try self.mlib { try p.list!.setElement(b, at: j) }
                return .none
            },
            method("__delitem__") { [unowned self] i, a, _ in
                let p = try self.proxy(a[0])
                if case .obj(is PySlice) = a[1] {
                    try self.rewriteList(p) { l in try i.delItem(l, a[1]); return l }
                    return .none
                }
                let j = try self.listIndex(p, a[1], "assignment index")
                _ = try self.mlib { try p.list!.pop(j) }
                return .none
            },
            // CPython's ListProxy: `+` and `*` make a plain list; `*=` repeats in place
            method("__add__") { [unowned self] i, a, _ in try i.binop(.add, try self.listCopy(try self.proxy(a[0])), a[1]) },
            method("__mul__") { [unowned self] i, a, _ in try i.binop(.mul, try self.listCopy(try self.proxy(a[0])), a[1]) },
            method("__rmul__") { [unowned self] i, a, _ in try i.binop(.mul, try self.listCopy(try self.proxy(a[0])), a[1]) },
            method("__imul__") { [unowned self] i, a, _ in
                try self.rewriteList(try self.proxy(a[0])) { l in try i.binop(.mul, l, a[1]) }
                return a[0]
            },
            method("__iter__") { [unowned self] i, a, _ in .obj(try i.getIter(try self.listCopy(try self.proxy(a[0])))) },
            method("__contains__") { [unowned self] i, a, _ in
                .bool(try self.listItems(try self.proxy(a[0])).contains { (try? i.eq($0, a[1])) ?? false })
            },
            method("append") { [unowned self] _, a, _ in
                let b = try self.encode(a[1])
                try self.mlib { try self.proxy(a[0]).list!.append(b) }
                return .none
            },
            method("extend") { [unowned self] _, a, _ in
                let items = try self.listOf(a[1]).map { try self.encode($0) }
                try self.mlib { try self.proxy(a[0]).list!.extend(items) }
                return .none
            },
            method("__iadd__") { [unowned self] _, a, _ in
                let items = try self.listOf(a[1]).map { try self.encode($0) }
                try self.mlib { try self.proxy(a[0]).list!.extend(items) }
                return a[0]
            },
            method("insert") { [unowned self] i, a, _ in
                let p = try self.proxy(a[0])
                let n = try self.mlib { try p.list!.count }
                var j = try i.intArg(a[1])
                if j < 0 { j = max(0, j + n) }
                let b = try self.encode(a[2])
                try self.mlib { try p.list!.insert(b, at: min(j, n)) }
                return .none
            },
            method("pop") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                if try self.mlib({ try p.list!.count }) == 0 { throw self.err("IndexError", "pop from empty list") }
                let j = try self.listIndex(p, a.count > 1 ? a[1] : .int(-1), "index")
                return try self.decode(try self.mlib { try p.list!.pop(j) })
            },
            method("remove") { [unowned self] i, a, _ in
                let p = try self.proxy(a[0])
                guard let j = try self.listItems(p).firstIndex(where: { (try? i.eq($0, a[1])) ?? false }) else {
                    throw self.err("ValueError", "list.remove(x): x not in list")
                }
                _ = try self.mlib { try p.list!.pop(j) }
                return .none
            },
            method("index") { [unowned self] i, a, _ in
                guard let j = try self.listItems(try self.proxy(a[0])).firstIndex(where: { (try? i.eq($0, a[1])) ?? false }) else {
                    throw self.err("ValueError", "\(try i.repr(a[1])) is not in list")
                }
                return .int(j)
            },
            method("count") { [unowned self] i, a, _ in
                .int(try self.listItems(try self.proxy(a[0])).filter { (try? i.eq($0, a[1])) ?? false }.count)
            },
            method("reverse") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                try self.setList(p, try self.listItems(p).reversed())
                return .none
            },
            method("sort") { [unowned self] i, a, kw in
                try self.rewriteList(try self.proxy(a[0])) { l in _ = try i.callMethod(l, "sort", [], kw); return l }
                return .none
            },
        ])
        s.namespaceProxyClass = makeClass("NamespaceProxy", module: module, [
            proxyRepr("NamespaceProxy", "Namespace"),
            method("__str__") { [unowned self] i, a, _ in
                let items = try self.dictItems(try self.proxy(a[0]))
                    .compactMap { k, v -> String? in
                        guard case .str(let n) = k, !n.s.hasPrefix("_") else { return nil }
                        return "\(n)=\((try? i.repr(v)) ?? "?")"
                    }.sorted()
                return .str("Namespace(\(items.joined(separator: ", ")))")
            },
            method("__getattr__") { [unowned self] _, a, _ in
                guard case .str(let name) = a[1] else { throw self.interp.typeError("attribute name must be a string") }
                guard let v = try self.dictGet(try self.proxy(a[0]), a[1]) else {
                    throw self.err("AttributeError", "'Namespace' object has no attribute '\(name)'")
                }
                return v
            },
            method("_mpsh_setattr") { [unowned self] _, a, _ in
                if case .str(let n) = a[1], n.s.hasPrefix("_") {
                    guard case .obj(let o as PyInstance) = a[0] else { return .none }
                    o.dict[n.s] = a[2]
                    return .none
                }
                try self.dictSet(try self.proxy(a[0]), a[1], a[2])
                return .none
            },
            method("_mpsh_delattr") { [unowned self] _, a, _ in
                let p = try self.proxy(a[0])
                if try self.mlib({ try p.dict!.removeValue(forKey: try self.keyBytes(a[1])) }) == nil {
                    throw self.err("AttributeError", "'Namespace' object has no attribute '\((try? self.interp.str(a[1])) ?? "")'")
                }
                return .none
            },
        ])
        s.valueProxyClass = makeClass("ValueProxy", module: module, [
            proxyRepr("ValueProxy", "Value"),
            method("__str__") { [unowned self] i, a, _ in
                let p = try self.proxy(a[0])
                let v = try self.dictGet(p, .str("value")) ?? .none
                return .str("Value(\(try i.repr(p.typecode)), \(try i.repr(v)))")
            },
            property("value", get: { [unowned self] _, a, _ in try self.dictGet(try self.proxy(a[0]), .str("value")) ?? .none },
                     set: { [unowned self] _, a, _ in try self.dictSet(try self.proxy(a[0]), .str("value"), a[1]); return .none }),
            method("get") { [unowned self] _, a, _ in try self.dictGet(try self.proxy(a[0]), .str("value")) ?? .none },
            method("set") { [unowned self] _, a, _ in try self.dictSet(try self.proxy(a[0]), .str("value"), a[1]); return .none },
        ])
        // __setattr__ and __delattr__ must be functions of the language (the interpreter calls those only).
        let helper = PyModule(name: "multiprocessing.managers")
        helper.set("NamespaceProxy", .obj(s.namespaceProxyClass))
        _ = try interp.execIn("""
            def __setattr__(self, name, value):
                self._mpsh_setattr(name, value)
            def __delattr__(self, name):
                self._mpsh_delattr(name)
            NamespaceProxy.__setattr__ = __setattr__
            NamespaceProxy.__delattr__ = __delattr__
            del __setattr__, __delattr__
            """, file: "<multiprocessing.managers>", module: helper)

        let create: (String, @escaping (MPBinding, ManagerBox, [Value], [(String, Value)]) throws -> Value) -> (String, Value) = {
            [unowned self] name, body in
            self.method(name) { [unowned self] i, a, kw in
                // CPython's BaseManager._create: `assert self._state.value == State.STARTED, 'server not yet started'`
                // (STARTED is 1)
                guard case .int(1)? = try? i.getAttr(try i.getAttr(a[0], "_state"), "value"),
                      case .obj(let inst as PyInstance) = a[0], let m = inst.payload as? ManagerBox, !m.manager.isShutDown else {
                    throw self.err("AssertionError", "server not yet started")
                }
                return try body(self, m, Array(a.dropFirst()), kw)
            }
        }
        let wrapSync: (String, String) -> (String, Value) = { name, cls in
            create(name) { b, _, a, kw in
                guard case .obj(let c)? = try b.interp.importModule("multiprocessing").moduleGet(cls) else {
                    throw b.err("AttributeError", "multiprocessing has no \(cls)")
                }
                return b.share(try b.interp.call(.obj(c), a, kw))
            }
        }
        // Its states (start, shutdown, with, get_server) are BaseManager's, in Python (ManagersSource.swift), over
        // these two: the objects' arena made (once) and shut down.
        s.managerClass = makeClass("SyncManager", module: module, [
            method("_mpsh_open") { [unowned self] _, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first else { return .none }
                if inst.payload == nil { inst.payload = ManagerBox(try self.mlib { try Multiprocessing.Manager() }) }
                return .none
            },
            // false when there was no arena to shut down (never started)
            method("_mpsh_close") { _, a, _ in
                guard case .obj(let inst as PyInstance)? = a.first, let m = inst.payload as? ManagerBox else { return .bool(false) }
                m.manager.shutdown()
                return .bool(true)
            },
            create("dict") { b, m, a, kw in
                let p = ProxyBox(dict: try b.mlib { try m.manager.dict([UInt8].self, [UInt8].self) }, list: nil, typeid: "dict")
                let v = b.newProxy(b.managerState.dictProxyClass, p)
                if !a.isEmpty || !kw.isEmpty { _ = try b.interp.callMethod(v, "update", a, kw) }
                return v
            },
            create("list") { b, m, a, _ in
                let p = ProxyBox(dict: nil, list: try b.mlib { try m.manager.list([UInt8].self) }, typeid: "list")
                if let first = a.first { try b.setList(p, try b.listOf(first)) }
                return b.newProxy(b.managerState.listProxyClass, p)
            },
            create("Namespace") { b, m, _, kw in
                let p = ProxyBox(dict: try b.mlib { try m.manager.dict([UInt8].self, [UInt8].self) }, list: nil, typeid: "Namespace")
                for (k, v) in kw { try b.dictSet(p, .str(k), v) }
                return b.newProxy(b.managerState.namespaceProxyClass, p)
            },
            create("Value") { b, m, a, kw in
                let args = try b.bind(a, kw, ["typecode", "value", "lock"], "Value")
                let p = ProxyBox(dict: try b.mlib { try m.manager.dict([UInt8].self, [UInt8].self) }, list: nil, typeid: "Value")
                p.typecode = args[0] ?? .none
                try b.dictSet(p, .str("value"), args[1] ?? .none)
                return b.newProxy(b.managerState.valueProxyClass, p)
            },
            wrapSync("Queue", "Queue"), wrapSync("JoinableQueue", "JoinableQueue"), wrapSync("Lock", "Lock"),
            wrapSync("RLock", "RLock"), wrapSync("Semaphore", "Semaphore"), wrapSync("BoundedSemaphore", "BoundedSemaphore"),
            wrapSync("Condition", "Condition"), wrapSync("Event", "Event"), wrapSync("Barrier", "Barrier"),
            wrapSync("Array", "Array"),
            // Manager().Pool: CPython's pool runs in the manager's process and the program holds a proxy; here the
            // pool is this process's own (the same results, callbacks and errors; its workers are children of this
            // process, not of the manager's)
            create("Pool") { b, _, a, kw in
                guard case .obj(let c)? = try b.interp.importModule("multiprocessing").moduleGet("Pool") else {
                    throw b.err("AttributeError", "multiprocessing has no Pool")
                }
                return try b.interp.call(.obj(c), a, kw)
            },
        ])
        let m = PyModule(name: module)
        m.set("SyncManager", .obj(s.managerClass))
        m.set("DictProxy", .obj(s.dictProxyClass))
        m.set("ListProxy", .obj(s.listProxyClass))
        m.set("NamespaceProxy", .obj(s.namespaceProxyClass))
        m.set("ValueProxy", .obj(s.valueProxyClass))
        m.set("_SharedRef", .obj(s.refClass))
        m.set("__name__", .str(module))
        m.set("ProcessError", .obj(processErrorClass))
        s.module = m
        return m
    }

    /// `multiprocessing.managers` as a program imports it: the native part and BaseManager, Server and BaseProxy
    /// (SourceModules.swift), compiled once.
    func managersModule() throws -> PyModule {
        let m = try makeManagerModule()
        if m.get("BaseManager") == nil {
            interp.modules["multiprocessing.managers"] = .obj(m)   // its source imports multiprocessing
            try runSource(Self.managersSource, in: m, file: "<multiprocessing.managers>")
            // `multiprocessing.managers` after `import multiprocessing.managers`, as CPython's import sets it
            if case .obj(let mp as PyModule)? = interp.modules["multiprocessing"] { mp.set("managers", .obj(m)) }
        }
        return m
    }
}

extension Value {
    func moduleGet(_ name: String) -> Value? {
        if case .obj(let m as PyModule) = self { return m.get(name) }
        return nil
    }
}

extension Interpreter {
    func registerManagerModules() {
        registerModule("multiprocessing.managers") { i in try i.mpBinding.managersModule() }
    }
}
