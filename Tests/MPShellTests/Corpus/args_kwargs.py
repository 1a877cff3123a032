def f(*args, **kwargs):
    return args, kwargs
print(f(), f(1, 2), f(a=1), f(1, b=2))
def g(a, b, *rest, c=10, **kw):
    print(a, b, rest, c, sorted(kw.items()))
g(1, 2)
g(1, 2, 3, 4, c=5, d=6, e=7)
def k(a, *, key, other=0):
    return a + key + other
print(k(1, key=2), k(1, key=2, other=3))
args = (1, 2, 3)
kw = {"c": 4}
g(*args, **kw)
print(max(*[3, 9, 2]), "{}-{}".format(*"ab"), dict(**{"x": 1}))
def pos(a, b, /, c):
    return a * b + c
print(pos(2, 3, c=4))
