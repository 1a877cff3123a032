sq = lambda x: x * x
add = lambda a, b=1: a + b
print(sq(5), add(2), add(2, 3), (lambda: "no args")())
print(list(map(sq, [1, 2, 3])), list(map(lambda a, b: a + b, [1, 2], [10, 20])))
print(list(filter(lambda v: v % 2, range(10))), list(filter(None, [0, 1, "", "a", None])))
pairs = [(1, "one"), (3, "three"), (2, "two")]
print(sorted(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: p[0]), min(pairs, key=lambda p: len(p[1])))
