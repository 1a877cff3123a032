# `is` on strs only where CPython's answer does not depend on the implementation: a value is itself,
# and strs that differ in code points are never the same object.
s = "héllo"
t = s
print(s is t, s is not t, t is s)
u, v, w, x = "abc", "abd", "e\u0301", "\u00e9"
print(u is u, u is not v, w is x, s is u, w is not x)
xs = ["a", "é"]
print(xs[0] is xs[0], xs[1] is xs[1], xs[0] is xs[1])
d = {s: 1}
print([k is s for k in d])
