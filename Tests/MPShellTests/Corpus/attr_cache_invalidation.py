# Attribute sites cache what a name means per instance layout and class version: every change below must be seen.

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def read_all(ps):
    return [p.x for p in ps]


def norms(ps):
    return [p.norm1() for p in ps]


ps = [Point(i, -i) for i in range(5)]
print(read_all(ps), norms(ps))

# a method replaced on the class after the sites cached it
Point.norm1 = lambda self: self.x * 10
print(norms(ps))

# a method set on one instance shadows the class's at the same site
ps[2].norm1 = lambda: "own"
print(norms(ps))

# a property added on the class shadows the instance attribute (a data descriptor wins)
Point.x = property(lambda self: "prop")
print(read_all(ps))
del Point.x
print(read_all(ps))

# an attribute deleted from one instance: the site falls back to the class attribute, then to AttributeError
Point.x = "class-x"
del ps[0].x
print(read_all(ps))
del Point.x
try:
    read_all(ps)
except AttributeError as e:
    print("AttributeError:", e)
ps[0].x = 0


# many layouts at one site (more than a small cache holds)
class Bag:
    pass


bags = []
for i in range(9):
    b = Bag()
    for j in range(i):
        setattr(b, "a%d" % j, j)
    b.v = i
    bags.append(b)
for _ in range(3):
    print([b.v for b in bags])


# a subclass's method added after a base's method was cached
class Base:
    def who(self):
        return "base"


class Child(Base):
    pass


def whos(xs):
    return [x.who() for x in xs]


kids = [Base(), Child(), Child()]
print(whos(kids))
Child.who = lambda self: "child"
print(whos(kids))
Base.who = lambda self: "base2"
print(whos(kids))
del Child.who
print(whos(kids))


# __setattr__ and __getattr__ added after a store site cached
class Rec:
    def __init__(self):
        self.a = 1


def make():
    r = Rec()
    r.b = 2
    return r


print(vars(make()))


def logged_setattr(self, name, value):
    print("set", name, value)
    object.__setattr__(self, name, value)


Rec.__setattr__ = logged_setattr
print(vars(make()))
del Rec.__setattr__
Rec.__getattr__ = lambda self, name: "missing " + name
r = make()
print(r.a, r.b, r.zzz)


# class attributes read through instances, then changed on the class
class Counter:
    count = 0

    def bump(self):
        Counter.count += 1
        return self.count


c = Counter()
print([c.bump() for _ in range(4)], Counter.count)


# attributes set in a different order give other layouts; values stay right
class P:
    pass


def mk(order):
    p = P()
    for n in order:
        setattr(p, n, n.upper())
    return p


objs = [mk("abc"), mk("cba"), mk("bca"), mk("ab")]
for o in objs:
    print(o.a, o.b, getattr(o, "c", None), vars(o))


# __dict__ order follows first assignment, as in CPython
class Q:
    def __init__(self):
        self.z = 1
        self.a = 2
        self.m = 3


q = Q()
q.a = 5
del q.z
q.z = 9
print(vars(q), q.__dict__)


# class attributes read on the class itself, through a site that remembers them
class Strength:
    REQUIRED = 0
    WEAK = 5


class Sub(Strength):
    pass


def levels(c):
    return [c.REQUIRED, c.WEAK]


print(levels(Strength), levels(Sub))
Strength.WEAK = 6
print(levels(Strength), levels(Sub))
Sub.REQUIRED = -1
print(levels(Strength), levels(Sub))
del Sub.REQUIRED
Strength.REQUIRED = staticmethod(lambda: "static")
print(levels(Strength)[0](), levels(Sub)[1])
