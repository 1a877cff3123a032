# Set comparisons and predicates (membership only: no iteration order involved), on ints, strs, mixed, frozensets.
cases = [
    (set(), set()),
    ({1, 2}, {1, 2, 3}),
    ({1, 2, 3}, {1, 2}),
    ({1, 2}, {1, 2}),
    ({1, 5}, {2, 3}),
    (frozenset({'a', 'b'}), {'a', 'b', 'c'}),
    ({1, 'a', (2, 3)}, {(2, 3), 'a', 1, 9.5}),
    ({True, 2}, {1, 2}),
    (set(range(0, 100, 3)), set(range(100))),
]
for a, b in cases:
    print(sorted(map(repr, a)), sorted(map(repr, b)),
          a < b, a <= b, a > b, a >= b, a == b,
          a.issubset(b), a.issuperset(b), a.isdisjoint(b),
          a.issubset(list(b)), a.isdisjoint(iter(b)))
# removal during a later iteration is unaffected
s = {3, 1, 2}
t = {1, 2, 3, 4}
print(s < t, s.issubset(t), t.issuperset(s), s.isdisjoint({7, 8}))
try:
    s < [1, 2]
except TypeError as e:
    print('TypeError:', e)
