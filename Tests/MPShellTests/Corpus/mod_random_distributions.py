# random: the distributions drawn from a seeded Random match CPython's numbers
import random

r = random.Random(2024)
print([round(r.gauss(10, 2), 6) for _ in range(3)], [round(r.normalvariate(0, 1), 6) for _ in range(2)])
print([round(r.expovariate(1.5), 6) for _ in range(2)], [round(r.triangular(0, 10, 3), 6) for _ in range(2)])
print([round(r.lognormvariate(0, 0.5), 6) for _ in range(2)], [round(r.paretovariate(3), 6) for _ in range(2)])
print([round(r.weibullvariate(1, 1.5), 6) for _ in range(2)], [round(r.uniform(-1, 1), 6) for _ in range(2)])
print(r.choices(range(10), k=5), r.choices('abc', cum_weights=[1, 1, 10], k=4), r.sample('abcdefgh', 3))
print(r.randrange(10, 100, 7), r.getrandbits(100), r.randint(-5, 5))
