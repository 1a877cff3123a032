# a > b asks a.__gt__(b) first, then the reflected b.__lt__(a); NotImplemented from both is a TypeError
class G:
    def __init__(self, v): self.v = v
    def __lt__(self, o): print("lt", self.v, o if not isinstance(o, G) else o.v); return NotImplemented if o == "ni" else True
    def __gt__(self, o): print("gt", self.v, o if not isinstance(o, G) else o.v); return False
print(G(1) > 1, 1 > G(2), G(1) < 2, 2 < G(3), G(1) > G(2), G(1) < G(2))
class H:
    def __lt__(self, o): return NotImplemented
try:
    H() < H()
except TypeError as e:
    print(e)
try:
    print(H() > 1)
except TypeError as e:
    print(e)
print(sorted([G(3), G(1)], key=lambda g: g.v)[0].v)
