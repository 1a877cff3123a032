# getstate/setstate replay a Random's draws; subclasses of Random keep its methods
import random

r = random.Random(1234)
state = r.getstate()
print(state[0], len(state[1]), state[2])
first = [r.random() for _ in range(5)]
r.setstate(state)
print(first == [r.random() for _ in range(5)])
r.gauss(0, 1)
s2 = r.getstate()
print(s2[2] is not None)
x = r.gauss(0, 1); r.setstate(s2); print(x == r.gauss(0, 1))

class Dice(random.Random):
    def roll(self):
        return self.randint(1, 6)

d = Dice(99)
print([d.roll() for _ in range(10)], isinstance(d, random.Random))
try:
    r.setstate((2, (), None))
except ValueError as e:
    print("ValueError:", e)
print(type(r).__name__, random.Random.__name__)
