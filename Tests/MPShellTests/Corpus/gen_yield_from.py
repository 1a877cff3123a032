# yield from: values out; send, throw and close in; the sub-generator's return value comes back
def sub(tag):
    got = []
    try:
        while True:
            x = yield tag + str(len(got))
            if x == "end":
                return got
            got.append(x)
    except KeyError as e:
        print("sub caught", e)
        yield "after-keyerror"
        return ["thrown"]
    finally:
        print("sub", tag, "finally")

def delegator():
    r1 = yield from sub("a")
    print("first returned", r1)
    r2 = yield from sub("b")
    print("second returned", r2)
    return len(r1) + len(r2)

d = delegator()
print(next(d))
print(d.send(1))
print(d.send(2))
print(d.send("end"))
print(d.throw(KeyError("k")))
try:
    d.send(None)
except StopIteration as e:
    print("delegator returned", e.value)

# close reaches the innermost generator
def leaf():
    try:
        yield "leaf"
    finally:
        print("leaf closed")
def middle():
    try:
        yield from leaf()
    finally:
        print("middle closed")
def top():
    yield from middle()
t = top()
print(next(t))
t.close()

# an exception the sub-generator raises comes out of yield from
def failing():
    yield 1
    raise ValueError("sub failed")
def wrapper():
    try:
        yield from failing()
    except ValueError as e:
        print("wrapper caught", e)
        yield "recovered"
print(list(wrapper()))

# yield from other iterables
def mixed():
    yield from [1, 2]
    yield from (x * 10 for x in range(3))
    yield from "ab"
    yield from range(2)
    r = yield from []
    print("empty gives", r)
print(list(mixed()))

# the value of yield from a generator that returns without yielding
def immediate():
    return "now"
    yield
def outer():
    v = yield from immediate()
    yield v
print(list(outer()))

# a thrown exception the sub-generator does not handle goes through the delegator
def deaf():
    yield 1
    yield 2
def passthrough():
    try:
        yield from deaf()
    except IndexError as e:
        print("passthrough saw", e)
        yield "handled"
p = passthrough()
print(next(p))
print(p.throw(IndexError("ix")))

# a chain of delegation, sending values all the way down
def echo():
    x = None
    while True:
        x = yield x
        if x == "stop":
            return "echo done"
def chain(depth):
    if depth == 0:
        r = yield from echo()
    else:
        r = yield from chain(depth - 1)
    return r + "+"
c = chain(5)
next(c)
print([c.send(i) for i in range(4)])
try:
    c.send("stop")
except StopIteration as e:
    print(e.value)
