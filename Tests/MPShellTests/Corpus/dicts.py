d = {"a": 1, "b": 2}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), "a" in d, "z" not in d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.keys(), d.values(), d.items())
d.update({"d": 4}, e=5); print(d)
print(d.pop("a"), d.pop("zz", None), d.setdefault("f", 6), d.setdefault("b", 99), d)
del d["b"]; print(d, d.popitem(), d)
for k, v in d.items():
    print(k, v)
print(dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict(zip("ab", [1, 2])), {}.fromkeys("ab", 0), dict.fromkeys([1, 2]))
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
e = {1: "int", 1.0: "float?", True: "bool?"}
print(e, {(1, 2): "tuple key"}, d.copy() == d, d | {"z": 26}, {**d, "y": 25})
