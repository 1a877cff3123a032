a = {x for x in range(10) if x % 2 == 0}
b = {x for x in range(10) if x % 3 == 0}
print(sorted(a), sorted(b), sorted(a & b), sorted(a | b), sorted(a - b), sorted(b - a), sorted(a ^ b))
seen = set()
dups = [x for x in [1, 2, 1, 3, 2] if x in seen or seen.add(x)]
print(dups, sorted(seen), len(frozenset("aab")), {1, 2}.issuperset({1}))
