# Methods of the built-in type a class derives from, called on its instances through one call site: the base's
# method until the class (or the instance) gets one of its own.
class Bag(list):
    pass

class Counts(dict):
    def total(self):
        return sum(self.values())

def fill(b, n):
    for i in range(n):
        b.append(i)
    b.extend([10, 11])
    return b

b = fill(Bag(), 3)
print(b, len(b), b.pop(), b.index(1), b.count(2), type(b).__name__)
c = Counts()
for w in 'abracadabra':
    c[w] = c.get(w, 0) + 1
print(sorted(c.items()), c.total(), c.setdefault('z', 0), sorted(c.keys()))

# the class gains its own append: the same site calls it
def own_append(self, x):
    super(Bag, self).append(x * 100)
Bag.append = own_append
print(fill(Bag(), 3))
del Bag.append
print(fill(Bag(), 2))

# an instance attribute of the same name shadows the base's method
b = Bag()
b.append = lambda x: print('instance append', x)
fill(b, 1)
print(b)

# a class with __getattr__ is asked only when the normal look-up fails
class Logged(list):
    def __getattr__(self, name):
        return lambda *a: 'fallback ' + name
l = Logged()
for i in range(2):
    l.append(i)
print(l, l.nothing(1))

# errors name the subclass, as CPython's
try:
    Bag().missing()
except AttributeError as e:
    print('AttributeError', e)

class Word(str):
    pass
w = Word('hello world')
print([w.upper() for _ in range(2)], w.split(), w.title(), isinstance(w.upper(), Word))
