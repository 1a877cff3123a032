vals = [1, 1.5, "s", [1], (1,), {1: 1}, {1}, None, True, b"b", range(1), len, lambda: 0]
print([type(v).__name__ for v in vals])
print(type(1) is int, type(True) is bool, type([]) == list, isinstance([], (list, tuple)), isinstance(True, (str, int)))
class A: pass
class B(A): pass
print(type(B()) is B, type(B()) is A, isinstance(B(), A), issubclass(B, (int, A)), A.__name__, B.__bases__[0].__name__)
print(int, str, list, type(None).__name__, type(A))
