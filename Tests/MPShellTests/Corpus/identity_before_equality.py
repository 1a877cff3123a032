# Containers compare their items as CPython's PyObject_RichCompareBool does: an item is always equal to itself
# (identity first), so a NaN is found in a list holding it, and an __eq__ is not called for the item itself.
import collections
x = float('nan')
print(x in [x], [x].count(x), [x].index(x), x in (x,), (x,).count(x), (x,).index(x), x == x)
l = [1, x, 2]; l.remove(x); print(l)
print([x] == [x], (x,) == (x,), {'k': x} == {'k': x})   # (a float is a value here: another NaN is not told apart)
print((x, 1) < (x, 2), [x, 3] <= [x, 3], {'k': x}.items() == {('k', x)})
d = collections.deque([x, 1]); print(d.count(x), x in d, d.index(x))
P = collections.namedtuple('P', 'a b'); p = P(x, 2); print(p.count(x), p.index(x), x in p)

calls = []
class E:
    def __init__(self, n): self.n = n
    def __eq__(self, o):
        calls.append((self.n, getattr(o, 'n', o)))
        return False
    __hash__ = object.__hash__
a, b = E('a'), E('b')
print(a in [b, a], [a, b].count(a), [b, a].index(a), calls)
calls.clear()
l = [b, a]; l.remove(a); print([e.n for e in l], calls)
print([a] == [a], (a, b) == (a, b), calls)

# remove looks at the list as it is at each step: an __eq__ that shrinks the list
class Shrinker:
    def __init__(self, lst): self.lst = lst
    def __eq__(self, o):
        if self.lst: self.lst.pop()
        return False
lst = [1, 2, 3, 4]
try:
    lst.remove(Shrinker(lst))
except ValueError as e:
    print("ValueError", e, lst)
class OC(list): pass
oc = OC([a, b, x]); oc.remove(x); oc.remove(a); print([e.n for e in oc])
try:
    oc.remove(42)
except ValueError as e:
    print("ValueError", e)

# object's own slot functions, borrowed by a class or called past its own
class A: pass
a = A()
print(object.__hash__(a) == hash(a), object.__eq__(a, a), object.__eq__(a, 1), object.__ne__(a, 1), object.__ne__(a, a))
print(object.__repr__(a)[:10], object.__str__(a)[:10])
class R:
    def __repr__(self): return "R()"
    def describe(self): return object.__repr__(self)[:12] + " / " + repr(self)
print(R().describe(), object.__str__(R()))
class H:
    __hash__ = object.__hash__
    def __eq__(self, o): return False
h = H(); print(hash(h) == object.__hash__(h), {h: 1}[h], h in {h}, h == h, h in [h])
