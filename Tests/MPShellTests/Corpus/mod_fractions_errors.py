# fractions: CPython's errors for bad constructor arguments and operations
from fractions import Fraction

for args in [('1/0',), ('abc',), (1.5, 2), ('1.5/2',), (float('nan'),), (float('inf'),)]:
    try:
        print(Fraction(*args))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as e:
        print(type(e).__name__, e)
try:
    Fraction(1, 3) / 0
except ZeroDivisionError as e:
    print('ZeroDivisionError:', e)
print(Fraction(6, 4), Fraction(-6, -4), Fraction(0, 5), Fraction(Fraction(1, 2), Fraction(1, 3)))
