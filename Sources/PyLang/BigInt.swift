// Python's ints beyond 64 bits, over GMP (Sources/CGmp). `PyBig` owns one mpz and is immutable once made, so
// Values share it freely; every operation makes a new one. `BigInt` is its name in arithmetic code.
import CGmp

/// A boxed arbitrary-precision int (the overflow path of `.int`): an mpz, cleared in deinit.
public final class PyBig {
    @exclusivity(unchecked) fileprivate var z = cshim_big()

    init() { cshim_big_init(&z) }
    convenience init(_ i: Int) { self.init(); cshim_big_set_si(&z, i) }
    convenience init<T: BinaryInteger>(_ v: T) {
        self.init()
        if let i = Int(exactly: v) { cshim_big_set_si(&z, i) } else if let u = UInt(exactly: v) { cshim_big_set_ui(&z, u) }
        else { preconditionFailure("BigInt(\(v)): wider than 64 bits") }
    }
    /// Truncates toward zero; `d` must be finite.
    convenience init(_ d: Double) { self.init(); cshim_big_set_d(&z, d) }
    convenience init?(exactly d: Double) {
        guard d.isFinite, d == d.rounded(.towardZero) else { return nil }
        self.init(d)
    }
    deinit { cshim_big_clear(&z) }

    /// The value itself (call sites predating GMP read `b.v`).
    var v: PyBig { self }

    /// A new big int computed by `body` into its mpz.
    @inline(__always)
    static func make(_ body: (UnsafeMutablePointer<cshim_big>) -> Void) -> PyBig {
        let r = PyBig()
        body(&r.z)
        return r
    }
    @inline(__always)
    func with<R>(_ body: (UnsafePointer<cshim_big>) -> R) -> R { body(&z) }

    var signum: Int { Int(with { cshim_big_sgn($0) }) }
    var isZero: Bool { signum == 0 }
    var isNegative: Bool { signum < 0 }
    var sign: Sign { isNegative ? .minus : .plus }
    enum Sign { case plus, minus }
    /// The value as an Int when it fits.
    var asInt: Int? {
        // fast test of mpz_fits_slong_p: at most one limb
        if z._mp_size == 0 { return 0 }
        guard with({ cshim_big_fits_long($0) }) != 0 else { return nil }
        return with { cshim_big_get_si($0) }
    }
    var bitLength: Int { with { Int(cshim_big_bit_length($0)) } }
    var popcount: Int { with { Int(cshim_big_popcount($0)) } }
    /// The low 64 bits of its two's complement.
    var lowBits: UInt64 { with { cshim_big_low_bits($0) } }
    var magnitude: PyBig { isNegative ? -self : self }

    /// Nearest double, ties to even; nil when too large for a double.
    var toDouble: Double? {
        var overflow: Int32 = 0
        let d = with { cshim_big_to_double($0, &overflow) }
        return overflow != 0 ? nil : d
    }
    /// Correctly rounded `self / y` (y != 0); nil when too large for a double.
    func trueDiv(_ y: PyBig) -> Double? {
        var overflow: Int32 = 0
        let d = with { a in y.with { b in cshim_big_true_div(a, b, &overflow) } }
        return overflow != 0 ? nil : d
    }
    /// Exact comparison with a double (not NaN): -1, 0 or 1.
    func compare(_ d: Double) -> Int { with { Int(cshim_big_cmp_d($0, d).signum()) } }
    func compare(_ i: Int) -> Int { with { Int(cshim_big_cmp_si($0, i).signum()) } }
    /// CPython's hash: modulo 2^61 - 1.
    var pyHash: Int { with { Int(cshim_big_hash($0)) } }

    func toString(radix: Int = 10) -> String {
        with { a in
            let size = cshim_big_str_size(a, Int32(radix))
            return String(unsafeUninitializedCapacity: size) { buf in
                buf.withMemoryRebound(to: CChar.self) { cshim_big_get_str($0.baseAddress!, Int32(radix), a) }
            }
        }
    }
    /// Digits only (validated: no sign, no spaces or underscores), base 2...36.
    static func parse<S: StringProtocol>(digits s: S, radix: Int) -> PyBig? {
        var t = String(s)
        return t.withUTF8 { u in
            let r = PyBig()
            let rc = u.withMemoryRebound(to: CChar.self) { cshim_big_set_str(&r.z, $0.baseAddress!, u.count, Int32(radix)) }
            return rc == 0 ? r : nil
        }
    }

    func power(_ e: Int) -> PyBig { PyBig.make { r in with { cshim_big_pow_ui(r, $0, UInt(e)) } } }
    func squareRoot() -> PyBig { PyBig.make { r in with { cshim_big_sqrt(r, $0) } } }
    func quotientAndRemainder(dividingBy y: PyBig) -> (quotient: PyBig, remainder: PyBig) {
        let q = PyBig(), r = PyBig()
        with { a in y.with { b in cshim_big_tdiv_qr(&q.z, &r.z, a, b) } }
        return (q, r)
    }
    /// Python's `//` and `%` (floor; the remainder takes the divisor's sign). y != 0.
    func floorDiv(_ y: PyBig) -> PyBig { PyBig.binary(self, y, cshim_big_fdiv_q) }
    func floorMod(_ y: PyBig) -> PyBig { PyBig.binary(self, y, cshim_big_fdiv_r) }
    /// Python's three-argument pow (m != 0); nil when `e` is negative and `self` has no inverse modulo `m`.
    func powMod(_ e: PyBig, _ m: PyBig) -> PyBig? {
        let r = PyBig()
        let rc = with { b in e.with { ee in m.with { mm in cshim_big_powm(&r.z, b, ee, mm) } } }
        return rc == 0 ? r : nil
    }
    /// Adds `i` to this value in place: only for a big int nobody else holds yet (sum's running total).
    func addInPlace(_ i: Int) { cshim_big_add_si(&z, &z, i) }
    static func gcd(_ a: PyBig, _ b: PyBig) -> PyBig { binary(a, b, cshim_big_gcd) }
    static func lcm(_ a: PyBig, _ b: PyBig) -> PyBig { binary(a, b, cshim_big_lcm) }
    static func factorial(_ n: Int) -> PyBig { make { cshim_big_fac($0, UInt(n)) } }
    static func binomial(_ n: Int, _ k: Int) -> PyBig { make { cshim_big_bin($0, UInt(n), UInt(k)) } }
    /// The little-endian bytes of |self| (as many as its bit length needs).
    var magnitudeBytes: [UInt8] {
        let n = (bitLength + 7) / 8
        return [UInt8](unsafeUninitializedCapacity: n) { buf, count in
            if n > 0 { with { cshim_big_export(buf.baseAddress!, n, $0) } }
            count = n
        }
    }
    /// The non-negative integer of little-endian `bytes`.
    static func fromBytes(littleEndian bytes: [UInt8]) -> PyBig {
        bytes.withUnsafeBufferPointer { b in make { cshim_big_import($0, b.baseAddress, b.count) } }
    }

    @inline(__always)
    static func binary(_ x: PyBig, _ y: PyBig,
                       _ f: (UnsafeMutablePointer<cshim_big>, UnsafePointer<cshim_big>, UnsafePointer<cshim_big>) -> Void) -> PyBig {
        make { r in x.with { a in y.with { b in f(r, a, b) } } }
    }
    @inline(__always)
    static func unary(_ x: PyBig, _ f: (UnsafeMutablePointer<cshim_big>, UnsafePointer<cshim_big>) -> Void) -> PyBig {
        make { r in x.with { f(r, $0) } }
    }
    /// `x op i` for a machine-word `i`, without making `i` a big int.
    @inline(__always)
    static func withInt(_ x: PyBig, _ i: Int, _ f: (UnsafeMutablePointer<cshim_big>, UnsafePointer<cshim_big>, Int) -> Void) -> PyBig {
        make { r in x.with { f(r, $0, i) } }
    }
}

typealias BigInt = PyBig

extension PyBig: ExpressibleByIntegerLiteral, Comparable, Hashable, CustomStringConvertible {
    public convenience init(integerLiteral v: Int) { self.init(v) }
    public var description: String { toString() }
    public static func == (a: PyBig, b: PyBig) -> Bool { a.with { x in b.with { cshim_big_cmp(x, $0) } } == 0 }
    public static func < (a: PyBig, b: PyBig) -> Bool { a.with { x in b.with { cshim_big_cmp(x, $0) } } < 0 }
    public func hash(into h: inout Hasher) { h.combine(pyHash) }

    static func + (a: PyBig, b: PyBig) -> PyBig { binary(a, b, cshim_big_add) }
    static func - (a: PyBig, b: PyBig) -> PyBig { binary(a, b, cshim_big_sub) }
    static func * (a: PyBig, b: PyBig) -> PyBig { binary(a, b, cshim_big_mul) }
    /// Truncating, as Swift's integer `/` and `%`.
    static func / (a: PyBig, b: PyBig) -> PyBig { a.quotientAndRemainder(dividingBy: b).quotient }
    static func % (a: PyBig, b: PyBig) -> PyBig { a.quotientAndRemainder(dividingBy: b).remainder }
    static func & (a: PyBig, b: PyBig) -> PyBig { binary(a, b, cshim_big_and) }
    static func | (a: PyBig, b: PyBig) -> PyBig { binary(a, b, cshim_big_ior) }
    static func ^ (a: PyBig, b: PyBig) -> PyBig { binary(a, b, cshim_big_xor) }
    static func << (a: PyBig, n: Int) -> PyBig {
        n >= 0 ? withInt(a, n) { cshim_big_shl($0, $1, UInt($2)) } : a >> -n
    }
    /// Floors (Python's `>>`).
    static func >> (a: PyBig, n: Int) -> PyBig {
        n >= 0 ? withInt(a, n) { cshim_big_shr($0, $1, UInt($2)) } : a << -n
    }
    static prefix func - (a: PyBig) -> PyBig { unary(a, cshim_big_neg) }
    static prefix func ~ (a: PyBig) -> PyBig { unary(a, cshim_big_com) }
    static func += (a: inout PyBig, b: PyBig) { a = a + b }
    static func -= (a: inout PyBig, b: PyBig) { a = a - b }
    static func *= (a: inout PyBig, b: PyBig) { a = a * b }
    static func /= (a: inout PyBig, b: PyBig) { a = a / b }
    static func |= (a: inout PyBig, b: PyBig) { a = a | b }
    static func >>= (a: inout PyBig, n: Int) { a = a >> n }

    /// Machine-word right operands.
    static func + (a: PyBig, i: Int) -> PyBig { withInt(a, i) { cshim_big_add_si($0, $1, $2) } }
    static func - (a: PyBig, i: Int) -> PyBig { withInt(a, i) { cshim_big_sub_si($0, $1, $2) } }
    static func * (a: PyBig, i: Int) -> PyBig { withInt(a, i) { cshim_big_mul_si($0, $1, $2) } }
}

extension Int {
    init?(exactly b: PyBig) { guard let i = b.asInt else { return nil }; self = i }
    init(truncatingIfNeeded b: PyBig) { self = Int(truncatingIfNeeded: b.lowBits) }
    /// Traps when `b` does not fit.
    init(_ b: PyBig) { self = b.asInt! }
}

extension Double {
    /// Nearest double, ties to even; ±infinity beyond the double range.
    init(_ b: PyBig) { self = b.toDouble ?? (b.isNegative ? -.infinity : .infinity) }
}

extension String {
    init(_ b: PyBig, radix: Int = 10) { self = b.toString(radix: radix) }
}

/// CPython's limit on decimal (non-power-of-two base) int⇄str conversions, `sys.set_int_max_str_digits`;
/// 0 is none. Process-wide, as mpsh runs one interpreter per process.
nonisolated(unsafe) var intMaxStrDigits = 4300

extension Interpreter {
    /// `b` in decimal, or CPython's ValueError past the digit limit (str, repr, format, %d).
    func decimalString(_ b: PyBig) throws -> String {
        let limit = intMaxStrDigits
        // the size estimate is exact or one too many: above limit + 1 there are surely too many digits
        if limit > 0 && b.with({ cshim_big_str_size($0, 10) }) - 2 > limit + 1 { throw digitLimitError() }
        let s = b.toString()
        if limit > 0 && s.utf8.count - (b.isNegative ? 1 : 0) > limit { throw digitLimitError() }
        return s
    }
    func digitLimitError(has digits: Int? = nil) -> PyException {
        let has = digits.map { ": value has \($0) digits" } ?? ""
        return err("ValueError", "Exceeds the limit (\(intMaxStrDigits) digits) for integer string conversion\(has); "
                   + "use sys.set_int_max_str_digits() to increase the limit")
    }
    /// int(str, base) of `count` digits: CPython's ValueError past the limit for bases that are not powers of two.
    func checkDigitLimit(_ count: Int, base: Int) throws {
        if intMaxStrDigits > 0 && count > intMaxStrDigits && base & (base - 1) != 0 { throw digitLimitError(has: count) }
    }
}
