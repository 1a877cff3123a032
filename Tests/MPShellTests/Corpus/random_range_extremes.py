# random.randrange/randint/getrandbits past the 64-bit limits: the same draws as CPython for a seeded generator
# (big ints included), CPython 3.11's messages for empty ranges and bad bit counts (issue 20).
import random
r = random.Random(2026)
print([r.randrange(2**70) for _ in range(3)])
print([r.randint(-2**63 - 1, -2**63) for _ in range(4)])
print([r.randrange(10**30, 10**30 + 7) for _ in range(4)])
print([r.randrange(2**64, -2**64, -2**60) for _ in range(3)])
print([r.randrange(-5, 5, 3) for _ in range(6)], r.randint(1, 6))
print(r.getrandbits(0), r.getrandbits(1), r.getrandbits(33), r.getrandbits(100), r.getrandbits(200).bit_length() <= 200)
print(r.getrandbits(20000).bit_length() > 19900, r.random())
cases = [
    "r.randint(2**63, 2**63-1)", "r.randrange(2**63, 2**63-1)", "r.randrange(10**30, -1)", "r.randrange(0)",
    "r.randrange(-2**70)", "r.randrange(5, 5)", "r.randrange(1, 10, 0)", "r.randrange(10, 1, 2)",
    "r.randrange(None)", "r.randint(1, 'a')", "r.randrange(float('nan'))",
    "r.getrandbits(10**12)", "r.getrandbits(-1)", "r.getrandbits(2**63)", "r.getrandbits(-2**63)", "r.getrandbits(1.0)",
]
for c in cases:
    try:
        print(c, '->', repr(eval(c)))
    except (ValueError, OverflowError, TypeError) as e:
        print(c, '->', type(e).__name__, e)
