def g():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
it = g()
print(next(it))
it.close()
print("after close")
def bad():
    yield 1
    raise ValueError("inside gen")
try:
    for v in bad():
        print("v", v)
except ValueError as e:
    print("caught", e)
def nested():
    yield from (x * 2 for x in range(3))
    yield from [10, 11]
print(list(nested()))
def counter():
    i = 0
    while True:
        cmd = yield i
        if cmd == "reset":
            i = 0
        else:
            i += 1
c = counter()
print(next(c), next(c), next(c), c.send("reset"), next(c))
gens = [(i for _ in range(2)) for i in range(3)]
print([list(x) for x in gens])
def fibgen(limit):
    a, b = 0, 1
    while a < limit:
        yield a
        a, b = b, a + b
print(list(fibgen(100)), sum(fibgen(1000)), max(fibgen(50)))
z = zip(fibgen(10), "abcdefgh")
print(list(z))
def g2():
    return 5
    yield
print(list(g2()))
