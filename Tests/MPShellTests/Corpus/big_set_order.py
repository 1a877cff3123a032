# Sets holding big ints iterate in CPython's table order (big ints hash modulo 2**61 - 1).
s = set()
for x in [2**64, 5, 2**65, 2**70 + 3, -(2**80)]:
    s.add(x)
print(s)
t = set()
for k in range(40):
    t.add(3**k * (-1)**k)
print(t)
print(set([2**61 - 1, 2**61, 2**61 + 1, 0, 1, -(2**61), 2**122, 7, 2**100 + 2**61]))
print({10**k for k in range(15, 30)}, {-(2**k) for k in range(60, 70)})
u = set(range(20))
u |= set([2**64 + k for k in range(10)])
print(u, len(u), 2**64 + 3 in u, 2.0**64 in u)
