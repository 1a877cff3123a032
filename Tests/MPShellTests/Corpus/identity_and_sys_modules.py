# id() is an object's address (never negative, what its repr shows), hash() of a plain instance is id >> 4,
# functions have __class__, and sys.modules is live: __main__ is in it and so are modules imported after sys.
import sys
class A: pass
a = A()
print(id(a) > 0, id(A) > 0, id([]) > 0, hash(a) == id(a) >> 4, hex(id(a)) in repr(a))
def f(): pass
print(f.__class__, type(f) is f.__class__, (lambda: 0).__class__.__name__)
print("__main__" in sys.modules, sys.modules["__main__"].__name__, "sys" in sys.modules)
import json
print("json" in sys.modules, sys.modules["json"] is json)
sys.modules["fake"] = 42
import heapq
print(sys.modules["fake"], "heapq" in sys.modules)
