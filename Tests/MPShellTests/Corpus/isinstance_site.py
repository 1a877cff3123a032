# isinstance(x, T) inlined at the call site: classes, tuples of classes, subclasses, bool as int, object, a bad
# second argument's TypeError, and a module global named isinstance that shadows the builtin afterwards.
class A: pass
class B(A): pass
def f(x):
    return [isinstance(x, int), isinstance(x, (str, A)), isinstance(x, A), isinstance(x, object), isinstance(x, bool)]
for v in [1, True, "s", A(), B(), None, 2.5, [1], (1,), {}]:
    print(f(v))
try: isinstance(1, 2)
except TypeError as e: print(e)
isinstance = lambda a, b: "shadowed"
print(f(1))
