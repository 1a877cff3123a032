// The `random` module over MT19937, seeded and drawn exactly as CPython's `Modules/_randommodule.c` and
// `Lib/random.py`, so `random.seed(42)` programs print the same numbers under mpsh and python3.
import Foundation

/// The Mersenne Twister state (CPython's `RandomObject`).
final class MersenneTwister {
    /// The 624 state words in a raw buffer: no bounds or exclusivity checks in the generator's inner loop.
    let mt = UnsafeMutablePointer<UInt32>.allocate(capacity: 624)
    @exclusivity(unchecked) var index = 625

    init(seed: UInt32) {
        mt.initialize(repeating: 0, count: 624)
        initGenrand(seed)
    }
    deinit { mt.deallocate() }

    func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<624 {
            mt[i] = 1812433253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    /// `init_by_array`: the seeding used by `random.seed(int)`.
    func seed(key: [UInt32]) {
        initGenrand(19650218)
        var i = 1, j = 0
        let n = 624
        var k = max(n, key.count)
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
            k -= 1
        }
        k = n - 1
        while k > 0 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1566083941)) &- UInt32(i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            k -= 1
        }
        mt[0] = 0x8000_0000
        index = 624
    }

    func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// Regenerates the 624 words, in genrand_uint32's three loops (no per-word index wrapping or branching).
    func twist() {
        @inline(__always) func step(_ kk: Int, _ next: Int, _ far: Int) {
            let y = (mt[kk] & 0x8000_0000) | (mt[next] & 0x7fff_ffff)
            mt[kk] = mt[far] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
        }
        for kk in 0..<227 { step(kk, kk + 1, kk + 397) }
        for kk in 227..<623 { step(kk, kk + 1, kk - 227) }
        step(623, 0, 396)
        index = 0
    }

    /// `random()`: 53 random bits as a float in [0, 1).
    func random() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    func getrandbits(_ k: Int) -> BigInt {
        if k == 0 { return BigInt(0) }   // CPython draws nothing for 0 bits
        if k <= 32 { return BigInt(next32() >> (32 - UInt32(k))) }
        // the words little-endian, the last one cut to the bits left; built from bytes in one step (linear,
        // where OR-ing each word into a growing int is quadratic)
        var bytes: [UInt8] = []
        bytes.reserveCapacity((k + 31) / 32 * 4)
        var left = k
        while left > 0 {
            var w = next32()
            if left < 32 { w >>= UInt32(32 - left) }
            for _ in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: w)); w >>= 8 }
            left -= 32
        }
        return BigInt.fromBytes(littleEndian: bytes)
    }

    /// `_randbelow_with_getrandbits` for an n past Int.
    func below(_ n: BigInt) -> BigInt {
        let k = n.bitLength
        var r = getrandbits(k)
        while !(r < n) { r = getrandbits(k) }
        return r
    }

    /// `_randbelow_with_getrandbits`.
    func below(_ n: Int) -> Int {
        if n <= 0 { return 0 }
        let k = Int.bitWidth - n.leadingZeroBitCount
        if k <= 32 {
            var r = Int(next32() >> (32 - UInt32(k)))
            while r >= n { r = Int(next32() >> (32 - UInt32(k))) }
            return r
        }
        var r = getrandbits(k)
        while r >= BigInt(n) { r = getrandbits(k) }
        return Int(r)
    }
}

/// One generator's state: the twister and `gauss`'s spare value. The module's functions share one (CPython's
/// hidden `random._inst`); each `random.Random` instance has its own.
final class RandomState {
    let g = MersenneTwister(seed: 0)
    var gaussNext: Double? = nil
}

/// A function of `random` over a given state: the module binds it to the shared state, `Random` to `self`'s.
typealias RandomFn = (RandomState, Interpreter, [Value], [(String, Value)]) throws -> Value

extension Interpreter {
    /// Seeds `st` as `random.seed(v)` does: None from the kernel's randomness, ints by their absolute value's
    /// 32-bit words (`init_by_array`), str and bytes (version 2) from their bytes followed by their SHA-512.
    func seedRandom(_ st: RandomState, _ v: Value?) throws {
        var n: BigInt
        switch v {
        case nil, .none?:
            let words = try osRandomBytes(2496)
            var key = [UInt32](repeating: 0, count: 624)
            for k in 0..<624 { key[k] = UInt32(words[4 * k]) | UInt32(words[4 * k + 1]) << 8 | UInt32(words[4 * k + 2]) << 16 | UInt32(words[4 * k + 3]) << 24 }
            st.g.seed(key: key)
            st.gaussNext = nil
            return
        case .int(let i)?: n = BigInt(i)
        case .bigBox(let b)?: n = b.v
        case .bool(let b)?: n = BigInt(b ? 1 : 0)
        case .str(let s)?: n = bigFromBytes(Array(s.s.utf8) + sha512(Array(s.s.utf8)))
        case .obj(let b as PyBytes)?: n = bigFromBytes(b.b + sha512(b.b))
        case .obj(let b as PyByteArray)?: n = bigFromBytes(b.b + sha512(b.b))
        default: n = BigInt(try hashValue(v!))
        }
        if n.sign == .minus { n = -n }
        var key: [UInt32] = []
        while !n.isZero { key.append(UInt32(truncatingIfNeeded: Int(n & 0xffff_ffff))); n >>= 32 }
        if key.isEmpty { key = [0] }
        st.g.seed(key: key)
        st.gaussNext = nil
    }

    /// `int.from_bytes(b, 'big')`.
    func bigFromBytes(_ b: [UInt8]) -> BigInt {
        var n = BigInt(0)
        for x in b { n = (n << 8) | BigInt(Int(x)) }
        return n
    }

    func makeRandom() -> PyModule {
        let m = PyModule(name: "random")
        let shared = RandomState()
        try? seedRandom(shared, nil)
        // a forked child must not draw its parent's numbers (CPython: os.register_at_fork(after_in_child=seed))
        afterForkInChildHooks.append { [weak self, shared] in try? self?.seedRandom(shared, nil) }
        let fns = randomFunctions()
        for (name, f) in fns {
            m.fn(name) { i, a, kw in try f(shared, i, a, kw) }
        }
        // the hot one straight on the shared twister, without the state-passing layer (random() in loops)
        let g = shared.g
        m.fn("random") { _, _, _ in .float(g.random()) }
        // random.Random: a class of its own state; subclasses (class MyRandom(random.Random)) inherit its methods
        var methods: [String: NativeFn] = [:]
        func state(_ i: Interpreter, _ a: [Value], _ name: String) throws -> RandomState {
            guard case .obj(let inst as PyInstance)? = a.first else { throw i.typeError("descriptor '\(name)' of 'Random' object needs an argument") }
            if let st = inst.payload as? RandomState { return st }
            let st = RandomState()       // a subclass whose __init__ did not call Random.__init__
            try i.seedRandom(st, nil)
            inst.payload = st
            return st
        }
        for (name, f) in fns {
            methods[name] = { i, a, kw in try f(try state(i, a, name), i, Array(a.dropFirst()), kw) }
        }
        methods["__init__"] = { i, a, kw in
            guard case .obj(let inst as PyInstance)? = a.first else { return .none }
            let st = RandomState()
            inst.payload = st
            try i.seedRandom(st, a.count > 1 ? a[1] : kw.first { $0.0 == "x" }?.1)
            return .none
        }
        let randomClass = nativeClass("Random", module: "random", methods: methods)
        m.set("Random", .obj(randomClass))
        m.set("SystemRandom", .obj(randomClass))
        return m
    }

    func randomFunctions() -> [(String, RandomFn)] {
        var fns: [(String, RandomFn)] = []
        func fn(_ name: String, _ f: @escaping RandomFn) { fns.append((name, f)) }
        fn("seed") { st, i, a, kw in try i.seedRandom(st, a.first ?? kw.first { $0.0 == "a" }?.1); return .none }
        fn("random") { st, _, _, _ in .float(st.g.random()) }
        fn("getstate") { st, _, _, _ in
            var words = (0..<624).map { Value.int(Int(st.g.mt[$0])) }
            words.append(.int(min(st.g.index, 624)))
            return .tuple(PyTuple([.int(3), .tuple(PyTuple(words)), st.gaussNext.map { .float($0) } ?? .none]))
        }
        fn("setstate") { st, i, a, _ in
            try i.need(a, 1, "setstate")
            guard case .tuple(let t) = a[0], t.items.count == 3 else { throw i.typeError("state vector must be a tuple") }
            guard case .int(let version) = t.items[0], version == 2 || version == 3 else {
                throw i.err("ValueError", "state with version \(try i.repr(t.items[0])) passed to Random.setstate() of version 3")
            }
            guard case .tuple(let w) = t.items[1], w.items.count == 625 else { throw i.err("ValueError", "state vector is the wrong size") }
            for k in 0..<624 { st.g.mt[k] = UInt32(truncatingIfNeeded: try i.intArg(w.items[k])) }
            let index = try i.intArg(w.items[624])
            if index < 0 || index > 624 { throw i.err("ValueError", "invalid state") }
            st.g.index = index
            st.gaussNext = t.items[2].isNone ? nil : try i.toDouble(t.items[2])
            return .none
        }
        fn("randbytes") { st, i, a, _ in
            try i.need(a, 1, "randbytes")
            let n = try i.intArg(a[0])
            if n < 0 { throw i.err("ValueError", "negative argument not allowed") }
            // getrandbits(n * 8).to_bytes(n, 'little')
            var out: [UInt8] = []
            out.reserveCapacity(n + 3)
            var left = n
            while left > 0 {
                var w = st.g.next32()
                if left < 4 { w >>= UInt32(32 - 8 * left) }
                for _ in 0..<min(4, left) { out.append(UInt8(truncatingIfNeeded: w)); w >>= 8 }
                left -= 4
            }
            return .obj(PyBytes(out))
        }
        /// Mirrors `random.Random.randrange` (3.11's messages), on Ints while nothing overflows, else on big ints.
        func randrange(_ st: RandomState, _ i: Interpreter, _ args: [Value]) throws -> Value {
            let g = st.g
            // 3.11 still takes an integral float (with a DeprecationWarning), and says which argument is not whole
            let what = ["arg 1", "stop", "step"]
            let a = try args.enumerated().map { (k, v) -> Value in
                if i.isIntLike(v) { return v }
                guard case .float(let d) = v else {
                    throw i.typeError("int() argument must be a string, a bytes-like object or a real number, not '\(i.typeName(v))'")
                }
                if !d.isFinite {
                    throw i.err(d.isNaN ? "ValueError" : "OverflowError", "cannot convert float \(d.isNaN ? "NaN" : "infinity") to integer")
                }
                if d != d.rounded(.towardZero) { throw i.err("ValueError", "non-integer \(what[min(k, 2)]) for randrange()") }
                return .bigOrInt(BigInt(d))
            }
            if a.count == 1 {
                if case .int(let stop) = a[0] {
                    if stop > 0 { return .int(g.below(stop)) }
                } else if let stop = i.big(a[0]), stop.signum > 0 {
                    return .bigOrInt(g.below(stop))
                }
                throw i.err("ValueError", "empty range for randrange()")
            }
            let step = a.count > 2 ? a[2] : .int(1)
            if case .int(let start) = a[0], case .int(let stop) = a[1], case .int(let step) = step,
               case (let width, false) = stop.subtractingReportingOverflow(start), step != Int.min {
                if step == 1 {
                    if width <= 0 { throw i.err("ValueError", "empty range for randrange() (\(start), \(stop), \(width))") }
                    // start + below(width) stays between start and stop
                    return .int(start + g.below(width))
                }
                if step == 0 { throw i.err("ValueError", "zero step for randrange()") }
                if case (let w2, false) = width.addingReportingOverflow(step > 0 ? step - 1 : step + 1) {
                    let n = w2 / step   // width and step of one sign: truncation is floor here
                    let nfloor = (w2 % step != 0 && (w2 < 0) != (step < 0)) ? n - 1 : n
                    if nfloor <= 0 { throw i.err("ValueError", "empty range for randrange()") }
                    if case (let off, false) = step.multipliedReportingOverflow(by: g.below(nfloor)),
                       case (let r, false) = start.addingReportingOverflow(off) {
                        return .int(r)
                    }
                }
            }
            // big ints: the same steps as CPython's
            let start = i.big(a[0])!, stop = i.big(a[1])!, istep = i.big(step)!
            let width = stop - start
            if istep == BigInt(1) {
                if width.signum <= 0 {
                    throw i.err("ValueError", "empty range for randrange() (\(start), \(stop), \(width))")
                }
                return .bigOrInt(start + g.below(width))
            }
            if istep.isZero { throw i.err("ValueError", "zero step for randrange()") }
            let n = (width + (istep.signum > 0 ? istep - 1 : istep + 1)).floorDiv(istep)
            if n.signum <= 0 { throw i.err("ValueError", "empty range for randrange()") }
            return .bigOrInt(start + istep * g.below(n))
        }
        fn("randrange") { st, i, a, _ in
            try i.need(a, 1, "randrange")
            if a.count > 3 { throw i.typeError("randrange() takes from 2 to 4 positional arguments but \(a.count + 1) were given") }
            return try randrange(st, i, a)
        }
        fn("randint") { st, i, a, _ in
            try i.need(a, 2, "randint")
            return try randrange(st, i, [a[0], try i.binop(.add, a[1], .int(1))])
        }
        fn("getrandbits") { st, i, a, _ in
            try i.need(a, 1, "getrandbits")
            guard i.isIntLike(a[0]) else { throw i.typeError("'\(i.typeName(a[0]))' object cannot be interpreted as an integer") }
            // CPython reads k as a C int
            guard let k = i.asInt(try i.toInt(a[0])), k <= Int(Int32.max), k >= Int(Int32.min) else {
                throw i.err("OverflowError", "Python int too large to convert to C int")
            }
            if k < 0 { throw i.err("ValueError", "number of bits must be non-negative") }
            return .bigOrInt(st.g.getrandbits(k))
        }
        fn("uniform") { st, i, a, _ in let g = st.g; try i.need(a, 2, "uniform");
            let lo = try i.toDouble(a[0]), hi = try i.toDouble(a[1])
            return .float(lo + (hi - lo) * g.random())
        }
        fn("choice") { st, i, a, _ in let g = st.g;
            try i.need(a, 1, "choice")
            let n = try i.len(a[0])
            if n == 0 { throw i.err("IndexError", "Cannot choose from an empty sequence") }
            return try i.getItem(a[0], .int(g.below(n)))
        }
        fn("shuffle") { st, i, a, _ in let g = st.g; try i.need(a, 1, "shuffle");
            guard case .list(let l) = a[0] else { throw i.typeError("shuffle requires a mutable sequence") }
            var k = l.items.count - 1
            while k >= 1 {
                let j = g.below(k + 1)
                l.items.swapAt(k, j)
                k -= 1
            }
            return .none
        }
        fn("sample") { st, i, a, kw in let g = st.g; try i.need(a, 1, "sample");
            let pop = try i.toArray(a[0])
            let k = a.count > 1 ? try i.intArg(a[1]) : try i.intArg(kw.first { $0.0 == "k" }?.1 ?? .int(0))
            let n = pop.count
            if k < 0 || k > n { throw i.err("ValueError", "Sample larger than population or is negative") }
            var result = [Value](repeating: .none, count: k)
            var setsize = 21
            if k > 5 { setsize += Int(pow(4.0, ceil(log(Double(k * 3)) / log(4.0)))) }
            if n <= setsize {
                var pool = pop
                for j in 0..<k {
                    let r = g.below(n - j)
                    result[j] = pool[r]
                    pool[r] = pool[n - j - 1]
                }
            } else {
                var selected = Set<Int>()
                for j in 0..<k {
                    var r = g.below(n)
                    while selected.contains(r) { r = g.below(n) }
                    selected.insert(r)
                    result[j] = pop[r]
                }
            }
            return .list(PyList(result))
        }
        fn("choices") { st, i, a, kw in let g = st.g; try i.need(a, 1, "choices");
            let pop = try i.toArray(a[0])
            let n = pop.count
            let k = try kw.first { $0.0 == "k" }.map { try i.intArg($0.1) } ?? 1
            var cum: [Double]? = nil
            if let w = kw.first(where: { $0.0 == "cum_weights" })?.1, !w.isNone {
                cum = try i.toArray(w).map { try i.toDouble($0) }
            } else if let w = kw.first(where: { $0.0 == "weights" })?.1 ?? (a.count > 1 ? a[1] : nil), !w.isNone {
                var acc = 0.0
                cum = try i.toArray(w).map { acc += try i.toDouble($0); return acc }
            }
            if n == 0 { throw i.err("IndexError", "Cannot choose from an empty sequence") }
            guard let cw = cum else {
                return .list(PyList((0..<k).map { _ in pop[Int(g.random() * Double(n))] }))
            }
            if cw.count != n { throw i.err("ValueError", "The number of weights does not match the population") }
            let total = cw[n - 1]
            return .list(PyList((0..<k).map { _ in
                // bisect_right(cw, random() * total, 0, n - 1)
                let x = g.random() * total
                var lo = 0, hi = n - 1
                while lo < hi { let mid = (lo + hi) / 2; if x < cw[mid] { hi = mid } else { lo = mid + 1 } }
                return pop[lo]
            }))
        }
        fn("gauss") { st, i, a, _ in let g = st.g;
            let mu = a.count > 0 ? try i.toDouble(a[0]) : 0, sigma = a.count > 1 ? try i.toDouble(a[1]) : 1
            var z: Double
            if let zn = st.gaussNext { z = zn; st.gaussNext = nil } else {
                let x2pi = g.random() * 2 * Double.pi
                let g2rad = (-2.0 * log(1.0 - g.random())).squareRoot()
                z = cos(x2pi) * g2rad
                st.gaussNext = sin(x2pi) * g2rad
            }
            return .float(mu + z * sigma)
        }
        fn("normalvariate") { st, i, a, _ in let g = st.g;
            let mu = a.count > 0 ? try i.toDouble(a[0]) : 0, sigma = a.count > 1 ? try i.toDouble(a[1]) : 1
            let nvMagic = 4 * exp(-0.5) / 2.0.squareRoot()
            while true {
                let u1 = g.random(), u2 = 1.0 - g.random()
                let z = nvMagic * (u1 - 0.5) / u2
                if z * z / 4.0 <= -log(u2) { return .float(mu + z * sigma) }
            }
        }
        fn("expovariate") { st, i, a, _ in let g = st.g; return .float(-log(1.0 - g.random()) / (try i.toDouble(a.first ?? .float(1)))) }
        fn("triangular") { st, i, a, _ in let g = st.g;
            var low = a.count > 0 ? try i.toDouble(a[0]) : 0, high = a.count > 1 ? try i.toDouble(a[1]) : 1
            var c = a.count > 2 && !a[2].isNone ? (try i.toDouble(a[2]) - low) / (high - low) : 0.5
            var u = g.random()
            if u > c { u = 1 - u; c = 1 - c; swap(&low, &high) }
            return .float(low + (high - low) * (u * c).squareRoot())
        }
        fn("lognormvariate") { st, i, a, _ in try i.need(a, 2, "lognormvariate")
            let mu = try i.toDouble(a[0]), sigma = try i.toDouble(a[1])
            let nvMagic = 4 * exp(-0.5) / 2.0.squareRoot()
            while true {
                let u1 = st.g.random(), u2 = 1.0 - st.g.random()
                let z = nvMagic * (u1 - 0.5) / u2
                if z * z / 4.0 <= -log(u2) { return .float(exp(mu + z * sigma)) }
            }
        }
        fn("paretovariate") { st, i, a, _ in try i.need(a, 1, "paretovariate")
            return .float(1.0 / pow(1.0 - st.g.random(), 1.0 / (try i.toDouble(a[0]))))
        }
        fn("weibullvariate") { st, i, a, _ in try i.need(a, 2, "weibullvariate")
            let alpha = try i.toDouble(a[0]), beta = try i.toDouble(a[1])
            return .float(alpha * pow(-log(1.0 - st.g.random()), 1.0 / beta))
        }
        return fns
    }
}
