d = {}
for k in ["z", "a", "m", "b"]:
    d[k] = len(d)
print(d, list(d), list(d.values()))
del d["a"]
d["a"] = 99
print(d, next(iter(d)))
d2 = dict.fromkeys("abc", 0)
d2.update(b=5)
print(d2, {k: v for k, v in sorted(d.items())}, dict(sorted(d.items(), key=lambda kv: kv[1])))
try:
    for k in d:
        d["new"] = 1
except RuntimeError as e:
    print("RuntimeError:", e)
