# A task's exception reaches the parent with the worker's traceback as its __cause__ (RemoteTraceback), from
# apply, apply_async, map, starmap and imap; the cause's text is the worker's traceback between triple quotes.
import multiprocessing
from multiprocessing.pool import RemoteTraceback


def inner(x):
    return 10 // x


def f(x):
    return inner(x)


def add(a, b):
    if b == 0:
        raise ArithmeticError("b is zero")
    return a + b


def show(label, e):
    c = e.__cause__
    lines = str(c).splitlines()
    print(label, type(e).__name__, e)
    print("  cause:", type(c).__module__, type(c).__name__, isinstance(c, RemoteTraceback), isinstance(c, Exception))
    print("  first:", repr(lines[0]), repr(lines[1]), "last:", repr(lines[-1]))
    print("  tb attr is str:", c.tb == str(c), "args:", c.args == (c.tb,))
    here = __file__.rsplit("/", 1)[-1]
    print("  frames:", [l.split()[-1] for l in lines if l.strip().startswith("File") and here in l])
    print("  final:", lines[-2])


if __name__ == "__main__":
    with multiprocessing.Pool(2) as p:
        for label, call in [
            ("apply", lambda: p.apply(f, (0,))),
            ("apply_async", lambda: p.apply_async(f, (0,)).get(timeout=30)),
            ("map", lambda: p.map(f, [1, 2, 0, 5])),
            ("map_async", lambda: p.map_async(f, [0]).get(30)),
            ("starmap", lambda: p.starmap(add, [(1, 2), (3, 0)])),
            ("imap", lambda: list(p.imap(f, [3, 0]))),
            ("imap_unordered", lambda: list(p.imap_unordered(f, [0]))),
        ]:
            try:
                call()
            except Exception as e:
                show(label, e)
        print(p.map(f, [1, 2, 5]))
