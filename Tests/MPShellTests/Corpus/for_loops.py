for i in range(3):
    print(i, end=" ")
print()
for i in range(10, 0, -3):
    print(i, end=",")
print()
for ch in "abc":
    print(ch.upper(), end="")
print()
for i in range(5):
    if i == 10:
        break
else:
    print("for-else ran")
for i in range(5):
    if i == 2:
        break
else:
    print("no")
for k in {"x": 1, "y": 2}:
    print(k)
for i, v in enumerate(["a", "b"], start=1):
    print(i, v)
for a, b in zip([1, 2, 3], "xyz"):
    print(a, b)
print(list(range(0)), list(range(2, 8, 2)), list(range(5, 0, -1)), range(10)[2], len(range(0, 100, 7)), range(1, 4))
