# fractions.Fraction: construction (ints, strings, floats, Fractions), normalisation, arithmetic with ints,
# Fractions and floats, comparisons, hashing as equal numbers, rounding, limit_denominator; numbers' tuples
from fractions import Fraction as F
import fractions
import math
import numbers

print(F(3, 4), F(6, -8), F(5), F(), F(0.5), F(0.1), F("3/7"), F(" -3/4 "), F("1.25e2"), F(".5"), F("1_000"))
print(F("3e-2"), F("-0.125"), F("2.5E+1"), F(F(1, 2), F(1, 3)), F(F(2, 3)), repr(F(10, 4)), repr(F(-0.0)))
a, b = F(1, 3), F(3, 4)
print(a + b, a - b, a * b, a / b, a // b, a % b, divmod(b, a), a ** 2, b ** -2, F(-2, 3) ** -3, F(0) ** 5)
print(a + 1, 1 + a, a - 2, 2 - a, a * 3, 3 * a, a / 2, 2 / a, 7 // b, 7 % b, 2 ** F(-1), 4 ** F(1, 2))
print(a + 0.5, 0.5 + a, a * 1.5, a / 0.25, F(1, 2) ** 0.5, 2.0 ** F(1, 2), F(7, 2) % -2, -F(7, 2) // 2)
print(-a, +a, abs(F(-5, 3)), int(F(-7, 2)), int(F(7, 2)), float(F(1, 3)), bool(F(0)), bool(a))
print(math.floor(F(-7, 2)), math.ceil(F(-7, 2)), math.trunc(F(-7, 2)), round(F(5, 2)), round(F(7, 2)), round(F(-5, 2)))
print(round(F(1234, 100), 1), repr(round(F(15, 10), 0)), round(F(12345, 1), -2), round(F(1, 3), 3))
print(F(3) == 3, F(1, 2) == 0.5, 0.5 == F(1, 2), F(1, 3) == 1 / 3, F(1, 3) < 0.34, 0.5 <= F(1, 2), 1 < F(2))
print(F(1, 3) < F(1, 2), F(1, 3) >= F(2, 6), max(F(1, 3), F(2, 5), F(3, 10)), sorted([F(1, 2), 0.3, 1, F(1, 5)]))
print(F(1, 2) < float("inf"), float("-inf") < F(1, 2), F(1, 2) == float("nan"), F(1, 2) < float("nan"))
print(hash(F(5)) == hash(5), hash(F(1, 2)) == hash(0.5), {F(1, 2): "half", 1: "one"}[F(2, 4)], {F(2, 1): 2}[F(2)])
print(len({F(1, 3), F(2, 6), F(1, 3) + 0}), sum([F(1, n) for n in range(1, 8)]))
print(F(3, 7).limit_denominator(2), F("3.141592653589793").limit_denominator(1000),
      F(math.pi).limit_denominator(100), F(1, 3).limit_denominator(), F(22, 7).limit_denominator(1))
print(F(1, 2).as_integer_ratio(), F(-6, 4).numerator, F(-6, 4).denominator, F.from_float(0.25), F.from_float(3))
print("%s and %r" % (F(1, 4), F(1, 4)), "{} {!r}".format(F(5, 3), F(5, 3)), f"{F(7, 3)}")
h = F(1)
for i in range(2, 30):
    h += F(1, i)
print(h, float(h))
print(isinstance(3, numbers.Integral), isinstance(3.0, numbers.Integral), isinstance(3.0, numbers.Real),
      isinstance(True, numbers.Number), isinstance("3", numbers.Number), isinstance(F(1), numbers.Rational),
      isinstance(F(1), numbers.Integral), issubclass(bool, numbers.Integral), isinstance(F(1), numbers.Number))
for bad in ("F(1) / 0", "F(1) // 0", "F(1) % 0", "F(0) ** -1", "F(1, 0)", "F('x')", "F('1/0')", "F(1.5, 2)",
            "F(float('nan'))", "F(float('inf'))", "F([1])", "divmod(F(1), 0)", "F(1).limit_denominator(0)",
            "F('1.2.3')", "F('3/')", "F('_1')", "F.from_float('1')"):
    try:
        eval(bad)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as e:
        print(bad, "->", type(e).__name__, e)
F(2, 0)
