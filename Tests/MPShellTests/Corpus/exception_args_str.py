e = ValueError("msg")
print(str(e), repr(e), e.args)
e2 = ValueError("a", 2)
print(str(e2), repr(e2), e2.args)
e3 = Exception()
print(repr(str(e3)), repr(e3), e3.args)
k = KeyError("key")
print(str(k), repr(k))
class E(Exception):
    pass
print(repr(E("x")), str(E(1, 2)), isinstance(E(), BaseException))
try:
    raise E
except E as err:
    print("caught class", type(err).__name__, err.args)
