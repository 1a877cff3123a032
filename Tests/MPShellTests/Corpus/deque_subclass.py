# A class deriving from collections.deque holds its items: made with an iterable, through its own __init__ and
# super().__init__, with maxlen; its methods act on its own items.
from collections import deque

class D(deque):
    pass

d = D([1, 2])
d.append(3)
d.appendleft(0)
print(list(d), len(d), d.pop(), d.popleft(), list(d), isinstance(d, deque), type(d).__name__)

class Bounded(deque):
    def __init__(self, items, limit):
        super().__init__(items, limit)
        self.limit = limit

b = Bounded(range(10), 3)
b.append(10)
print(list(b), b.maxlen, b.limit)

class Tagged(deque):
    def __init__(self, *args, tag="t"):
        deque.__init__(self, *args)
        self.tag = tag

t = Tagged("abc", tag="x")
t.extend("de")
print(list(t), t.tag, len(t))
print(list(deque([1, 2, 3], maxlen=2)), list(deque()))
