names = ["a", "b", "c"]
ages = [1, 2, 3]
for i, (n, a) in enumerate(zip(names, ages)):
    print(i, n, a)
print(dict(zip(names, ages)), list(zip(*[(1, "x"), (2, "y")])), list(zip()), list(zip([1, 2], [3])))
print(list(enumerate("xyz", 10)), [i for i, _ in enumerate(range(3))])
it = iter(range(5))
print(list(zip(it, it)))
