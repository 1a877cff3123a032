def countdown(n):
    while n > 0:
        yield n
        n -= 1
print(list(countdown(5)))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
g = fib()
print([next(g) for _ in range(10)])
def gen_with_return():
    yield 1
    yield 2
    return "done"
for v in gen_with_return():
    print(v)
def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], "ab", range(2))))
def squares(n):
    for i in range(n):
        print("producing", i)
        yield i * i
for s in squares(3):
    print("got", s)
def echo():
    received = yield "ready"
    while True:
        received = yield f"echo {received}"
e = echo()
print(next(e), e.send("a"), e.send("b"))
print(sum(countdown(4)), max(countdown(3)), sorted(countdown(3)))
