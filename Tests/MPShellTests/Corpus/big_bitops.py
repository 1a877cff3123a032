# Bitwise operators on big ints, negatives in two's complement as CPython; shifts floor.
vals = [2**100, -(2**100), 2**100 - 1, -(2**100) + 1, 2**64 + 12345, -(2**64) - 12345, 5, -5, 0, -1]
for x in vals:
    for y in vals[:6]:
        print(x & y, x | y, x ^ y)
    print(~x, -x)
for x in (2**100 + 3, -(2**100) - 3, -1, 7, -7):
    print([x >> s for s in (0, 1, 3, 63, 64, 65, 100, 101, 200)])
    print([x << s for s in (0, 1, 63, 64, 100)])
print(1 << 200, -1 << 200, (1 << 200) >> 199, (-(1 << 200)) >> 199, 0 << 10**6, (2**100) >> (2**70), (-(2**100)) >> (2**70))
for x in (2**100, -(2**100), 2**64 - 1, -(2**63), 2**63, 0):
    print(x.bit_length(), x.bit_count(), hex(x), oct(x), bin(x)[:20])
try:
    1 << -1
except ValueError as e:
    print("ValueError", e)
try:
    (2**100) >> -(2**70)
except ValueError as e:
    print("ValueError", e)
