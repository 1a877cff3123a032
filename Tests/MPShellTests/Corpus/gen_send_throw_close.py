# send, throw and close on generators, compared with CPython
def accumulator():
    total = 0
    while True:
        x = yield total
        if x is None:
            break
        total += x
    return total

acc = accumulator()
print(next(acc))
for v in [3, 4, 5]:
    print("sent", v, "->", acc.send(v))
try:
    acc.send(None)
except StopIteration as e:
    print("returned", e.value, e.args)

def fresh():
    yield 1
try:
    fresh().send(5)
except TypeError as e:
    print("TypeError:", e)

def catcher():
    while True:
        try:
            yield "ready"
        except KeyError as e:
            print("caught KeyError", e)
        except ValueError:
            print("caught ValueError, stopping")
            return "stopped"

c = catcher()
print(next(c))
print(c.throw(KeyError("k1")))
print(c.throw(KeyError, "k2") if False else c.throw(KeyError("k2")))
try:
    c.throw(ValueError)
except StopIteration as e:
    print("StopIteration value", e.value)
try:
    c.throw(IndexError("after end"))
except IndexError as e:
    print("finished generator re-raises", e)

# throw into a just-created generator: it never runs
def never():
    print("never printed")
    yield 1
n = never()
try:
    n.throw(RuntimeError("early"))
except RuntimeError as e:
    print("early throw:", e)
print(list(n))

# an exception the generator does not catch propagates out of throw()
def plain():
    yield 1
    yield 2
p = plain()
next(p)
try:
    p.throw(ZeroDivisionError("zd"))
except ZeroDivisionError as e:
    print("propagated", e)
print(list(p))

# close: GeneratorExit at the yield, finally blocks run, closing twice is fine
def closable(name):
    try:
        yield 1
        yield 2
    except GeneratorExit:
        print(name, "got GeneratorExit")
        raise
    finally:
        print(name, "finally")

g = closable("a")
print(next(g))
g.close()
g.close()
print(list(g))
g = closable("b")
g.close()   # never started: nothing runs
print("b closed before start")

def returns_on_exit():
    try:
        yield 1
    except GeneratorExit:
        print("returning on GeneratorExit")
        return
g = returns_on_exit()
next(g)
g.close()

stop = False
def ignores_exit():
    while not stop:
        try:
            yield 1
        except GeneratorExit:
            print("ignoring GeneratorExit")
g = ignores_exit()
next(g)
try:
    g.close()
except RuntimeError as e:
    print("RuntimeError:", e)
stop = True
print(list(g))

def raises_in_finally():
    try:
        yield 1
    finally:
        raise ValueError("from finally")
g = raises_in_finally()
next(g)
try:
    g.close()
except ValueError as e:
    print("close raised", e)

# generator already executing
def selfish():
    yield next(me)
me = selfish()
try:
    next(me)
except ValueError as e:
    print("ValueError:", e)

# a generator that catches Exception does not catch GeneratorExit
def broad():
    try:
        yield 1
    except Exception:
        print("not reached")
    finally:
        print("broad finally")
b = broad()
next(b)
b.close()
print("done")
