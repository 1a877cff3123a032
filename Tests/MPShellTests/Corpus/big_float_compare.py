# Ints against floats compare exactly (not after rounding the int to a float), as CPython.
f53 = 2.0**53
print(2**53 + 1 == f53, 2**53 + 1 > f53, 2**53 + 1 < f53 + 2, 2**63 == 2.0**63, 2**63 - 1 < 2.0**63)
print(2**64 + 1 > 2.0**64, 2**64 + 1 == 2.0**64, 2**100 == 2.0**100, 2**100 + 1 == 2.0**100, 2**100 + 1 > 2.0**100)
print(-(2**100) - 1 < -(2.0**100), 10**400 < float("inf"), -(10**400) > float("-inf"), 10**400 > 1e308)
nan = float("nan")
print(2**100 < nan, 2**100 > nan, 2**100 == nan, 2**100 != nan)
print(2**100 + 0.5, float(2**100 + 2**47), float(2**54 + 3), float(-(2**54 + 1)), float(2**1024 - 2**971), float(2**1024 - 2**970 - 1))
print((2**1000 + 1) / 3, (10**400) / (10**399), 1 / 10**400, 10**400 / 10**300, (2**1080) / (2**60 + 1), 5 / 2**1100)
print(7 / (2**80 + 1), (3**200) / (7**100), -(3**200) / (7**100), (2**64 - 1) / (2**64 + 1), 0 / 2**100, 0 / -(2**100))
for bad in (lambda: float(10**400), lambda: 10**400 / 3, lambda: float(2**1024 - 2**970)):
    try:
        bad()
    except OverflowError as e:
        print("OverflowError", e)
print(2**100 in {2.0**100}, {2**100: "big"}[2.0**100], 2**53 + 1 in {2.0**53}, sorted([2**70, 1e21, -(2**70), 1.5e21, 2.0**70]))
print(hash(2**100), hash(-(2**100)), hash(2**61), hash(2**61 - 1), hash(2**62), hash(-(2**61)), hash(2.0**100), hash(2**200 - 1))
print(max(2**100, 1e31), min(-(2**100), -1e31), 2**100 >= 2.0**100, 2**100 <= 2.0**100)
# true division into the subnormal range rounds once, ties to even
print(5 / 2**1074, 3 / 2**1075, 1 / 2**1075, (2**60 + 1) / 2**1130, (3 * 2**100) / 2**1175, (2**100 + 1) / 2**1174, -(2**70) / 2**1140)
# integral floats near 2**63 key dicts and sets as the equal int
print({9.21e18: "f"}[9210000000000000000], 9210000000000000000 in {9.21e18}, {2**63: 1}.get(2.0**63), hash(9.21e18) == hash(9210000000000000000))
# int -> float near ties: the bits below the 53 kept decide (the old conversion dropped them)
xs = [2**60 + 2**7, 2**60 + 2**7 + 1, 2**60 + 3 * 2**7, 2**100 + 2**47, 2**100 + 2**47 + 1, 2**100 + 3 * 2**47, 2**70 - 1, 2**64 + 2**11, 2**64 + 2**11 + 1, 2**200 + 2**147 + 2**20]
print([float(x) for x in xs])
print([x / 1 for x in xs])
print([(x * 3) / 3 for x in xs])
