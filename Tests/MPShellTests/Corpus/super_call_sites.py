# super() and super(C, self) call sites, cached per class layout: every class a site sees, a skipped level, an
# argument that is not the function's class, a base changed after the site was cached, object's __init__.
class Base(object):
    def __init__(self):
        super(Base, self).__init__()
        self.trail = ["Base"]
    def who(self):
        return "Base.who"
class Mid(Base):
    def __init__(self):
        super(Mid, self).__init__()
        self.trail.append("Mid")
    def who(self):
        return "Mid>" + super(Mid, self).who()
class Leaf(Mid):
    def __init__(self):
        super().__init__()
        self.trail.append("Leaf")
    def who(self):
        return "Leaf>" + super().who()
    def skip(self):
        return super(Mid, self).who()      # past Mid: Base's
class Other(Base):
    def who(self):
        return "Other>" + super(Other, self).who()
for o in [Base(), Mid(), Leaf(), Other(), Leaf(), Mid()]:
    print(type(o).__name__, o.trail, o.who())
print(Leaf().skip())

def patched(self):
    return "patched Base.who"
Base.who = patched
print([o.who() for o in (Mid(), Leaf(), Other())])

# a site whose first argument changes between calls
def call_with(cls, obj):
    return super(cls, obj).who()
print(call_with(Leaf, Leaf()), call_with(Mid, Leaf()), call_with(Other, Other()))

class Two(Base):
    def __init__(self, other):
        super(Two, self).__init__()
        self.peer = super(Base, other).__init__() if other is not None else "none"
print(Two(None).peer, Two(Base()).peer)

try:
    super(5, Base())
except TypeError as e:
    print("TypeError", e)

class Args(object):
    def __init__(self, x):
        super().__init__()
        self.x = x
print(Args(3).x)
class Excess(object):
    def __init__(self):
        super().__init__(1)
try:
    Excess()
except TypeError as e:
    print("TypeError", e)
class WithNew(object):
    def __new__(cls, *a):
        return super().__new__(cls)
w = WithNew(1, 2)
print(type(w).__name__)
class ListLike(list):
    def __init__(self, items):
        super(ListLike, self).__init__(items)
        self.n = len(items)
print(ListLike([1, 2, 3]), ListLike([4]).n)
