class Adder:
    def __init__(self, n):
        self.n = n
    def __call__(self, x):
        return x + self.n
add5 = Adder(5)
print(add5(10), callable(add5), callable(5), list(map(add5, [1, 2])))
class Managed:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return exc_type is ValueError
with Managed("a") as m:
    print("inside", m.name)
with Managed("b"):
    raise ValueError("swallowed")
print("after b")
with Managed("x") as x, Managed("y") as y:
    print("both", x.name, y.name)
try:
    with Managed("c"):
        raise KeyError("k")
except KeyError as e:
    print("propagated", e)
