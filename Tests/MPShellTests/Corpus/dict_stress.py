d = {}
log = []
x = 12345
for step in range(5000):
    x = (x * 1103515245 + 12345) % 2147483648
    k = x % 300
    op = x % 7
    if op < 4:
        d[k] = step
    elif op < 6:
        if k in d:
            del d[k]
    else:
        d[str(k)] = d.get(str(k), 0) + 1
    if step % 500 == 0:
        log.append((len(d), sum(v for v in d.values() if isinstance(v, int))))
print(log)
print(len(d), list(d.items())[:10], list(d)[-5:])
keys = {1: "int", 2.0: "float", True: "bool?", (1, 2): "tuple", "s": "str", None: "none", frozenset([1]): "fs"}
print(keys, keys[1.0], keys[2], keys[(1, 2)], keys[frozenset([1])])
big = {i * 7919 % 10007: i for i in range(10000)}
for i in range(0, 10000, 3):
    del big[i * 7919 % 10007]
print(len(big), sum(big.values()), min(big), max(big), list(big.items())[:3])
s = set()
for i in range(1000):
    s.add(i % 37)
    if i % 5 == 0:
        s.discard(i % 11)
print(sorted(s), len(s))
