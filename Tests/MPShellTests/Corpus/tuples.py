t = (1, 2, 3)
print(t, t[0], t[-1], t[1:], len(t), t + (4,), t * 2, (1,), (), tuple([1, 2]), tuple("ab"))
a, b, c = t
print(a, b, c)
x, *rest = [1, 2, 3, 4]
*init, last = "hello"
first, *mid, end = range(6)
print(x, rest, init, last, first, mid, end)
(p, q), r = (1, 2), 3
print(p, q, r, t.count(2), t.index(3), hash((1, 2)) == hash((1, 2)))
a, b = b, a
print(a, b)
for i, (k, v) in enumerate([("a", 1), ("b", 2)]):
    print(i, k, v)
print(max((1, "z"), (2, "a")), sorted([(2, "b"), (1, "c"), (2, "a")]))
