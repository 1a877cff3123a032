# Calls reuse a finished call's frame: nothing of one call may leak into the next (locals start unbound, cells are
# fresh), and frames still held by a generator or a generator expression must not be reused.
def maybe(flag):
    if flag:
        x = "set"
    try:
        return x
    except UnboundLocalError as e:
        return "unbound: " + str(e)

print(maybe(True))
print(maybe(False))
print(maybe(True))

def counter(start):
    n = start
    def inc():
        nonlocal n
        n += 1
        return n
    return inc

a = counter(10)
b = counter(100)
print(a(), a(), b(), a(), b())

def squares(n):
    k = n
    return (i * i + k for i in range(n))

g1 = squares(3)
g2 = squares(4)
print(list(g2), list(g1))

def gen(n):
    for i in range(n):
        yield i * 10

def use_gen():
    return list(gen(3)) + list(gen(2))

print(use_gen(), use_gen())

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print([fib(i) for i in range(15)])

def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))

print(ack(2, 3), ack(1, 5))

def fails(n):
    local = [n]
    if n == 3:
        raise ValueError("three: %d" % local[0])
    return local

for i in range(5):
    try:
        print(fails(i))
    except ValueError as e:
        print("caught", e)

def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)

try:
    deep(100000)
except RecursionError:
    print("recursion error")
print(deep(50))

def kw(a, b=2, *rest, c=3, **more):
    return (a, b, rest, c, sorted(more.items()))

print(kw(1), kw(1, 5, 6, 7, c=8, z=9), kw(a=0))

def outer():
    vals = []
    for i in range(3):
        vals.append(lambda i=i: i * 2)
    return [f() for f in vals]

print(outer(), outer())

def with_del(x):
    y = x + 1
    del y
    try:
        return y
    except UnboundLocalError:
        return "y deleted"

print(with_del(1), with_del(2))
