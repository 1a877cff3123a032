def gen(n):
    for i in range(n):
        yield i
def sq(it):
    for x in it:
        yield x * x
def ev(it):
    for x in it:
        if x % 2 == 0:
            yield x
print(sum(ev(sq(gen(1000)))))
def echo():
    r = None
    while True:
        try:
            x = yield r
            r = x * 2
        except ValueError as e:
            r = 'caught %s' % e
        finally:
            print('fin')
g = echo(); print(next(g)); print(g.send(3)); print(g.throw(ValueError('v'))); g.close()
def outer():
    r = yield from gen(3)
    print('ret', r)
    x = yield from inner()
    print('inner ret', x)
def inner():
    a = yield 'a'
    print('got', a)
    return 42
o = outer(); print(list(o))
o = outer(); print(next(o), next(o), next(o), next(o))
try: o.send('S')

except StopIteration as e: print('stop', e.value)
class CM:
    def __enter__(self): print('enter'); return self
    def __exit__(self, *a): print('exit', a[0]); return False
def w():
    with CM() as c:
        yield 1
        yield 2
    yield 3
print(list(w()))
g = w(); next(g); del g
def r():
    try:
        yield 1
        return 5
    finally:
        print('finally r')
print(list(r()))
def stopper():
    yield 1
    raise StopIteration
try: print(list(stopper()))
except RuntimeError as e: print('RT', e)
def wl():
    i = 0
    while i < 3:
        yield i
        i += 1
    else:
        yield 'else'
print(list(wl()))
def brk():
    for i in range(10):
        if i == 3: break
        yield i
    else:
        yield 'no'
print(list(brk()))
def expr_yield():
    print((yield 1))
g = expr_yield(); next(g)
try: g.send('sent!')
except StopIteration: print('done')
# targets that are not names: attributes, subscripts, tuples
class Box: pass
def targets(b, d):
    b.x = yield 'attr'
    d['k'] = yield 'item'
    p, q = yield 'pair'
    yield (b.x, d['k'], p, q)
b, d = Box(), {}
g = targets(b, d); next(g); g.send(1); g.send(2); print(g.send((3, 4)))
# if / elif / else chains and nested loops with yields at several depths
def nest(n):
    for i in range(n):
        if i % 3 == 0:
            yield 'three', i
        elif i % 3 == 1:
            j = 0
            while j < i:
                yield 'w', i, j
                j += 2
        else:
            for k in 'ab':
                if k == 'b':
                    continue
                yield 'k', i, k
    yield 'end'
print(list(nest(6)))
# throw() caught inside nested loops, then the loops go on
def catcher():
    for i in range(3):
        for j in range(2):
            try:
                yield i, j
            except KeyError as e:
                print('caught at', i, j, repr(e))
g = catcher()
print(next(g), g.throw(KeyError('x')), next(g), g.throw(KeyError('y')))
print(list(g))
# several managers in one with, closed while suspended
class Named:
    def __init__(self, n): self.n = n
    def __enter__(self): print('enter', self.n); return self.n
    def __exit__(self, t, v, tb): print('exit', self.n, t.__name__ if t else None); return False
def managers():
    with Named('a') as a, Named('b') as b:
        yield a + b
        yield b + a
g = managers(); print(next(g)); g.close(); print('closed')
# a with whose __exit__ swallows the exception thrown in at the yield
class Swallow:
    def __enter__(self): return self
    def __exit__(self, *a): print('swallowed', a[0].__name__); return True
def swallowing():
    with Swallow():
        yield 1
    yield 'after'
g = swallowing(); next(g); print(g.throw(ValueError))
# try / except / else / finally around yields
def tef(fail):
    try:
        yield 'body'
        if fail:
            raise IndexError('boom')
    except IndexError as e:
        print('except', e)
    else:
        print('else')
    finally:
        print('finally')
    yield 'after'
print(list(tef(False)), list(tef(True)))
# return inside a loop inside try/finally
def early():
    try:
        for i in range(10):
            if i == 2:
                return 'early'
            yield i
    finally:
        print('cleanup')
g = early(); print(list(g))
try:
    g = early(); next(g); next(g); next(g)
except StopIteration as e:
    print('value', e.value)
# yield from a plain iterator: next for None, its send method for a value (list iterators have none)
def plain():
    r = yield from iter([1, 2])
    yield r
g = plain(); print(next(g), g.send(None), g.send(None))
g = plain(); next(g)
try:
    g.send('value')
except AttributeError as e:
    print('AttributeError', e)
# a generator whose yield is inside an expression still works beside them
def mixed():
    total = 0
    for i in range(3):
        total += (yield i) or 0
    yield total
g = mixed(); next(g); g.send(10); g.send(20); print(g.send(30))
# a yield inside an except block (the generator keeps its own exception state)
def in_except():
    try:
        raise KeyError('k')
    except KeyError:
        yield 'handling'
        raise
g = in_except(); print(next(g))
try:
    next(g)
except KeyError as e:
    print('reraised', e)
# gi_running and reentrancy
def reenter():
    yield g2.send(None)
g2 = reenter()
try:
    next(g2)
except ValueError as e:
    print('ValueError', e)
# for over a range into a local, suspended and resumed at each step (steps up and down, break, else, overflow)
def ranged(n):
    for i in range(n):
        got = yield i
        if got == 'stop':
            break
    else:
        yield 'else'
    for j in range(10, 0, -3):
        yield j
    for k in range(2**63 - 2, 2**63 - 1):
        yield k
print(list(ranged(3)))
g = ranged(5); print(next(g), next(g), g.send('stop'), list(g))
