# Floor division and modulo of big ints: the quotient floors, the remainder takes the divisor's sign.
big = 10**30 + 7
values = [big, -big, 3**70, -(3**70), 2**64, -(2**64), 2**63, -(2**63)]
divisors = [1, -1, 7, -7, 2**64 - 1, -(2**64 - 1), 10**20 + 3, -(10**20 + 3), 2**100, -(2**100)]
for x in values:
    for y in divisors:
        q, r = divmod(x, y)
        assert q * y + r == x
        print(x // y, x % y, q == x // y, r == x % y)
# results back in the machine-word range become small ints again
print((2**100 + 5) - 2**100, type((2**100) // (2**99)).__name__, (2**100) % 3)
print(-(2**63) // -1, (-(2**63)) % -1, -(2**63) * -1)
for x in (0, 1, -1, 2**80):
    try:
        x // 0
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        x % 0
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
