# Attribute sites that read `self.__class__` and call list methods on a list subclass's instances: the cached
# paths must give what the general ones give, for every class a site sees.
class Base:
    def kind(self):
        return self.__class__.__name__
class Left(Base): pass
class Right(Base):
    def kind(self):
        return "R:" + self.__class__.__name__
objs = [Base(), Left(), Right(), Left()]
print([o.kind() for o in objs for _ in range(2)])
print([o.__class__ is type(o) for o in objs])

class WithClassAttr:
    __class__ = int          # a class attribute named __class__ is what the instance reports
print(WithClassAttr().__class__)

class Coll(list):
    pass
class Logged(list):
    def append(self, x):
        super().append(x * 10)
    def pop(self, i=-1):
        return ("popped", super().pop(i))
for c in (Coll(), Logged(), [], Coll([5, 6])):
    for i in range(4):
        c.append(i)
    out = [c.pop(0), c.pop(), c.pop(-1)]
    c.insert(0, "first")
    print(type(c).__name__, out, list(c), len(c))
try:
    Coll().pop(0)
except IndexError as e:
    print("IndexError", e)
try:
    Coll([1]).pop("x")
except TypeError as e:
    print("TypeError", e)
