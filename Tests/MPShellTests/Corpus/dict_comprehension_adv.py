words = ["apple", "bob", "kayak", "level", "python"]
print({w: w == w[::-1] for w in words})
inv = {v: k for k, v in {"a": 1, "b": 2}.items()}
print(inv, {k: [x for x in range(k)] for k in range(4)}, {(i, j): i * j for i in range(2) for j in range(2)})
grouped = {}
for w in words:
    grouped.setdefault(len(w), []).append(w)
print(grouped)
