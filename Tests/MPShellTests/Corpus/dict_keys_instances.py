# Instances as dict and set keys: a namedtuple finds the equal tuple's entry and the other way round (same hash,
# __eq__ asked across the two kinds), and a class's own __hash__/__eq__ decide.
from collections import namedtuple
S = namedtuple('S', 'a b')
d = {S(1, 2): 'a', (3, 4): 'b'}
print(d.get((1, 2)), d.get(S(3, 4)), S(1, 2) in {(1, 2)}, (1, 2) == S(1, 2), hash(S(1, 2)) == hash((1, 2)))
class K:
    def __init__(self, v): self.v = v
    def __hash__(self): return hash(self.v)
    def __eq__(self, o): return isinstance(o, K) and o.v == self.v
print({K(1): 'x'}[K(1)], K(2) in {K(2)}, len({K(i % 3) for i in range(10)}))
