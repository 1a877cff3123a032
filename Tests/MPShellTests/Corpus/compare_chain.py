a, b, c = 1, 2, 3
print(a < b < c, a < b > c, 1 == 1.0, "a" < "b" < "c", [1, 2] < [1, 3], (1, 2) == (1, 2))
print(1 < 2 == 2, 3 > 2 > 1 > 0, None is None, [] is [], 1 != 2, not 1 == 2)
x = [1, 2]
y = x
print(x is y, x is not [1, 2], x == [1, 2], 2 in x, 3 not in x, "ab" in "cabd")
print(max("apple", "banana"), min([3, 1, 2]), sorted(["b", "A", "a", "B"]))
print((1, "a") < (1, "b"), [1, [2, 3]] == [1, [2, 3]], {1: 2} == {1: 2}, {1, 2} == {2, 1})
