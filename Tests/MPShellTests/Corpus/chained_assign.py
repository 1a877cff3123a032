a = b = c = 0
print(a, b, c)
x = y = []
x.append(1)
print(y)
i, j = j, i = 1, 2
print(i, j)
lst = [0, 0, 0]
k = lst[k] = 1 if False else 2
print(k, lst)
