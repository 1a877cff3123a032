# functools.total_ordering: the missing comparisons from the root one, NotImplemented passed on, the ValueError
# without any ordering method; and an instance without an order has none (no `a < b or a == b` fallback).
import functools
@functools.total_ordering
class V:
    def __init__(self, n): self.n = n
    def __eq__(self, o): return self.n == o.n
    def __lt__(self, o):
        if not isinstance(o, V): return NotImplemented
        return self.n < o.n
print(V(1) <= V(2), V(2) >= V(2), V(3) > V(2), V.__gt__.__name__, V.__le__.__name__)
try:
    V(1) <= 5
except TypeError as e: print(e)
@functools.total_ordering
class G:
    def __init__(self, n): self.n = n
    def __ge__(self, o): return self.n >= o.n
print(G(1) < G(2), G(2) <= G(1), G(3) > G(3))
try:
    @functools.total_ordering
    class N: pass
except ValueError as e: print(e)
class Plain:
    def __lt__(self, o): return True
    def __eq__(self, o): return True
for expr in ("Plain() <= Plain()", "Plain() >= Plain()", "Plain() > Plain()", "Plain() < Plain()"):
    try:
        print(expr, eval(expr))
    except TypeError as e:
        print(expr, "TypeError:", e)
print(sorted([V(3), V(1), V(2)])[0].n, max(G(1), G(5), G(2)).n)
