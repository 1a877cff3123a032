# Dict probing compares int and str keys in place; every other pairing (1 == 1.0 == True, tuples, instances with
# __eq__/__hash__) goes through the general equality, and the first key inserted is the one kept.
d = {}
d[1] = "int"
d[1.0] = "float"
d[True] = "bool"
print(d, len(d), list(d.keys()))
d2 = {True: "t"}
d2[1] = "one"
d2[1.0] = "onef"
print(d2, d2.get(1), d2.get(True), d2.get(1.0), d2.get(2, "none"))
d3 = {0.0: "z"}
print(d3.get(0), d3.get(False), d3[0], 0 in d3, False in d3, -0.0 in d3)
d4 = {"a": 1, ("a", 1): 2, (1, 2): 3}
print(d4.get("a"), d4.get(("a", 1)), d4.get((1.0, 2.0)), d4.get((True, 2)))

class K:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        return isinstance(other, K) and self.v == other.v
    def __hash__(self):
        return hash(self.v)

d5 = {K(1): "k1"}
d5[K(1)] = "again"
print(len(d5), d5[K(1)], d5.get(K(2), "missing"))
counts = {}
for i in range(3000):
    counts[i % 7] = counts.get(i % 7, 0) + i
print(counts)
mixed = {}
for k in [1, 1.0, True, 2, 2.0, "2", (2,), 3.5, -1, -1.0]:
    mixed[k] = mixed.get(k, 0) + 1
print(mixed)
for k in [1, 2, 3]:
    mixed.pop(k, None)
print(mixed)
big = {}
for i in range(-50, 50):
    big[i * 2 ** 40] = i
print(big[-50 * 2 ** 40], big[49 * 2 ** 40], len(big), big.get(2 ** 62, "absent"))
hk = {2 ** 64: "big", 2 ** 64 + 0.0: "bigf"}
print(hk)
