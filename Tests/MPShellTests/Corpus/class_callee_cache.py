# Calls through a class object (Cls.name(args)): classmethods get the class they are called on, static methods and
# plain functions are called as they are, and a call site sees every change to the class or its bases.
class Base:
    count = 0
    def __init__(self, x):
        self.x = x
    @classmethod
    def make(cls, x, scale=1):
        return cls(x * scale)
    @staticmethod
    def twice(v):
        return 2 * v
    def describe(self):
        return '%s(%r)' % (type(self).__name__, self.x)

class Sub(Base):
    def __init__(self, x):
        Base.__init__(self, x + 100)

def build(cls, n):
    return [cls.make(i).describe() for i in range(n)]

print(build(Base, 2), build(Sub, 2))
print([Base.twice(i) for i in range(3)], Sub.twice(5))
print(Base.make(3, scale=10).describe(), Sub.make(x=4).describe())
print(Base.describe(Sub(1)))

def calls():
    out = []
    for i in range(3):
        out.append(Base.twice(i))
    return out

print(calls())
Base.twice = staticmethod(lambda v: -v)          # replaced on the class: the same site sees it
print(calls())
Base.twice = classmethod(lambda cls, v: cls.__name__ + str(v))
print(calls(), Sub.twice(9))
del Base.twice
try:
    calls()
except AttributeError as e:
    print('AttributeError', e)

class Mid(Base):
    pass
def via_mid():
    r = Mid.make(7)
    return r if isinstance(r, str) else r.describe()
print(via_mid())
Base.make = classmethod(lambda cls, x: 'patched %s %s' % (cls.__name__, x))   # a base changes: seen
print(via_mid())
Mid.make = staticmethod(lambda x: 'own %s' % x)                                # the class itself changes
print(via_mid())

# errors keep CPython's messages
try:
    Base.describe()
except TypeError as e:
    print('TypeError', e)
try:
    Sub.make()
except TypeError as e:
    print('TypeError', e)

# a metaclass method of the same name is not what the class's dict holds
class Meta(type):
    def hello(cls):
        return 'meta hello ' + cls.__name__
class WithMeta(metaclass=Meta):
    pass
print(WithMeta.hello())
