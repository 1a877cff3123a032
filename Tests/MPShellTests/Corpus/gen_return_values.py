# return values of generators: StopIteration.value, next() with a default, for loops ignore it
def g(n):
    for i in range(n):
        yield i
    return "total %d" % n

it = g(2)
print(next(it), next(it))
try:
    next(it)
except StopIteration as e:
    print(repr(e.value), e.args)
try:
    next(it)
except StopIteration as e:
    print("again:", repr(e.value), e.args)
print(next(g(0), "default"))
print(list(g(3)), sum(g(4)))

def bare():
    yield 1
    return
b = bare()
next(b)
try:
    next(b)
except StopIteration as e:
    print("bare return:", e.value, e.args)

def returns_none_explicitly():
    yield 1
    return None
r = returns_none_explicitly()
next(r)
try:
    r.__next__()
except StopIteration as e:
    print("explicit None:", e.value)

def returns_tuple():
    yield "x"
    return (1, [2, 3])
t = returns_tuple()
next(t)
try:
    t.send(None)
except StopIteration as e:
    print("tuple:", e.value)

# raising StopIteration inside a generator becomes RuntimeError (PEP 479)
def leaky():
    yield 1
    raise StopIteration("leak")
try:
    list(leaky())
except RuntimeError as e:
    print("RuntimeError:", e)

# a generator function's attributes of use
def named():
    yield 1
x = named()
print(type(x).__name__, iter(x) is x)
