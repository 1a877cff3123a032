# An int set iterated again and again, with elements added between the loops: CPython's table order each time
# (mpsh replays the order once per change of the keys, not at every iteration).
s = {5, 3, 17, 33, 1, 9}
print(s, list(s), sorted(s))
total = 0
for i in range(1000):
    for x in s:
        total += x
print(total)
s.add(100); print(s, list(s))
s.add(41); print(list(s), [x for x in s])
t = {2, 10}; s |= t; print(s)
s.update([64, 0, 8, 16]); print(s)
print({x * 8 for x in range(12)}, list({x * 8 for x in range(12)}))
f = frozenset([9, 1, 17]); print(f, list(f), f | {25})
s2 = {1, 9, 17, 25, 33}
print(list(s2)); s2.add(41); print(list(s2)); s2.add(49); print(list(s2), len(s2))
