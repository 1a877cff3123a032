# pprint: one line when it fits, else CPython's breaking of dicts (sorted keys), lists, tuples, sets and long
# strings; width, indent, depth, compact, sort_dicts; pformat, pp, saferepr, isreadable, isrecursive
import pprint
from pprint import pformat, PrettyPrinter

small = {"b": 1, "a": [1, 2, 3], "c": (4, 5)}
pprint.pprint(small)
data = {"name": "mpsh", "version": (3, 11, 0), "features": ["classes", "closures", "generators", "decorators",
        "properties", "f-strings"], "nested": {"deep": {"deeper": {"deepest": list(range(30))}}},
        "numbers": [i * i for i in range(25)], 42: "int key", "empty": {}, "e2": [], "t1": (1,), "s": {3, 1, 2}}
pprint.pprint(data)
pprint.pprint(data, width=40)
pprint.pprint(data, indent=4, width=60)
pprint.pprint(data, depth=2)
pprint.pprint(data, sort_dicts=False, width=50)
pprint.pprint(list(range(40)), compact=True)
pprint.pprint([list(range(10))] * 5, width=30, compact=True)
pprint.pprint([("a" * 20, "b" * 20, "c" * 20), ("d" * 30,)])
pprint.pprint(set(range(30)))
pprint.pprint(frozenset(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]))
text = "The quick brown fox jumps over the lazy dog. " * 4
pprint.pprint(text)
pprint.pprint({"text": text, "lines": "first line\nsecond line that is rather long and goes on and on and on\n"})
pprint.pprint([text[:70], text[:90]], width=60)
pprint.pp({"z": 1, "a": 2, "m": [10 ** 30] * 4})
pprint.pprint(123456789, underscore_numbers=True)
pprint.pprint([1234567, 12345678901234567890] * 5, underscore_numbers=True)
s = pformat({"key%d" % i: i for i in range(12)})
print(s.count("\n"), s[:30])
print(pformat([1, 2]), repr(pformat("x")), pformat(None), pformat(1.5))
class Point:
    def __init__(self, x, y): self.x, self.y = x, y
    def __repr__(self): return "Point(%r, %r)" % (self.x, self.y)
pprint.pprint([Point(i, i * 2) for i in range(8)])
class D(dict):
    pass
pprint.pprint(D(a=1, b=list(range(30))))
pp = PrettyPrinter(indent=2, width=30)
pp.pprint({"alpha": [1, 2, 3], "beta": {"x": "y" * 20}})
print(pp.pformat((1, 2)), pprint.saferepr({"b": [2], "a": 1}), pprint.isreadable([1, "a"]), pprint.isreadable(Point(1, 2)))
rec = [1, 2]
rec.append(rec)
print(pprint.isrecursive(rec), pprint.isrecursive([1, [2]]), pprint.saferepr(rec).startswith("[1, 2, <Recursion on list with id="))
print(pformat({(1, 2): "tuple key", "s": "str key"}.get("s")), pformat({1: "a", 2: "b", 0: "c"}))
PrettyPrinter(depth=0)
