# pow with big ints, negative exponents (a float, or the modular inverse with a modulus)
print(pow(2, -1, 7), pow(3, -1, 11), pow(3, -2, 10), pow(-3, -1, 7), pow(2, -3, 7))
print(pow(2**100, -1, 10**9 + 7), pow(12345678901234567890, -5, 2**127 - 1))
print(pow(5, 3, -7), pow(-5, 3, 7), pow(-5, 3, -7), pow(7, 0, 1), pow(7, 0, -1), pow(0, 0, 5))
print(pow(3, 10**20, 10**9 + 7), pow(2**200, 2**100, 3**50), pow(-(2**200), 3, 10**30))
for b, m in ((2, 4), (6, 9), (0, 7), (2**64, 2**70)):
    try:
        pow(b, -1, m)
    except ValueError as e:
        print("ValueError", e)
try:
    pow(2, 5, 0)
except ValueError as e:
    print("ValueError", e)
print(2 ** -1, 2 ** -10, (-2) ** -3, (2**100) ** -1, 10 ** -20)
print((2**70) ** 2, (-(2**70)) ** 3, 1 ** (2**100), (-1) ** (2**100), (-1) ** (2**100 + 1), 0 ** (2**100))
try:
    0 ** -1
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
try:
    (10**400) ** -1
except OverflowError as e:
    print("OverflowError", e)
