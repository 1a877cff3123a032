# types (the interpreter's types by name, SimpleNamespace) and keyword
import types
import keyword

def f():
    pass
def g():
    yield 1
print(isinstance(f, types.FunctionType), isinstance(lambda: 0, types.LambdaType), isinstance(g(), types.GeneratorType))
print(isinstance(len, types.BuiltinFunctionType), isinstance(types, types.ModuleType), type(None) is types.NoneType)
ns = types.SimpleNamespace(a=1, b="two")
ns.c = [3]
print(ns, ns.a, ns.c, ns == types.SimpleNamespace(a=1, b="two", c=[3]), ns == types.SimpleNamespace(a=1))
print(types.SimpleNamespace(y=2), types.SimpleNamespace())
C = types.new_class("C", (), exec_body=lambda d: d.update({"v": 5}))
print(C.__name__, C().v)
print(keyword.iskeyword("def"), keyword.iskeyword("print"), keyword.issoftkeyword("match"), len(keyword.kwlist), keyword.kwlist[:5], keyword.softkwlist)
try:
    types.SimpleNamespace({"x": 1})
except TypeError as e:
    print(e)
ns.missing
