s = {3, 1, 2}
s.add(4); s.discard(10); s.remove(1)
print(sorted(s), len(s), 2 in s, 5 in s)
a, b = {1, 2, 3}, {2, 3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)), a.issubset({1, 2, 3, 4}), a.isdisjoint({9}))
print(set(), set([1, 1, 2]), frozenset([1, 2]) == frozenset([2, 1]), {x % 3 for x in range(10)})
e = set("hello")
print(sorted(e), len(e))
a |= {10}; a -= {1}; print(sorted(a))
print({1, 2} < {1, 2, 3}, {1, 2} <= {1, 2}, {1} > set())
