data = [1, 5, 12, 7, 20]
if (n := len(data)) > 3:
    print("long list", n)
print([y for x in data if (y := x * 2) > 10])
i = 0
while (i := i + 1) < 4:
    print("loop", i)
