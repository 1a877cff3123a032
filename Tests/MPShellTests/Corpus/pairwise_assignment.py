# `a, b = b, a` and its kin (as many values as targets, none starred): every value is evaluated before any target
# is assigned, targets left to right (a subscript's container and index evaluated when its turn comes), nested
# targets, attributes, globals, class bodies and generators, and an assignment that fails half way.

def trace(label, v):
    print("eval", label)
    return v

def order():
    a, b, c = trace("1", 1), trace("2", 2), trace("3", 3)
    print(a, b, c)
    a, b = b, a
    print(a, b)
    a, b, c, d = c, a, b, 4
    print(a, b, c, d)
    x, y = 0, 1
    for _ in range(10):
        x, y = y, x + y
    print(x, y)

class Logged(list):
    def __setitem__(self, i, v):
        print("set", i, v)
        super().__setitem__(i, v)

def subscripts():
    l = Logged([10, 20, 30])
    i = 0
    i, l[i] = 2, "x"
    print(i, l)
    m = [1, 2, 3]
    m[0], m[2] = m[2], m[0]
    print(m)
    j = 0
    m[j], j = 9, 2
    print(m, j)

class P:
    def __init__(self): self.x = 1; self.y = 2

def attributes_and_nesting():
    p = P()
    p.x, p.y = p.y, p.x
    print(p.x, p.y)
    (a, b), c = (1, 2), 3
    print(a, b, c)
    a, (b, c) = c, (a, b)
    print(a, b, c)
    [a, b] = b, a
    print(a, b)

g1, g2 = "one", "two"
def globals_swap():
    global g1, g2
    g1, g2 = g2, g1

class Body:
    u, v = 1, 2
    u, v = v, u

def gen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

def failing():
    t = (1, 2)
    a = "before"
    try:
        a, t[0] = "after", 5
    except TypeError as e:
        print("TypeError:", e, "| a =", a)
    try:
        q, r = 1, undefined_name
    except NameError as e:
        print("NameError:", e)
    try:
        q, r
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)

order(); subscripts(); attributes_and_nesting(); globals_swap(); print(g1, g2, Body.u, Body.v)
it = gen(); print([next(it) for _ in range(8)])
failing()
