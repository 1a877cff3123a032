# Calls bound through a per-site plan: defaults, keywords, keyword-only parameters, and the errors when a call
# does not fit (each site is exercised many times so a cached plan is used, then made to miss).

def f(a, b=2, c=3):
    return (a, b, c)

def g(a, *, k=10, m):
    return (a, k, m)

class P:
    def __init__(self, x=0, y=0, z=0):
        self.v = (x, y, z)
    def move(self, dx, dy=1, *, scale=1):
        return (self.v[0] + dx * scale, self.v[1] + dy * scale)
    @classmethod
    def origin(cls, label="o", n=1):
        return (cls.__name__, label, n)
    @staticmethod
    def s(a, b=5):
        return a * b

out = []
for i in range(3):
    out.append(f(i))
    out.append(f(i, c=9))
    out.append(f(a=i, b=1))
    out.append(f(i, 7))
    out.append(g(i, m=4))
    out.append(g(i, m=4, k=1))
    out.append(P(x=i).v)
    out.append(P(i, z=5).v)
    out.append(P().v)
    out.append(P(1).move(i))
    out.append(P(1).move(i, scale=3))
    out.append(P(1).move(dx=i, dy=0))
    out.append(P.origin(n=i))
    out.append(P(2).origin(label="x"))
    out.append(P.s(i))
    out.append(P.s(b=i, a=2))
print(out)

# one site meeting several functions, and a function whose defaults change between calls
def h1(a, b=1): return ("h1", a, b)
def h2(a, b=2, c=3): return ("h2", a, b, c)
def h3(b, a=0): return ("h3", a, b)
for fn in [h1, h2, h3, h1, h3]:
    print(fn(5, b=6) if fn is not h3 else fn(b=6))
    print(fn(7))
def d(a, b=1): return a + b
for i in range(3):
    print(d(i))
d.__defaults__ = (100,)
print(d(1))
d.__defaults__ = ()
try:
    d(1)
except TypeError as e:
    print("TypeError:", e)
d.__defaults__ = (1,)
print(d(2))

# a module global rebound to another function at a planned site
def k1(x, y=1): return ("k1", x, y)
def k2(x, y=2): return ("k2", x, y)
def callk():
    return k(0, y=5), k(0)
k = k1
print(callk(), callk())
k = k2
print(callk())

# errors: CPython's messages, from the sites that were planned
def two(a, b, *, c=1): return a
for args in [lambda: two(1), lambda: two(1, 2, d=3), lambda: two(1, a=2), lambda: two(1, 2, c=3, c2=4)]:
    try:
        args()
    except TypeError as e:
        print("TypeError:", e)
def kwreq(a, *, m): return m
for i in range(2):
    try:
        kwreq(1)
    except TypeError as e:
        print("TypeError:", e)
class Q:
    def __init__(self, a, b=1): self.t = (a, b)
for i in range(3):
    print(Q(i).t, Q(i, b=i).t)
try:
    Q(b=1)
except TypeError as e:
    print("TypeError:", e)
try:
    Q(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)

# arguments evaluated left to right, keywords after positionals, each once
log = []
def note(x):
    log.append(x)
    return x
def three(a, b=0, c=0): return a + b + c
print(three(note(1), c=note(3), b=note(2)), log)

# recursion through a planned site, and a closure with defaults
def depth(n, acc=0):
    return acc if n == 0 else depth(n - 1, acc=acc + n)
print(depth(50))
def outer(base):
    def inner(x, scale=2):
        return base + x * scale
    return inner
fn = outer(10)
print([fn(i) for i in range(4)], [fn(i, scale=1) for i in range(4)])

# a default that is a mutable object is shared across calls, as in CPython
def acc(x, into=[]):
    into.append(x)
    return len(into)
print([acc(i) for i in range(4)])

# __defaults__ and __kwdefaults__: read, replaced, checked
def kd(a, b=1, *, k=2, m=3): return (a, b, k, m)
print(kd.__defaults__, kd.__kwdefaults__, kd(0))
kd.__kwdefaults__ = {"k": 20, "m": 30}
print(kd(0), kd.__kwdefaults__)
kd.__defaults__ = None
print(kd.__defaults__)
for bad in [[1], "x"]:
    for attr in ["__defaults__", "__kwdefaults__"]:
        try:
            setattr(kd, attr, bad)
        except TypeError as e:
            print("TypeError:", e)
kd.__kwdefaults__ = None
try:
    kd(1, 2)
except TypeError as e:
    print("TypeError:", e)

# *args and **kwargs parameters bound at planned sites, and generator functions called with defaults/keywords
def va(a, b=2, *rest, k=0, **extra):
    return (a, b, rest, k, sorted(extra.items()))
def only_star(*args, **kw):
    return (args, kw)
class V:
    def m(self, *args, **kw): return (args, sorted(kw))
    def n(*args): return len(args)
for i in range(3):
    print(va(i), va(i, 5), va(i, 5, 6, 7), va(i, k=1), va(i, 3, 4, x=1, y=2), va(i, b=9, z=3))
    print(only_star(), only_star(i, i), only_star(a=i), only_star(i, b=i))
    print(V().m(i, key=i), V().n(), V().n(i, i))
e1 = va(1, q=1)
e1[4].append("mutated")
print(va(1, q=1))   # a fresh dict each call
def gen(n, start=0, *, step=1):
    for i in range(start, n, step):
        yield i
for i in range(2):
    print(list(gen(5)), list(gen(5, 2)), list(gen(9, step=3)), list(gen(n=4, start=1)))
def gen_cells(n, scale=2):
    fs = [lambda: n * scale]
    yield fs[0]()
print(next(gen_cells(4)), next(gen_cells(4, scale=5)))
