// `_gc`: the native half of `gc` (Sources/CPyLib/python/gc.py) over the cycle collector (Objects/Cycles.swift):
// collections, the listed containers, and what refers to what. Mirrors CPython's `Modules/gcmodule.c`.

extension Interpreter {
    func makeGCCore() -> PyModule {
        let m = PyModule(name: "_gc")
        /// collect(saved) -> n: `saved` is a list that receives the garbage instead of freeing it, or None.
        m.fn("collect") { i, a, _ in
            try i.need(a, 1, "collect")
            if case .list(let saved) = a[0] {
                return .int(GC.collect(save: { saved.items.append(GC.value($0)) }))
            }
            return .int(GC.collect())
        }
        m.fn("get_objects") { _, _, _ in .list(PyList(GC.objects().map(GC.value))) }
        m.fn("get_referents") { _, a, _ in
            var r: [Value] = []
            for v in a {
                guard let o = GC.container(v) else { continue }
                GC.forEachReference(o) { w in if !w.isNone { r.append(w) } }
            }
            return .list(PyList(r))
        }
        m.fn("get_referrers") { i, a, _ in
            var r: [Value] = []
            for o in GC.objects() {
                var refers = false
                GC.forEachReference(o) { w in if !refers && a.contains(where: { i.identical($0, w) }) { refers = true } }
                if refers { r.append(GC.value(o)) }
            }
            return .list(PyList(r))
        }
        m.fn("is_tracked") { i, a, _ in
            try i.need(a, 1, "is_tracked")
            return .bool(GC.container(a[0]) != nil)
        }
        m.fn("set_automatic") { i, a, _ in
            try i.need(a, 1, "set_automatic")
            GC.automatic = try i.truthy(a[0])
            return .none
        }
        m.fn("set_min_growth") { i, a, _ in
            try i.need(a, 1, "set_min_growth")
            GC.minimumGrowth = max(1, try i.intArg(a[0]))
            return .none
        }
        /// count() -> containers made (less those freed) since the last collection
        m.fn("count") { _, _, _ in .int(max(0, GC.live - GC.liveAfterLast)) }
        m.fn("freeze") { _, _, _ in GC.freeze(true); return .none }
        m.fn("unfreeze") { _, _, _ in GC.freeze(false); return .none }
        m.fn("get_freeze_count") { _, _, _ in .int(GC.frozenCount) }
        /// stats() -> (collections, collected)
        m.fn("stats") { _, _, _ in .tuple(PyTuple([.int(GC.collections), .int(GC.collected)])) }
        return m
    }
}

extension GC {
    /// The listed container `v` refers to, or nil (ints, strs, classes, modules are not listed).
    static func container(_ v: Value) -> PyObject? {
        switch v {
        case .list(let l): return l
        case .tuple(let t): return t
        case .dict(let d): return d
        case .obj(let o): return o.gcSlot >= 0 ? o : nil
        default: return nil
        }
    }
}
