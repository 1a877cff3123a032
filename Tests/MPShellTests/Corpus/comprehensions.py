print([x * x for x in range(6)], [x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(i, j) for i in range(3) for j in range(i)], [[j for j in range(i)] for i in range(4)])
print({x: x ** 2 for x in range(4)}, {c for c in "banana"} == {"a", "b", "n"}, {k: v for k, v in zip("ab", "xy")})
print(sum(x for x in range(101)), list(x.upper() for x in "hi"), any(x > 3 for x in [1, 5]), all(x for x in []))
x = "outer"
ys = [x for x in range(3)]
print(x, ys)
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for row in matrix for i in range(len(row)) if i != 1], [[r[i] for r in matrix] for i in range(3)])
print([v if v % 2 else -v for v in range(5)], [y for x in [[1, 2], [3]] for y in x])
g = (i * 2 for i in range(3))
print(next(g), next(g), list(g), list(g))
