# Conversions of big ints: int(str, base), str/repr/format, hex/oct/bin, to_bytes/from_bytes, math helpers.
import math
print(int("123456789012345678901234567890"), int("-ffffffffffffffffffffffff", 16), int("zzzzzzzzzzzzzzzzzz", 36))
print(int("0x" + "f" * 30, 0), int("0b" + "1" * 100, 0), int("0o" + "7" * 40, 0), int("1_000_000_000_000_000_000_000"))
print(int("  -98765432109876543210  "), int("+12345678901234567890123"), int(1e30), int(-1.5e25), int(2.0**80))
for s, b in (("12a", 10), ("1" * 30 + "2", 2), ("", 10), ("- 5", 10)):
    try:
        int(s, b)
    except ValueError as e:
        print("ValueError", e)
x = 3**100
print(str(x), repr(-x), f"{x:,}", f"{x:_}", f"{-x:x}", f"{x:#X}", f"{x:>80}", f"{x:+d}", "%d %x %o" % (x, x, -x))
print(hex(-x), oct(x), bin(2**70 + 1), format(x, "b")[:30], f"{2**70:e}", f"{2**70:.3f}")
print((2**100).to_bytes(13, "big"), (2**100).to_bytes(16, "little"), int.from_bytes(b"\x01" + b"\x00" * 12, "big"))
print(int.from_bytes(bytes(range(1, 30)), "little"), int.from_bytes(bytes(range(1, 30)), "big"))
try:
    (2**100).to_bytes(12, "big")
except OverflowError as e:
    print("OverflowError", e)
print(math.gcd(2**100, 6**50), math.gcd(-(2**80), 2**70 * 3), math.gcd(), math.gcd(0, -(2**70)), math.lcm(2**70, 3**40, 6))
print(math.isqrt(10**41), math.isqrt(2**200 - 1), math.factorial(40), math.comb(100, 50), math.comb(10, 11), math.perm(30, 20))
print(math.log(2**1000), math.log10(10**50) if hasattr(math, "log10") else 50.0, math.floor(2**100), math.ceil(-(2**100)))
print(abs(-(2**100)), -(-(2**63)), abs(-(2**63)), round(2**100 + 12345, -3), round(-(2**100) - 500, -3), round(2**100, 2))
print(sum([2**64, 2**64, -(2**65)]), sum(i * i for i in range(10**5, 10**5 + 1000)) * 2**64, max(2**100, 2**99), bool(2**100), bool(2**100 - 2**100))
print(divmod(-(2**100), 3), (2**100).real, (2**100).numerator, (2**100).denominator, (2**100).conjugate(), (2**100).as_integer_ratio())
