# contextlib: contextmanager (enter value, cleanup, exceptions thrown into the generator, as a decorator),
# suppress, closing, nullcontext, ExitStack (LIFO, suppression, pop_all, callback), and the RuntimeErrors
from contextlib import contextmanager, suppress, closing, nullcontext, ExitStack, redirect_stdout
import contextlib
import io
import sys

@contextmanager
def tag(name):
    print("<%s>" % name)
    try:
        yield name.upper()
    finally:
        print("</%s>" % name)

with tag("a") as t:
    print("inside", t)
with tag("outer"):
    with tag("inner"):
        print("nested")
try:
    with tag("err"):
        raise KeyError("k")
except KeyError as e:
    print("propagated", repr(e))

@contextmanager
def swallow():
    try:
        yield
    except ValueError as e:
        print("swallowed", e)
with swallow():
    raise ValueError("boom")
print("after swallow")

@contextmanager
def transform():
    try:
        yield
    except ZeroDivisionError:
        raise ArithmeticError("transformed")
try:
    with transform():
        1 / 0
except ArithmeticError as e:
    print(type(e).__name__, e)

@tag("deco")
def decorated(x):
    print("running", x)
    return x * 2
print(decorated(1), decorated(2))

@contextmanager
def noyield():
    if False:
        yield
@contextmanager
def twice():
    yield 1
    yield 2
for cm in (noyield, twice):
    try:
        with cm():
            pass
    except RuntimeError as e:
        print("RuntimeError", e)

with suppress(KeyError, IndexError):
    {}["x"]
print("suppressed")
try:
    with suppress(KeyError):
        [][1]
except IndexError as e:
    print("not suppressed", e)

class Res:
    def __init__(self, n): self.n = n
    def close(self): print("close", self.n)
    def __enter__(self): print("enter", self.n); return self
    def __exit__(self, *a): print("exit", self.n, a[0].__name__ if a[0] else None); return False
with closing(Res(1)) as r:
    print("using", r.n)
with nullcontext(5) as v:
    print("null", v)
with nullcontext() as v:
    print("null", v)

with ExitStack() as stack:
    rs = [stack.enter_context(Res(i)) for i in range(3)]
    stack.callback(print, "callback", "args", sep="|")
    print("body", [r.n for r in rs])
try:
    with ExitStack() as stack:
        stack.enter_context(Res(9))
        stack.push(lambda *a: print("push sees", a[0].__name__))
        raise TypeError("in body")
except TypeError as e:
    print("caught", e)
with ExitStack() as stack:
    stack.push(lambda *a: True)
    raise ValueError("suppressed by push")
print("after suppress push")
with ExitStack() as stack:
    stack.callback(print, "moved")
    other = stack.pop_all()
print("before close")
other.close()
try:
    with ExitStack() as stack:
        stack.callback(lambda: 1 / 0)
except ZeroDivisionError as e:
    print("callback raised", e)
try:
    ExitStack().enter_context(5)
except TypeError as e:
    print(e)

buf = io.StringIO()
with redirect_stdout(buf):
    sys.stdout.write("captured\n")
print(repr(buf.getvalue()), sys.stdout is sys.__stdout__)
with tag("last"):
    raise RuntimeError("final")
