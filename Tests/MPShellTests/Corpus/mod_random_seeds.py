# random: seeding from ints (negative and big), str and bytes, reseeding, and independent instances
import random

for seed in [0, 1, -1, 2 ** 64 + 5, 'hello', b'hello', 'ünïcode']:
    r = random.Random(seed)
    print(repr(seed), [r.randrange(1000) for _ in range(4)])
a = random.Random(5)
first = a.random()
a.seed(5)
print(first == a.random())
x, y = random.Random(9), random.Random(9)
x.random()
print(x.random() == y.random(), y.random() == x.random() or True)
random.seed(123)
g = [random.random() for _ in range(2)]
random.seed(123)
print(g == [random.random() for _ in range(2)])
inst = random.Random(123)
print(g == [inst.random() for _ in range(2)])
