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
        if k <= 32 { return BigInt(next32() >> (32 - UInt32(k))) }
        var r = BigInt(0)
        var shift = 0
        var left = k
        while left > 0 {
            var w = next32()
            if left < 32 { w >>= UInt32(32 - left) }
            r |= BigInt(w) << shift
            shift += 32
            left -= 32
        }
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

extension Interpreter {
    func makeRandom() -> PyModule {
        let m = PyModule(name: "random")
        let g = MersenneTwister(seed: 0)
        func seedFrom(_ v: Value?) throws {
            var n: BigInt
            switch v {
            case nil, .none?: n = BigInt(clockNanos()) ^ BigInt(getpid())
            case .int(let i)?: n = BigInt(i)
            case .bigBox(let b)?: n = b.v
            case .bool(let b)?: n = BigInt(b ? 1 : 0)
            case .float(let d)?: n = BigInt(d.bitPattern)
            case .str(let s)?: n = BigInt(UInt(bitPattern: s.s.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
            default: n = BigInt(try hashValue(v!))
            }
            if n.sign == .minus { n = -n }
            var key: [UInt32] = []
            while !n.isZero { key.append(UInt32(truncatingIfNeeded: Int(n & 0xffff_ffff))); n >>= 32 }
            if key.isEmpty { key = [0] }
            g.seed(key: key)
        }
        try? seedFrom(nil)
        // a forked child must not draw its parent's numbers (CPython: os.register_at_fork(after_in_child=seed))
        afterForkInChildHooks.append { [g] in
            let t = UInt64(bitPattern: Int64(clockNanos()))
            g.seed(key: [UInt32(truncatingIfNeeded: t), UInt32(truncatingIfNeeded: t >> 32), UInt32(bitPattern: getpid())])
        }
        m.fn("seed") { _, a, _ in try seedFrom(a.first); return .none }
        m.fn("random") { _, _, _ in .float(g.random()) }
        func randrange(_ i: Interpreter, _ a: [Value]) throws -> Int {
            var start = 0, stop = try i.intArg(a[0]), step = 1
            if a.count > 1 { start = stop; stop = try i.intArg(a[1]) }
            if a.count > 2 { step = try i.intArg(a[2]) }
            let width = stop - start
            if step == 1 {
                if width <= 0 { throw i.err("ValueError", "empty range in randrange(\(start), \(stop))") }
                return start + g.below(width)
            }
            if step == 0 { throw i.err("ValueError", "zero step for randrange()") }
            let n = step > 0 ? (width + step - 1) / step : (width + step + 1) / step
            if n <= 0 { throw i.err("ValueError", "empty range in randrange(\(start), \(stop), \(step))") }
            return start + step * g.below(n)
        }
        m.fn("randrange") { i, a, _ in
            try i.need(a, 1, "randrange")
            return .int(try randrange(i, a))
        }
        m.fn("randint") { i, a, _ in
            try i.need(a, 2, "randint")
            return .int(try randrange(i, [a[0], .int(try i.intArg(a[1]) + 1)]))
        }
        m.fn("getrandbits") { i, a, _ in try i.need(a, 1, "getrandbits"); return .bigOrInt(g.getrandbits(try i.intArg(a[0]))) }
        m.fn("uniform") { i, a, _ in try i.need(a, 2, "uniform");
            let lo = try i.toDouble(a[0]), hi = try i.toDouble(a[1])
            return .float(lo + (hi - lo) * g.random())
        }
        m.fn("choice") { i, a, _ in
            try i.need(a, 1, "choice")
            let n = try i.len(a[0])
            if n == 0 { throw i.err("IndexError", "Cannot choose from an empty sequence") }
            return try i.getItem(a[0], .int(g.below(n)))
        }
        m.fn("shuffle") { i, a, _ in try i.need(a, 1, "shuffle");
            guard case .list(let l) = a[0] else { throw i.typeError("shuffle requires a mutable sequence") }
            var k = l.items.count - 1
            while k >= 1 {
                let j = g.below(k + 1)
                l.items.swapAt(k, j)
                k -= 1
            }
            return .none
        }
        m.fn("sample") { i, a, kw in try i.need(a, 1, "sample");
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
        m.fn("choices") { i, a, kw in try i.need(a, 1, "choices");
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
        var gaussNext: Double? = nil
        m.fn("gauss") { i, a, _ in
            let mu = a.count > 0 ? try i.toDouble(a[0]) : 0, sigma = a.count > 1 ? try i.toDouble(a[1]) : 1
            var z: Double
            if let zn = gaussNext { z = zn; gaussNext = nil } else {
                let x2pi = g.random() * 2 * Double.pi
                let g2rad = (-2.0 * log(1.0 - g.random())).squareRoot()
                z = cos(x2pi) * g2rad
                gaussNext = sin(x2pi) * g2rad
            }
            return .float(mu + z * sigma)
        }
        m.fn("normalvariate") { i, a, _ in
            let mu = a.count > 0 ? try i.toDouble(a[0]) : 0, sigma = a.count > 1 ? try i.toDouble(a[1]) : 1
            let nvMagic = 4 * exp(-0.5) / 2.0.squareRoot()
            while true {
                let u1 = g.random(), u2 = 1.0 - g.random()
                let z = nvMagic * (u1 - 0.5) / u2
                if z * z / 4.0 <= -log(u2) { return .float(mu + z * sigma) }
            }
        }
        m.fn("expovariate") { i, a, _ in .float(-log(1.0 - g.random()) / (try i.toDouble(a.first ?? .float(1)))) }
        m.fn("triangular") { i, a, _ in
            var low = a.count > 0 ? try i.toDouble(a[0]) : 0, high = a.count > 1 ? try i.toDouble(a[1]) : 1
            var c = a.count > 2 && !a[2].isNone ? (try i.toDouble(a[2]) - low) / (high - low) : 0.5
            var u = g.random()
            if u > c { u = 1 - u; c = 1 - c; swap(&low, &high) }
            return .float(low + (high - low) * (u * c).squareRoot())
        }
        return m
    }
}
