# locals(), dir() and vars() without arguments see the calling frame: a function's parameters, assigned and
# free variables (unbound ones left out, comprehension variables not listed), a class body's namespace, a
# module's globals; a local named dir shadows the builtin. They used to return empty results.
import math
x = 1
def f(a, b=2, *args, **kw):
    c = a + b
    print(sorted(locals()), dir())
    if a > 5:
        late = 1
    print(locals())
    print(vars())
    sq = [i * i for i in range(3)]
    print(sorted(locals()))
    return "{a}-{b}-{c}".format(**locals())
print(f(1))
print(f(7, 3, 4, k=5))
def outer():
    y = 10
    def inner():
        z = y + 1
        return locals()
    return inner()
print(outer())
class K:
    p = 1
    q = p + 1
    print(sorted(k for k in locals() if not k.startswith('__')), [k for k in dir() if not k.startswith('__')])
def g():
    return dir()
print(g())
print([n for n in dir() if not n.startswith('__')])
def shadow():
    dir = lambda: "mine"
    return dir()
print(shadow())
def gen(n):
    for i in range(n):
        yield sorted(locals().items())
print(list(gen(2)))
