# copy: shallow and deep copies of containers, instances, list subclasses; __copy__/__deepcopy__; memo; cycles
import copy
class P:
    def __init__(self, x, y): self.x = x; self.y = y
    def __repr__(self): return f"P({self.x!r}, {self.y!r})"
a = [1, [2, 3], {"k": [4]}, (5, [6]), P(1, [2])]
b = copy.copy(a); c = copy.deepcopy(a)
print(b == a, b[1] is a[1], c[1] is a[1], c[2]["k"] is a[2]["k"], c[3][1] is a[3][1])
print(c)
p = P([1], 2); q = copy.copy(p); r = copy.deepcopy(p)
print(q.x is p.x, r.x is p.x, r)
l = [1]; l.append(l); m = copy.deepcopy(l); print(m[1] is m, m is l)
t = (1, 2, "a"); print(copy.deepcopy(t) is t)
class C:
    def __init__(self): self.v = 1
    def __copy__(self): print("copy!"); return C()
    def __deepcopy__(self, memo): print("deepcopy!", type(memo).__name__); return C()
copy.copy(C()); copy.deepcopy([C()])
class S(list): pass
s = S([1,2]); s.tag = 3; s2 = copy.copy(s); print(type(s2).__name__, s2, s2.tag)
d = {1: P(1, 2)}; memo = {}; d2 = copy.deepcopy(d, memo); print(d2, len(memo) > 0)
print(copy.copy(len) is len, copy.deepcopy(P) is P)
class WithState:
    def __init__(self): self.a = 1; self.b = [2]
    def __getstate__(self): return {"a": self.a * 10, "b": self.b}
    def __setstate__(self, st): self.a = st["a"] + 1; self.b = st["b"]
w = copy.deepcopy(WithState()); print(w.a, w.b)
shared = [1]; pair = [shared, shared]; pc = copy.deepcopy(pair); print(pc[0] is pc[1], pc[0] is shared)
print(copy.copy({1, 2}), copy.deepcopy(frozenset([3])), copy.copy(b"x"), copy.deepcopy(bytearray(b"yz")))
print(issubclass(copy.Error, Exception), copy.error is copy.Error)
