# Augmented assignment to attributes: numbers through the fast paths, lists and __iadd__ in place, properties
# read and written once, errors as CPython raises them.
class P:
    __slots__ = ('x', 'l')
    def __init__(self): self.x = 1.5; self.l = [1]
class Q:
    def __init__(self): self._v = 1
    @property
    def v(self): return self._v
    @v.setter
    def v(self, n): print("set", n); self._v = n
class Acc:
    def __init__(self): self.n = 0
    def __iadd__(self, o): self.n += o; return self
p = P(); p.x /= 3.0; p.x *= 2; p.l += [2]; p.l *= 2
q = Q(); q.v += 5; q.v -= 0.5
a = P(); a.x = Acc(); a.x += 7
print(p.x, p.l, q.v, a.x.n)
try:
    p.x /= 0.0
except ZeroDivisionError as e: print("ZeroDivisionError:", e)
try:
    p.y += 1
except AttributeError as e: print("AttributeError:", e)
