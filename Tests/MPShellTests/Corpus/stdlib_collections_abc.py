# collections.abc: the container ABCs' mixin methods for user classes (Mapping, MutableMapping, Sequence,
# MutableSequence, Set, Iterator), abstract methods refused; `import collections.abc` binds collections.abc
import collections.abc
from collections.abc import Mapping, MutableMapping, Sequence, MutableSequence, Iterator, Iterable, MutableSet

class Frozen(Mapping):
    def __init__(self, d):
        self._d = dict(d)
    def __getitem__(self, k):
        return self._d[k]
    def __len__(self):
        return len(self._d)
    def __iter__(self):
        return iter(self._d)

f = Frozen({"a": 1, "b": 2})
print(f["a"], f.get("z", 0), "a" in f, "z" in f, list(f.keys()), list(f.items()), list(f.values()), len(f))
print(f == {"a": 1, "b": 2}, f == Frozen({"a": 1}), ("a", 1) in f.items(), 2 in f.values(), sorted(f.keys() & {"a", "q"}))

class Store(MutableMapping):
    def __init__(self):
        self.data = {}
    def __getitem__(self, k):
        return self.data[k.lower()]
    def __setitem__(self, k, v):
        self.data[k.lower()] = v
    def __delitem__(self, k):
        del self.data[k.lower()]
    def __len__(self):
        return len(self.data)
    def __iter__(self):
        return iter(self.data)

s = Store()
s["A"] = 1
s.update({"B": 2}, c=3)
print(s["a"], s.setdefault("D", 4), s.pop("b"), s.pop("zz", "none"), sorted(s.items()), s.popitem(), len(s))
s.clear()
print(len(s), dict(s))

class Squares(Sequence):
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * i

q = Squares(6)
print(list(q), 9 in q, 10 in q, q.index(16), q.count(4), list(reversed(q)), max(q))

class Stack(MutableSequence):
    def __init__(self):
        self.items = []
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        return self.items[i]
    def __setitem__(self, i, v):
        self.items[i] = v
    def __delitem__(self, i):
        del self.items[i]
    def insert(self, i, v):
        self.items.insert(i, v)

st = Stack()
st.append(1)
st.extend([2, 3, 4])
st += [5]
print(st.items, st.pop(), st.pop(0), st.items)
st.reverse()
st.remove(3)
print(st.items)

class Countdown(Iterator):
    def __init__(self, n):
        self.n = n
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n

c = Countdown(3)
print(c.__iter__() is c, list(c))

class Bits(MutableSet):
    def __init__(self, it=()):
        self.s = set(it)
    def __contains__(self, x):
        return x in self.s
    def __iter__(self):
        return iter(sorted(self.s))
    def __len__(self):
        return len(self.s)
    def add(self, x):
        self.s.add(x)
    def discard(self, x):
        self.s.discard(x)

b = Bits([1, 2, 3])
b |= [4]
b -= [1]
print(list(b), list(b & Bits([2, 9])), list(b | Bits([7])), list(b - Bits([2])), b <= Bits(range(10)), b.isdisjoint([8]))
print(collections.abc.Mapping is Mapping, issubclass(MutableMapping, Mapping), isinstance(s, Mapping))

class Half(Mapping):
    def __len__(self):
        return 0
try:
    Half()
except TypeError as e:
    print(e)
Sequence()
