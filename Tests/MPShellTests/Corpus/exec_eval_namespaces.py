# exec/eval with globals and locals dicts: reads and bindings (assignment, def, class, import, del) in the dicts,
# __builtins__ added, functions that keep the exec's globals, locals looked up before globals, a mapping as
# locals, globals()/locals() passed back in, and CPython's errors for bad arguments and syntax errors
import sys

ns = {'a': 1}
exec("b = a + 1", ns)
print(sorted(ns), ns['a'], ns['b'], type(ns['__builtins__']).__name__)
print(eval("q + 1", {'q': 4}))
print(eval("q * r", {'q': 4}, {'r': 5}))

# every kind of binding lands in the dict, in binding order after the keys it had
g = {'seed': 10}
exec("""
import math
x = seed * 2
def double(v):
    return v * 2
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def norm(self):
        return math.hypot(self.x, self.y)
for i in range(3):
    pass
tmp = 1
del tmp
""", g)
print([k for k in g if k != '__builtins__'])
print(g['x'], g['double'](21), g['Point'](3, 4).norm(), g['Point'].__module__, g['i'])
print('x' in globals(), 'double' in globals())

# functions defined by exec read the names bound during the exec, and the exec's later bindings
exec("def total():\n    return base + extra\nbase = 100", g)
exec("extra = 5", g)
print(g['total']())
exec("counter = 0\ndef bump():\n    global counter\n    counter += 1\n    return counter", g)
print(g['bump'](), g['bump']())
exec("print('counter seen by exec:', counter)", g)
print(g['counter'])
g['seed'] = 7
exec("x = seed * 2", g)
print(g['x'])
exec("def later():\n    return g_later", g)
g['g_later'] = 'seen'
print(eval("later()", g))
del g['x']
print(eval("'x' in globals()", g), 'x' in g)

# __name__ in the globals names the module of what is defined there
m = {'__name__': 'mymod'}
exec("class C: pass\ndef f(): return 1", m)
print(m['C'].__module__, m['f'].__module__)

# __builtins__: added once, kept when present; the same dict for all
h1, h2 = {}, {}
exec("pass", h1)
exec("pass", h2)
print(h1['__builtins__'] is h2['__builtins__'], list(h1), len(h1))
print(eval("len('abc')", {}))

# exec with separate locals: bindings go to the locals, reads look in locals, then globals, then builtins
g, l = {'gv': 'global'}, {'lv': 'local'}
exec("x = 1\ndef f():\n    return x\nboth = gv + '/' + lv\nn = len(both)", g, l)
print(sorted(g), sorted(l), l['both'], l['n'])
try:
    l['f']()
except NameError as e:
    print("NameError:", e)
exec("global z\nz = 5\nw = 6", g, l)
print(sorted(g), sorted(l))
print(eval("gv + lv", g, l), eval("z + w", g, l))
shadow = {'gv': 'shadowed'}
print(eval("gv", g, shadow))
try:
    exec("y = [a for _ in range(2)]", {}, {'a': 1})
except NameError as e:
    print("NameError:", e)
print(eval("[v * 2 for v in a]", {}, {'a': [1, 2]}))
same = {'s': 1}
exec("t = s + 1", same, same)
print(sorted(same))
print(eval("locals() is not None", {}, {'k': 1}))
exec("print(sorted(locals()))", {}, {'k': 1, 'j': 2})

l2 = {}
exec("def gen2():\n    yield from range(3)\nr = list(gen2())\nclass K:\n    v = 1\n    w = v + 1\n", {}, l2)
print(l2['r'], l2['K'].w, eval("dir()", {'a': 1}, {'b': 2}))
for args in [({},), ({}, {})]:
    try:
        exec("del nothere", *args)
    except NameError as e:
        print("NameError:", e)

# a dict subclass as globals or locals
class D(dict):
    pass
dd = D(a=1)
exec("b = a + 1", dd)
print(dd['b'], type(dd).__name__, sorted(dd))
class Logged(dict):
    def __setitem__(self, k, v):
        print("store", k, v)
        super().__setitem__(k, v)
lg = Logged(u=1)
exec("v = u + 1", {}, lg)
print(sorted(lg.items()))

# a mapping that is not a dict as locals
class Mapping:
    def __init__(self):
        self.data = {'zz': 42}
    def __getitem__(self, k):
        return self.data[k]
    def __setitem__(self, k, v):
        print("set", k, v)
        self.data[k] = v
    def __delitem__(self, k):
        print("del", k)
        del self.data[k]
mp = Mapping()
exec("y = zz + 1", {}, mp)
print(eval("zz + y", {}, mp))
exec("del y\nq = 1", {}, mp)
print(sorted(mp.data))

# None means the current namespaces; globals() and module-level locals() pass the module itself
main_var = 3
exec("print('main_var is', main_var)", None)
exec("main_new = main_var + 1", globals())
print(main_new)
exec("main_two = main_new * 2", globals(), locals())
print(main_two)
print(eval("main_var * 10", None, None), eval("main_two", globals()))
exec("shadow_local = 1", None, {})
print('shadow_local' in globals())
def inside():
    loc = {}
    exec("v = 9", globals(), loc)
    return loc
print(inside(), 'v' in globals())

# generators, closures, recursion and super() in code run by exec
r = {}
exec("""
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def gen(n):
    for i in range(n):
        yield i * k
def outer():
    y = 3
    def inner():
        return y + k
    return inner
class A:
    def hi(self): return 'A'
class B(A):
    def hi(self): return 'B' + super().hi()
k = 2
exec("k2 = k + 1", globals())
s = 2
""", r)
print(r['fib'](15), list(r['gen'](3)), r['outer']()(), r['B']().hi(), r['k2'], eval("fib(10) + s", r))
w = {}
print(eval("(v := 10) + v", w), w.get('v'))
exec("import os.path as osp\nfrom math import sqrt", w)
print(w['sqrt'](16), w['osp'].__name__)
exec("n = 1", w); exec("n += 1", w); exec("n *= 10", w)
print(w['n'])

# exceptions raised in the code propagate; what was bound before stays bound
partial = {}
try:
    exec("first = 1\nraise ValueError('boom')\nsecond = 2", partial)
except ValueError as e:
    print("ValueError:", e, [k for k in partial if k != '__builtins__'])
try:
    eval("undefined_name", {})
except NameError as e:
    print("NameError:", e)

# bad arguments
for call in [lambda: exec("x = 1", []), lambda: exec("x = 1", {}, 5), lambda: exec("x = 1", None, 3.5),
             lambda: eval("x", []), lambda: eval("x", 5), lambda: eval("x", {}, 3),
             lambda: exec(5), lambda: eval(None), lambda: exec(), lambda: exec("1", {}, {}, {}),
             lambda: eval("1", globals={}), lambda: exec("x = 1", globals={}),
             lambda: exec("x = 1", {}, locals={})]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
print(exec("1 + 1"), eval(" 1 + 1"), eval("\t2 * 3"), eval(b"4 + 4"))

# syntax errors name <string> and the line
for src in ["x = (", "x = 1\n  y = 2", "1 +\n", "a b"]:
    try:
        exec(src, {})
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.filename, e.lineno, str(e))
for src in ["x = 1", "1 +", "1\n2", "if x: pass", ""]:
    try:
        eval(src, {})
    except SyntaxError as e:
        print(type(e).__name__, e.filename, e.lineno)
print(eval("'abc'"), eval("\n5"), eval("(1 +\n 2)"), eval("x if x else -1", {'x': 0}))
sys.stdout.flush()
exec("raise KeyError('at the end')", {})
