# The set's own table (no dict behind it): small sets searched by a scan, the table built past eight elements or
# at the first key that is neither a str nor an int, removals leaving holes, equal keys of different types.

# 1, 1.0 and True are one element; the first one added stays
s = {1}
s.add(1.0); s.add(True)
print(s, len(s), type(next(iter(s))).__name__)
s = set()
s.add(True); s.add(1); s.add(1.0)
print(s, 1 in s, 1.0 in s, True in s, 2 in s)
print({0, False, 0.0}, {1.0, 1}, {True, 1.0})

# strs past the small scan, removed and added again
words = ["w%d" % i for i in range(20)]
s = set()
for w in words:
    s.add(w)
print(len(s), all(w in s for w in words), "w20" in s)
for w in words[::2]:
    s.discard(w)
print(len(s), sorted(s) == sorted(words[1::2]))
for w in words:
    s.add(w)
print(len(s), sorted(s) == sorted(words))

# ints: removal keeps CPython's iteration order (what comes after a removal is placed as if the removed elements
# had never been there, where CPython skips their slots: compared sorted)
s = set(range(12))
for i in (3, 7, 0, 11):
    s.remove(i)
print(s)
s.update([3, 100, -1, 40])
print(sorted(s), 3 in s, 7 in s, len(s))

# a non-str, non-int key in a small set, then strs and ints beside it
s = {"a", 2}
s.add((1, 2))
print(len(s), (1, 2) in s, "a" in s, 2 in s, 2.0 in s, (1, 2.0) in s)
s.discard((1, 2.0))
print(len(s), (1, 2) in s)

# remove / discard / KeyError
s = {"x", "y"}
try:
    s.remove("z")
except KeyError as e:
    print("KeyError", e)
s.discard("z")
s.remove("x")
print(s)
try:
    s.add([1])
except TypeError as e:
    print("TypeError", e)

# frozensets as keys and elements: equal whatever order they were built in
a = frozenset(["p", "q", "r"])
b = frozenset(["r", "q", "p"])
print(a == b, hash(a) == hash(b), len({a, b}), {a: 1}[b])
print({frozenset({1, 2}), frozenset({2, 1}), frozenset()} == {frozenset(), frozenset([1, 2])})

# a set in a cycle through an instance is collected
import gc
class Node:
    pass
def make():
    n = Node()
    n.owner = {n}
for _ in range(100):
    make()
print(gc.collect() >= 100)

# in-place operators replace the elements and the order follows
s = {5, 6, 7, 8}
s &= {6, 8, 10}
print(s)
s |= set(range(20, 10, -1))
print(s)
s -= {11, 12, 13}
print(s)
s ^= {6, 99}
print(s)
t = {"k%d" % i for i in range(10)}
t.intersection_update({"k1", "k3", "k5"})
print(sorted(t), len(t))
print(set() == set(), {1, 2} <= {1, 2, 3}, {1, 2, 3} > {1}, {1}.isdisjoint({2.0}))
