// math, itertools and functools. Mirrors CPython's `Modules/mathmodule.c`, `itertoolsmodule.c` and
// `Lib/functools.py` for what programs call.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Interpreter {
    // MARK: math

    /// math.comb/perm's arguments: ints (TypeError otherwise), neither negative (CPython's ValueError).
    func combArgs(_ nv: Value, _ kv: Value) throws -> (BigInt, BigInt) {
        for v in [nv, kv] where !isIntLike(v) {
            throw typeError("'\(typeName(v))' object cannot be interpreted as an integer")
        }
        let n = big(try toInt(nv))!, k = big(try toInt(kv))!
        if n.sign == .minus && !n.isZero { throw err("ValueError", "n must be a non-negative integer") }
        if k.sign == .minus && !k.isZero { throw err("ValueError", "k must be a non-negative integer") }
        return (n, k)
    }

    /// Before computing an integer whose size is known in advance (factorial, comb, perm): MemoryError when it
    /// would take more than 2^28 bits (32 MiB, 80 million digits; factorial(10**7) is 2^27.8). CPython starts
    /// and runs for minutes or until memory ends; a clear error at once is the better answer for a result nobody
    /// can print (its str alone is limited to 4300 digits).
    func checkResultBits(_ bits: Double) throws {
        if !(bits <= 268_435_456) { throw err("MemoryError", nil) }
    }

    func makeMath() -> PyModule {
        let m = PyModule(name: "math")
        m.set("pi", .float(Double.pi))
        m.set("e", .float(M_E))
        m.set("tau", .float(2 * Double.pi))
        m.set("inf", .float(.infinity))
        m.set("nan", .float(.nan))
        func f1(_ name: String, domain: ((Double) -> Bool)? = nil, _ f: @escaping (Double) -> Double) {
            m.fn(name) { i, a, _ in
                try i.need(a, 1, name)
                let x = try i.toDouble(a[0])
                if let d = domain, !d(x) { throw i.err("ValueError", "math domain error") }
                let r = f(x)
                if r.isInfinite && x.isFinite { throw i.err("OverflowError", "math range error") }
                return .float(r)
            }
        }
        f1("sqrt", domain: { $0 >= 0 || $0.isNaN }, Glibc.sqrt)
        f1("exp", Glibc.exp)
        f1("sin", Glibc.sin); f1("cos", Glibc.cos); f1("tan", Glibc.tan)
        f1("asin", domain: { abs($0) <= 1 }, Glibc.asin); f1("acos", domain: { abs($0) <= 1 }, Glibc.acos); f1("atan", Glibc.atan)
        f1("sinh", Glibc.sinh); f1("cosh", Glibc.cosh); f1("tanh", Glibc.tanh)
        f1("log2", domain: { $0 > 0 }, Glibc.log2); f1("log10", domain: { $0 > 0 }, Glibc.log10)
        f1("fabs", Glibc.fabs)
        f1("degrees") { $0 * 180 / Double.pi }
        f1("radians") { $0 * Double.pi / 180 }
        f1("expm1", Glibc.expm1); f1("log1p", domain: { $0 > -1 }, Glibc.log1p)
        f1("erf", Glibc.erf); f1("gamma", Glibc.tgamma)
        m.fn("log") { i, a, _ in
            try i.need(a, 1, "log")
            func ln(_ v: Value) throws -> Double {
                if case .bigBox(let b) = v, !b.isNegative {
                    let bits = b.bitLength - 60
                    return Glibc.log(Double(b.v >> bits)) + Double(bits) * M_LN2
                }
                let x = try i.toDouble(v)
                if x <= 0 { throw i.err("ValueError", "math domain error") }
                return Glibc.log(x)
            }
            let r = try ln(a[0])
            if a.count > 1 { return .float(r / (try ln(a[1]))) }
            return .float(r)
        }
        m.fn("pow") { i, a, _ in try i.need(a, 2, "pow");
            let x = try i.toDouble(a[0]), y = try i.toDouble(a[1])
            if x == 0 && y < 0 { throw i.err("ValueError", "math domain error") }
            return .float(Glibc.pow(x, y))
        }
        m.fn("atan2") { i, a, _ in try i.need(a, 2, "atan2"); return .float(Glibc.atan2(try i.toDouble(a[0]), try i.toDouble(a[1]))) }
        m.fn("hypot") { i, a, _ in .float(Glibc.sqrt(try a.reduce(0.0) { let x = try i.toDouble($1); return $0 + x * x })) }
        m.fn("copysign") { i, a, _ in try i.need(a, 2, "copysign"); return .float(Glibc.copysign(try i.toDouble(a[0]), try i.toDouble(a[1]))) }
        m.fn("fmod") { i, a, _ in try i.need(a, 2, "fmod"); return .float(Glibc.fmod(try i.toDouble(a[0]), try i.toDouble(a[1]))) }
        for (name, rule) in [("floor", FloatingPointRoundingRule.down), ("ceil", .up), ("trunc", .towardZero)] {
            m.fn(name) { i, a, _ in
                try i.need(a, 1, name)
                if i.isIntLike(a[0]) { return try i.toInt(a[0]) }
                if case .obj(let o as PyInstance) = a[0], let f = o.cls.lookup("__" + name + "__") { return try i.callBound(f, a[0], [], []) }
                return try i.toInt(.float(try i.toDouble(a[0]).rounded(rule)))
            }
        }
        m.fn("isnan") { i, a, _ in try i.need(a, 1, "isnan"); return .bool(try i.toDouble(a[0]).isNaN) }
        m.fn("isinf") { i, a, _ in try i.need(a, 1, "isinf"); return .bool(try i.toDouble(a[0]).isInfinite) }
        m.fn("isfinite") { i, a, _ in try i.need(a, 1, "isfinite"); return .bool(try i.toDouble(a[0]).isFinite) }
        m.fn("isclose") { i, a, kw in try i.need(a, 2, "isclose");
            let x = try i.toDouble(a[0]), y = try i.toDouble(a[1])
            let rel = try kw.first { $0.0 == "rel_tol" }.map { try i.toDouble($0.1) } ?? 1e-9
            let abs_ = try kw.first { $0.0 == "abs_tol" }.map { try i.toDouble($0.1) } ?? 0
            if x == y { return .bool(true) }
            let d = abs(x - y)
            return .bool(d <= max(rel * max(abs(x), abs(y)), abs_))
        }
        m.fn("factorial") { i, a, _ in try i.need(a, 1, "factorial");
            guard i.isIntLike(a[0]) else { throw i.typeError("'\(i.typeName(a[0]))' object cannot be interpreted as an integer") }
            guard let n = i.asInt(try i.toInt(a[0])) else {
                if i.big(a[0])!.sign == .minus { throw i.err("ValueError", "factorial() not defined for negative values") }
                throw i.err("OverflowError", "factorial() argument should not exceed \(Int.max)")
            }
            if n < 0 { throw i.err("ValueError", "factorial() not defined for negative values") }
            try i.checkResultBits(Double(n) * log2(Double(max(n, 2))))
            return .bigOrInt(BigInt.factorial(n))
        }
        m.fn("gcd") { i, a, _ in
            var g = BigInt(0)
            for v in a { guard let b = i.big(v) else { throw i.typeError("'\(i.typeName(v))' object cannot be interpreted as an integer") }; g = gcdBig(g, b) }
            return .bigOrInt(g)
        }
        m.fn("lcm") { i, a, _ in
            var l = BigInt(1)
            for v in a {
                guard let b = i.big(v) else { throw i.typeError("'\(i.typeName(v))' object cannot be interpreted as an integer") }
                l = BigInt.lcm(l, b)
            }
            return .bigOrInt(l)
        }
        m.fn("isqrt") { i, a, _ in try i.need(a, 1, "isqrt");
            guard let n = i.big(a[0]) else { throw i.typeError("isqrt requires an int") }
            if n.sign == .minus { throw i.err("ValueError", "isqrt() argument must be nonnegative") }
            return .bigOrInt(n.squareRoot())
        }
        m.fn("comb") { i, a, _ in try i.need(a, 2, "comb");
            let (n, k) = try i.combArgs(a[0], a[1])
            if k > n { return .int(0) }
            let kk = min(k, n - k)   // comb(n, k) == comb(n, n - k)
            guard let small = i.asInt(.bigOrInt(kk)) else {
                throw i.err("OverflowError", "min(n - k, k) must not exceed \(Int.max)")
            }
            if small == 0 { return .int(1) }
            // at most k·log2(e·n/k) bits, and never more than n
            let kd = Double(small)
            try i.checkResultBits(min(n.toDouble ?? .infinity, kd * (Double(n.bitLength) - log2(kd) + 1.4427)))
            if let nn = i.asInt(.bigOrInt(n)) { return .bigOrInt(BigInt.binomial(nn, small)) }
            var r = BigInt(1)
            for j in 0..<small { r = (r * (n - j)) / BigInt(j + 1) }
            return .bigOrInt(r)
        }
        m.fn("perm") { i, a, _ in try i.need(a, 1, "perm");
            let (n, k) = try i.combArgs(a[0], a.count > 1 && !a[1].isNone ? a[1] : a[0])
            if k > n { return .int(0) }
            guard let small = i.asInt(.bigOrInt(k)) else { throw i.err("OverflowError", "k must not exceed \(Int.max)") }
            if small == 0 { return .int(1) }
            try i.checkResultBits(Double(small) * Double(n.bitLength))
            if let nn = i.asInt(.bigOrInt(n)) { return .bigOrInt(BigInt.binomial(nn, small) * BigInt.factorial(small)) }
            var r = BigInt(1)
            for j in 0..<small { r = r * (n - j) }
            return .bigOrInt(r)
        }
        m.fn("prod") { i, a, kw in try i.need(a, 1, "prod");
            var acc: Value = kw.first { $0.0 == "start" }?.1 ?? .int(1)
            try i.iterate(a[0]) { acc = try i.binop(.mul, acc, $0); return true }
            return acc
        }
        m.fn("fsum") { i, a, _ in try i.need(a, 1, "fsum");
            // Neumaier compensated summation (close to CPython's exact fsum for everyday inputs)
            var s = 0.0, c = 0.0
            try i.iterate(a[0]) { v in
                let x = try i.toDouble(v)
                let t = s + x
                if abs(s) >= abs(x) { c += (s - t) + x } else { c += (x - t) + s }
                s = t
                return true
            }
            return .float(s + c)
        }
        m.fn("modf") { i, a, _ in try i.need(a, 1, "modf");
            let x = try i.toDouble(a[0])
            let ip = x.rounded(.towardZero)
            return .tuple(PyTuple([.float(x - ip), .float(ip)]))
        }
        m.fn("frexp") { i, a, _ in try i.need(a, 1, "frexp");
            let x = try i.toDouble(a[0])
            var e: Int32 = 0
            let mm = Glibc.frexp(x, &e)
            return .tuple(PyTuple([.float(mm), .int(Int(e))]))
        }
        m.fn("dist") { i, a, _ in try i.need(a, 2, "dist");
            let p = try i.toArray(a[0]), q = try i.toArray(a[1])
            var s = 0.0
            for (x, y) in zip(p, q) { let d = try i.toDouble(x) - i.toDouble(y); s += d * d }
            return .float(Glibc.sqrt(s))
        }
        return m
    }

    func randBelow(_ n: Int) -> Int {
        if n <= 0 { return 0 }
        return Int(rng.next() % UInt64(n))
    }

    // MARK: itertools

    func makeItertools() -> PyModule {
        let m = PyModule(name: "itertools")
        m.fn("count") { i, a, kw in
            let args = Args(a, kw, "count")
            var cur = args.get(0, "start") ?? .int(0)
            let step = args.get(1, "step") ?? .int(1)
            return .obj(PyIterator("count") { let v = cur; cur = try i.binop(.add, cur, step); return v })
        }
        m.fn("islice") { i, a, _ in try i.need(a, 1, "islice");
            let it = try i.getIter(a[0])
            var start = 0, stop: Int? = nil, step = 1
            if a.count == 2 { stop = try i.optInt(a[1]) } else if a.count >= 3 {
                start = try i.optInt(a[1]) ?? 0; stop = try i.optInt(a[2]); if a.count > 3 { step = try i.optInt(a[3]) ?? 1 }
            }
            var idx = 0
            var nextWanted = start
            return .obj(PyIterator("islice") {
                while true {
                    if let s = stop, nextWanted >= s { return nil }
                    guard let v = try it.nextFn() else { return nil }
                    idx += 1
                    if idx - 1 == nextWanted { nextWanted += step; return v }
                }
            })
        }
        let chainFrom: NativeFn = { i, a, _ in try i.need(a, 1, "function");
            let outer = try i.getIter(a[0])
            var cur: PyIterator? = nil
            return .obj(PyIterator("chain") {
                while true {
                    if let c = cur, let v = try c.nextFn() { return v }
                    guard let nx = try outer.nextFn() else { return nil }
                    cur = try i.getIter(nx)
                }
            })
        }
        let chain = PyClass(name: "chain", bases: [objectClass], dict: ["from_iterable": .obj(PyStaticMethod(.obj(PyBuiltin("from_iterable", chainFrom))))])
        chain.module = "itertools"
        chain.native = { i, a, _ in try chainFrom(i, [.tuple(PyTuple(a))], []) }
        m.set("chain", .obj(chain))
        m.fn("product") { i, a, kw in
            let rep = try kw.first { $0.0 == "repeat" }.map { try i.intArg($0.1) } ?? 1
            var pools = try a.map { try i.toArray($0) }
            if rep > 1 { let p = pools; pools = []; for _ in 0..<rep { pools += p } }
            var result: [[Value]] = [[]]
            for pool in pools {
                var next: [[Value]] = []
                for r in result { for x in pool { next.append(r + [x]) } }
                result = next
            }
            var k = 0
            return .obj(PyIterator("product") { if k < result.count { k += 1; return .tuple(PyTuple(result[k - 1])) }; return nil })
        }
        m.fn("permutations") { i, a, _ in try i.need(a, 1, "permutations");
            let pool = try i.toArray(a[0])
            let r = a.count > 1 && !a[1].isNone ? try i.intArg(a[1]) : pool.count
            var out: [[Value]] = []
            func rec(_ cur: [Int]) {
                if cur.count == r { out.append(cur.map { pool[$0] }); return }
                for j in 0..<pool.count where !cur.contains(j) { rec(cur + [j]) }
            }
            if r <= pool.count { rec([]) }
            var k = 0
            return .obj(PyIterator("permutations") { if k < out.count { k += 1; return .tuple(PyTuple(out[k - 1])) }; return nil })
        }
        func combos(_ name: String, _ repl: Bool) {
            m.fn(name) { i, a, _ in try i.need(a, 2, "function");
                let pool = try i.toArray(a[0])
                let r = try i.intArg(a[1])
                var out: [[Value]] = []
                func rec(_ start: Int, _ cur: [Value]) {
                    if cur.count == r { out.append(cur); return }
                    if start >= pool.count { return }
                    for j in start..<pool.count { rec(repl ? j : j + 1, cur + [pool[j]]) }
                }
                rec(0, [])
                var k = 0
                return .obj(PyIterator(name) { if k < out.count { k += 1; return .tuple(PyTuple(out[k - 1])) }; return nil })
            }
        }
        combos("combinations", false)
        combos("combinations_with_replacement", true)
        m.fn("repeat") { i, a, kw in try i.need(a, 1, "repeat");
            let v = a[0]
            var n = try (a.count > 1 ? a[1] : kw.first { $0.0 == "times" }?.1).map { try i.intArg($0) }
            return .obj(PyIterator("repeat") {
                if let c = n { if c <= 0 { return nil }; n = c - 1 }
                return v
            })
        }
        m.fn("cycle") { i, a, _ in try i.need(a, 1, "cycle");
            let it = try i.getIter(a[0])
            var saved: [Value] = []
            var k = -1
            return .obj(PyIterator("cycle") {
                if k < 0 { if let v = try it.nextFn() { saved.append(v); return v }; if saved.isEmpty { return nil }; k = 0 }
                k += 1
                return saved[(k - 1) % saved.count]
            })
        }
        m.fn("accumulate") { i, a, kw in try i.need(a, 1, "accumulate");
            let it = try i.getIter(a[0])
            let f = a.count > 1 ? a[1] : kw.first { $0.0 == "func" }?.1
            var acc: Value? = kw.first { $0.0 == "initial" }?.1
            var emittedInitial = acc == nil
            return .obj(PyIterator("accumulate") {
                if !emittedInitial { emittedInitial = true; return acc }
                guard let v = try it.nextFn() else { return nil }
                if let c = acc { acc = f == nil || f!.isNone ? try i.binop(.add, c, v) : try i.call(f!, [c, v], []) } else { acc = v }
                return acc
            })
        }
        m.fn("groupby") { i, a, kw in try i.need(a, 1, "groupby");
            let items = try i.toArray(a[0])
            let key = a.count > 1 ? a[1] : kw.first { $0.0 == "key" }?.1
            var groups: [(Value, [Value])] = []
            for x in items {
                let k = key == nil || key!.isNone ? x : try i.call(key!, [x], [])
                if let last = groups.last, try i.eq(last.0, k) { groups[groups.count - 1].1.append(x) } else { groups.append((k, [x])) }
            }
            var j = 0
            return .obj(PyIterator("groupby") {
                if j >= groups.count { return nil }
                j += 1
                return .tuple(PyTuple([groups[j - 1].0, .obj(try i.getIter(.list(PyList(groups[j - 1].1))))]))
            })
        }
        m.fn("zip_longest") { i, a, kw in
            let its = try a.map { try i.getIter($0) }
            let fill = kw.first { $0.0 == "fillvalue" }?.1 ?? .none
            var done = [Bool](repeating: false, count: its.count)
            return .obj(PyIterator("zip_longest") {
                var out: [Value] = []
                for (k, it) in its.enumerated() {
                    if !done[k], let v = try it.nextFn() { out.append(v) } else { done[k] = true; out.append(fill) }
                }
                return done.allSatisfy { $0 } ? nil : .tuple(PyTuple(out))
            })
        }
        m.fn("starmap") { i, a, _ in try i.need(a, 2, "starmap");
            let it = try i.getIter(a[1])
            return .obj(PyIterator("starmap") { guard let v = try it.nextFn() else { return nil }; return try i.call(a[0], try i.toArray(v), []) })
        }
        m.fn("takewhile") { i, a, _ in try i.need(a, 2, "takewhile");
            let it = try i.getIter(a[1])
            var stopped = false
            return .obj(PyIterator("takewhile") {
                if stopped { return nil }
                guard let v = try it.nextFn() else { return nil }
                if try i.truthy(try i.call(a[0], [v], [])) { return v }
                stopped = true; return nil
            })
        }
        m.fn("dropwhile") { i, a, _ in try i.need(a, 2, "dropwhile");
            let it = try i.getIter(a[1])
            var dropping = true
            return .obj(PyIterator("dropwhile") {
                while let v = try it.nextFn() {
                    if dropping, try i.truthy(try i.call(a[0], [v], [])) { continue }
                    dropping = false
                    return v
                }
                return nil
            })
        }
        m.fn("pairwise") { i, a, _ in try i.need(a, 1, "pairwise");
            let it = try i.getIter(a[0])
            var prev = try it.nextFn()
            return .obj(PyIterator("pairwise") {
                guard let p = prev, let v = try it.nextFn() else { return nil }
                prev = v
                return .tuple(PyTuple([p, v]))
            })
        }
        return m
    }

    // MARK: functools

    func makeFunctools() -> PyModule {
        let m = PyModule(name: "functools")
        let partialClass = nativeClass("partial", module: "functools", methods: [
            "__call__": { i, a, kw in try i.need(a, 1, "__call__");
                guard case .obj(let inst as PyInstance) = a[0] else { return .none }
                guard let f = inst.dict["func"], case .tuple(let pa)? = inst.dict["args"], case .dict(let pk)? = inst.dict["keywords"] else { return .none }
                var kws: [(String, Value)] = pk.items.compactMap { if case .str(let k) = $0.0 { return (k.s, $0.1) }; return nil }
                for (k, v) in kw { kws.removeAll { $0.0 == k }; kws.append((k, v)) }
                return try i.call(f, pa.items + Array(a.dropFirst()), kws)
            },
        ])
        partialClass.native = { i, a, kw in
            guard let f = a.first else { throw i.typeError("partial() missing required argument 'func'") }
            let inst = PyInstance(partialClass)
            inst.dict["func"] = f
            inst.dict["args"] = .tuple(PyTuple(Array(a.dropFirst())))
            let d = PyDict(); for (k, v) in kw { d.set(.str(k), v) }
            inst.dict["keywords"] = .dict(d)
            return .obj(inst)
        }
        m.set("partial", .obj(partialClass))
        m.fn("reduce") { i, a, _ in
            try i.need(a, 2, "reduce")
            let it = try i.getIter(a[1])
            var acc: Value
            if a.count > 2 { acc = a[2] } else {
                guard let f = try it.nextFn() else { throw i.typeError("reduce() of empty iterable with no initial value") }
                acc = f
            }
            while let v = try it.nextFn() { acc = try i.call(a[0], [acc, v], []) }
            return acc
        }
        let cacheWrap: NativeFn = { i, a, _ in try i.need(a, 1, "function");
            let f = a[0]
            let cache = PyDict()
            let w = PyBuiltin("cached") { i, args, kw in
                let key: Value = .tuple(PyTuple(args + kw.flatMap { [.str($0.0), $0.1] }))
                try i.checkHashable(key)
                if let v = cache.get(key) { return v }
                let v = try i.call(f, args, kw)
                cache.set(key, v)
                return v
            }
            return .obj(w)
        }
        m.fn("cache") { i, a, kw in try cacheWrap(i, a, kw) }
        m.fn("lru_cache") { i, a, kw in
            if let f = a.first, case .obj(let o) = f, o is PyFunction { return try cacheWrap(i, a, kw) }
            return .obj(PyBuiltin("lru_cache") { i, a, kw in try cacheWrap(i, a, kw) })
        }
        m.fn("wraps") { _, a, _ in
            let wrapped = a[0]
            return .obj(PyBuiltin("wraps") { i, b, _ in try i.need(b, 1, "wraps");
                if case .obj(let f as PyFunction) = b[0], case .obj(let g as PyFunction) = wrapped {
                    f.qualname = g.qualname
                    f.dict["__wrapped__"] = wrapped
                    f.dict["__name__"] = .str(g.code.name)
                }
                _ = i
                return b[0]
            })
        }
        if let helpers = try? importModule("_functools") {
            for name in ["cached_property", "total_ordering"] {
                if let f = try? getAttr(helpers, name) { m.set(name, f) }
            }
        }
        m.fn("cmp_to_key") { i, a, _ in try i.need(a, 1, "cmp_to_key");
            let cmp = a[0]
            let keyClass = i.nativeClass("K", module: "functools", methods: [
                "__lt__": { i, b, _ in try i.need(b, 2, "__lt__");
                    guard case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1] else { return .bool(false) }
                    let r = try i.call(cmp, [x.dict["obj"]!, y.dict["obj"]!], [])
                    return .bool(try i.less(r, .int(0), "<"))
                },
                "__gt__": { i, b, _ in try i.need(b, 2, "__gt__");
                    guard case .obj(let x as PyInstance) = b[0], case .obj(let y as PyInstance) = b[1] else { return .bool(false) }
                    let r = try i.call(cmp, [x.dict["obj"]!, y.dict["obj"]!], [])
                    return .bool(try i.less(.int(0), r, "<"))
                },
            ])
            return .obj(PyBuiltin("cmp_to_key") { _, b, _ in
                let inst = PyInstance(keyClass); inst.dict["obj"] = b[0]; return .obj(inst)
            })
        }
        return m
    }
}
