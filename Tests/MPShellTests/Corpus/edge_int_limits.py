print(-2**63, type(-2**63).__name__, 2**63 - 1, -(-2**63), (-2**63) // -1, (-2**63) % -1, abs(-2**63))
print(range(-2**63, 2**63 - 1)[5], range(5)[-2**63:2**63 - 1], [1, 2, 3][-2**63:], 1 << 63, -1 >> 100)
x = []
x.insert(-2**63, 1)
print(x, divmod(-2**63, -1), bin(-2**63), ~(2**63 - 1), (2**63 - 1) + 1, -2**63 - 1, (-2**63) * -1)
print(f"{2**100:,}", f"{-2**63:x}", int(1e300) == 10**300, round(2**70 / 3) > 0, 10 ** -400 if False else 0)
for expr in ["len(range(-2**62, 2**62))", "'a' * (2**62)", "[0] * (2**62)"]:
    try:
        eval(expr)
    except (OverflowError, MemoryError) as e:
        print(type(e).__name__)
