# fractions: exact sums where floats drift, continued-fraction approximations, mixed arithmetic and formatting
from fractions import Fraction as F
import math

total_f = sum(0.1 for _ in range(10))
total_q = sum(F(1, 10) for _ in range(10))
print(total_f == 1, total_q == 1, total_q)
print(F(math.pi).limit_denominator(10), F(math.pi).limit_denominator(1000), F(2.5).as_integer_ratio())
print(F(3, 4) + 1, 1 - F(3, 4), F(3, 4) * 2.0, F(1, 3) ** -2, F(-7, 2) // 2, F(-7, 2) % 2, divmod(F(7, 2), F(1, 3)))
print(math.floor(F(-7, 2)), math.ceil(F(-7, 2)), round(F(5, 2)), round(F(7, 3), 2), F('-3.75e-1'), F(' 2/4 '))
print(hash(F(1, 2)) == hash(0.5), F(1, 2) == 0.5, sorted([F(1, 3), 0.3, 1]), format(float(F(1, 3)), '.4f'))
