# super().name(args) call sites remember the method they found per instance class; every change must be seen.

class A:
    def f(self, x):
        return "A.f(%s)" % x

    def g(self):
        return "A.g"


class B(A):
    def f(self, x):
        return "B>" + super().f(x)


class C(A):
    def f(self, x):
        return "C>" + super().f(x)


class D(B, C):
    def f(self, x):
        return "D>" + super().f(x)


def calls(objs, n):
    return [o.f(i) for i in range(n) for o in objs]


objs = [B(), C(), D()]
print(calls(objs, 2))
A.f = lambda self, x: "newA(%s)" % x
print(calls(objs, 1))
C.f = lambda self, x: "newC(%s)" % x
print(calls(objs, 1))
del C.f
print(calls(objs, 1))


class E(B):
    pass


print(calls([E(), B()], 2))


class Base:
    def __init__(self, n):
        self.n = n

    def total(self, k=1):
        return self.n * k


class Kid(Base):
    def __init__(self, n, extra):
        super().__init__(n)
        self.extra = extra

    def total(self, k=1):
        return super().total(k) + self.extra

    def weird(self):
        self = Base(100)
        return super().total(2) if isinstance(self, Kid) else self.total(2)


ks = [Kid(i, 10) for i in range(3)]
print([k.total() for k in ks], [k.total(3) for k in ks], [k.total(k=2) for k in ks])
print(ks[0].weird())


class WithArgs(Base):
    def total(self, *ks):
        return super().total(*ks) * 2


print([WithArgs(5).total(i) for i in range(3)])


class Missing(Base):
    def other(self):
        return super().nope()


try:
    Missing(1).other()
except AttributeError as e:
    print("AttributeError:", e)


def outside():
    return super().f(1)


try:
    outside()
except RuntimeError as e:
    print("RuntimeError:", e)


class X:
    pass


class Y(X):
    pass


print([c.__name__ for c in D.__mro__])
try:
    class Z(X, Y):
        pass
except TypeError as e:
    print("TypeError:", e)
