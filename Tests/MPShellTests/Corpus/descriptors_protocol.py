# The descriptor protocol (data and non-data descriptors, __set_name__, access through the class) and instances of
# int and str subclasses used where an int or a str is expected.
class Typed:
    def __init__(self, kind):
        self.kind = kind
    def __set_name__(self, owner, name):
        self.name = '_' + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name)
    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError('%s must be %s' % (self.name[1:], self.kind.__name__))
        setattr(obj, self.name, value)

class Lazy:
    def __init__(self, fn):
        self.fn = fn
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        v = self.fn(obj)
        setattr(obj, self.fn.__name__, v)   # the instance's own attribute hides a non-data descriptor from now on
        return v

class Point:
    x = Typed(int)
    y = Typed(int)
    def __init__(self, x, y):
        self.x = x
        self.y = y
    @Lazy
    def norm(self):
        print('computing')
        return (self.x ** 2 + self.y ** 2) ** 0.5

p = Point(3, 4)
print(p.x, p.y, p.norm, p.norm)
try:
    p.x = 'a'
except TypeError as e:
    print('TypeError', e)
print(type(Point.x).__name__, p.__dict__)

class Guarded:
    def __init__(self): self.store = {}
    def __get__(self, obj, t=None): return self if obj is None else self.store.get(id(obj), 'unset')
    def __set__(self, obj, v): self.store[id(obj)] = v
    def __delete__(self, obj): print('delete descriptor'); self.store.pop(id(obj), None)
class G:
    g = Guarded()
o = G(); print(o.g); o.g = 7; print(o.g); del o.g; print(o.g, type(G.g).__name__)

class Ro:
    def __get__(self, obj, t=None): return 42
class H:
    v = Ro()
h = H(); h.v = 5; print(h.v, H.v)

class MyInt(int):
    def double(self): return self * 2
m = MyInt(21)
print(m.double(), m + 1, isinstance(m, int), [10, 20, 30][MyInt(1)], {m: 'key'}[21], 21 in {m}, {21: 'x'}[m], hash(m) == hash(21), '%d %i' % (m, MyInt(-3)))
class MyStr(str):
    def shout(self): return self.upper() + '!'
s = MyStr('hi')
print(s.shout(), s + ' there', len(s), {s: 1}['hi'], s == 'hi')

class Deleter:
    def __delattr__(self, name):
        print('deleting', name)
        object.__delattr__(self, name)
d = Deleter(); d.a = 1; del d.a; print(hasattr(d, 'a'))
class Bag(list):
    pass
b = Bag(); list.append(b, 5); list.extend(b, [6]); print(b, list.__len__(b) if hasattr(list, '__len__') else len(b))
class F(float): pass
try:
    '%d' % F(float('inf'))
except OverflowError as e:
    print('OverflowError', e)
print('%d' % F(2.7))
