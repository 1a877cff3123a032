import math
print(math.sqrt(16), math.floor(2.7), math.ceil(2.1), math.floor(-2.5), math.pi, math.e)
print(math.factorial(20), math.factorial(25), math.gcd(12, 18), math.pow(2, 10), math.log(math.e), math.log(8, 2), math.log10(1000), math.log2(8))
print(round(math.sin(math.pi / 2), 6), round(math.cos(0), 6), math.isclose(0.1 + 0.2, 0.3), math.inf > 10 ** 100, math.isnan(math.nan))
print(math.trunc(-3.7), math.fabs(-3), math.hypot(3, 4), math.degrees(math.pi), math.comb(5, 2), math.perm(5, 2), math.isqrt(17), math.prod([1, 2, 3, 4]))
print(math.fsum([0.1] * 10), math.copysign(3, -1), math.atan2(1, 1) * 4, math.exp(0), math.lcm(4, 6))
