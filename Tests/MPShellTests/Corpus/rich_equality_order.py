# == and != between instances as CPython's do_richcompare: a subclass's method first, NotImplemented passing
# the turn to the other operand, object's __ne__ inverting __eq__, and whatever __eq__ returns kept as the result.
class A:
    def __eq__(self, o):
        print("A.eq"); return NotImplemented
class B:
    def __eq__(self, o):
        print("B.eq"); return True
class Sub(A):
    def __eq__(self, o):
        print("Sub.eq"); return "sub"
a, b = A(), B()
print(a == b); print(b == a); print(a == 1); print(1 == a); print(a != b)
print(a == Sub()); print(Sub() == a)
class N:
    def __eq__(self, o): return NotImplemented
n = N(); print(n == n, n == N(), n != n)
class L:
    def __lt__(self, o): return NotImplemented
class G:
    def __gt__(self, o): print("G.gt"); return True
print(L() < G())
try:
    print(L() < L())
except TypeError as e:
    print("TypeError", e)
# in containers: identity first, then the same protocol
print([b] == [a], [a] == [b], a in [b], b in [a], [a].count(b))
class V:
    def __init__(self, x): self.x = x
    def __eq__(self, o): return isinstance(o, V) and o.x == self.x
    def __hash__(self): return hash(self.x)
print(V(1) == V(1), V(1) != V(1), V(1) != V(2), V(1) == 1, 1 == V(1), {V(1): 'one'}[V(1)], V(2) in {V(2)})
class NeOnly:
    def __ne__(self, o): return "ne!"
print(NeOnly() != 1, NeOnly() == NeOnly())
