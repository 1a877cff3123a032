# Int bit operators at the edges of 64 bits (shifts that overflow into big ints, negative shift counts, huge
# counts), set.add and `in` on sets and dicts with int and str keys (the fast paths), their errors, and the
# equal-but-different keys (True and 1, 1.0 and 1) that share a slot.
import sys
m = sys.maxsize
for a, b in ((12, 10), (-12, 10), (m, -1), (-m - 1, 7)):
    print(a & b, a | b, a ^ b)
for x in (1, -1, 3, -3, m, -m - 1):
    for k in (0, 1, 2, 62, 63, 64, 100):
        print(x << k, x >> k, end=" | ")
    print()
for bad in ("1 << -1", "1 >> -1"):
    try:
        eval(bad)
    except ValueError as e:
        print("ValueError:", e)
print(1 << 200 >> 199, -(1 << 70) >> 3, (m << 1) & 0xFF)

s = set()
for i in range(20):
    s.add(i & 7)
    s.add(str(i % 3))
s.add(True)
s.add(1.0)
print(sorted(s, key=str), len(s))
print(3 in s, 9 in s, "2" in s, "9" not in s, True in s, 1.0 in s)
try:
    s.add([1])
except TypeError as e:
    print("TypeError:", e)
try:
    [1] in s
except TypeError as e:
    print("TypeError:", e)
print(frozenset([1]) in {frozenset([1])}, {1} in {frozenset([1])})
f = frozenset([1, 2])
try:
    f.add(3)
except AttributeError as e:
    print("AttributeError:", e)
d = {1: "a", "k": "b", 2.5: "c"}
print(1 in d, True in d, "k" in d, "z" not in d, 2.5 in d, 3 in d)
try:
    {} in d
except TypeError as e:
    print("TypeError:", e)
class S(set):
    def add(self, x):
        print("S.add", x)
        super().add(x)
    def __contains__(self, x):
        print("S.__contains__", x)
        return True
t = S()
t.add(5)
print(7 in t, sorted(t))
