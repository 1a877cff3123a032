# A pi spigot (Gibbons' unbounded algorithm, as pyperformance's pidigits): big-int arithmetic end to end.
def gen_pi():
    q, r, t, k, n, l = 1, 0, 1, 1, 3, 3
    while True:
        if 4 * q + r - t < n * t:
            yield n
            q, r, t, k, n, l = 10 * q, 10 * (r - n * t), t, k, (10 * (3 * q + r)) // t - 10 * n, l
        else:
            q, r, t, k, n, l = q * k, (2 * q + r) * l, t * l, k + 1, (q * (7 * k + 2) + r * l) // (t * l), l + 2

g = gen_pi()
digits = [next(g) for _ in range(300)]
for i in range(0, 300, 60):
    print("".join(str(d) for d in digits[i:i + 60]))
# a big-int accumulation loop crossing the 64-bit boundary both ways
x = 2**62
for i in range(200):
    x += 2**60
    x -= 2**59
print(x, x - 2**62 - 200 * 2**59)
total = 0
for i in range(1, 300):
    total += i ** 12
print(total, sum(i * i for i in range(3_000_000)))
# sum() keeps a big running total of ints in place
print(sum([2**62, 2**62, 2**62, 1, -2**63, -2**63]), sum([2**63 - 1, 1, 0.5]), sum([2**63 - 1, 1, 2**70, 3]), sum([2**63 - 1, 5, -10]))
print(sum(range(2**62, 2**62 + 10)), sum([2**64, 1.5, 2]), sum([2**63 - 1, 1], 2**80), sum([9223372036854775807, 1, True, 2**64]))
class A:
    def __radd__(self, o): return o
print(sum([2**63 - 1, 1, A(), 1]))
