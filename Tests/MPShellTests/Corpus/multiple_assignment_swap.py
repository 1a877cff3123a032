a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
x = [1, 2, 3]
x[0], x[2] = x[2], x[0]
print(x)
(a, b), [c, d] = "xy", (5, 6)
print(a, b, c, d)
for (i, j), k in [((1, 2), 3), ((4, 5), 6)]:
    print(i + j + k)
head, *tail = "only"
print(head, tail)
*_, last = [1, 2, 3]
print(last)
