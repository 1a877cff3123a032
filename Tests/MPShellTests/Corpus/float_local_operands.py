# Arithmetic and comparisons on local floats and float literals (the fast paths that read them in place) must
# give CPython's results: NaN and infinities, signed zeros, division by zero, mixed int/float operands, float
# subclasses and unbound locals.
import math

def arithmetic():
    x = 1.5; y = -0.0; z = 0.0; inf = math.inf; nan = math.nan
    print(x * y, y * y, x + y, y - z, z - y, x / 2.0, 2.5 - x, x * 1e308 * 10)
    print(inf - inf, inf * z, nan + x, -x % 0.7, x // 0.4, x ** 2.0)
    for a, b in ((x, z), (x, y), (z, z)):
        try:
            print(a / b)
        except ZeroDivisionError as e:
            print("ZeroDivisionError:", e)
    i = 3
    print(x * i, i * x, x + True, 2.0 * 3, 1e16 + 1.0 == 1e16)
    print(repr(0.1 + 0.2), 0.1 * 3, 1 / 3.0)

def comparisons():
    x = 1.5; nan = math.nan; y = -0.0; z = 0.0
    print(x < 2.0, x > 2.0, x <= 1.5, x >= 1.5, x == 1.5, x != 1.5)
    print(nan < x, nan > x, nan == nan, nan != nan, nan <= nan, y == z, y < z)
    n = 0
    while x < 100.0:
        x = x * 2.0
        n += 1
    print(n, x)
    if nan == nan:
        print("nan equal")
    else:
        print("nan not equal")
    i = 2
    print(x > i, 2 < x, x == 192)

class F(float):
    def __mul__(self, other):
        return "F.__mul__"
    def __lt__(self, other):
        return "F.__lt__"

def subclass():
    a = F(2.0); b = 3.0
    print(a * b, b * a, a < b, a + b, type(a + b).__name__)

def unbound():
    try:
        print(u * 2.0)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    try:
        if u < 1.0:
            pass
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    u = 1.0

def nbody_like():
    dt = 0.01
    bodies = [([0.0, 0.0, 0.0], [1.0, 0.5, 0.25], 10.0), ([1.0, 2.0, 3.0], [0.0, 0.1, 0.0], 1.0)]
    for _ in range(100):
        ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) = bodies
        dx = x1 - x2; dy = y1 - y2; dz = z1 - z2
        mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
        b1m = m1 * mag; b2m = m2 * mag
        v1[0] -= dx * b2m; v1[1] -= dy * b2m; v1[2] -= dz * b2m
        v2[0] += dx * b1m; v2[1] += dy * b1m; v2[2] += dz * b1m
        for (r, [vx, vy, vz], m) in bodies:
            r[0] += dt * vx; r[1] += dt * vy; r[2] += dt * vz
    print(bodies)

arithmetic(); comparisons(); subclass(); unbound(); nbody_like()

# ordering comparisons answer what the methods answer, reflected first for a subclass, NotImplemented passing
class Answer:
    def __init__(self, tag): self.tag = tag
    def __lt__(self, other): return "lt:" + self.tag
    def __ge__(self, other): return NotImplemented
class SubAnswer(Answer):
    def __gt__(self, other): return "gt:sub"
class I(int):
    def __lt__(self, other): return "I.__lt__"
    def __gt__(self, other): return NotImplemented
a, s = Answer("a"), SubAnswer("s")
print(a < 1, a < s, 1 > a, s > a, I(2) < 3, I(5) > 3, 3 < I(2))
for expr in ("a >= 1", "a <= 1", "1 <= a"):
    try:
        print(eval(expr))
    except TypeError as e:
        print("TypeError:", e)
print(a < 0 < 5, 1 < 2 > a, 5 < 2 < a, (a < 1) < "z")
class Falsy:
    def __bool__(self): return False
    def __repr__(self): return "Falsy()"
class Cmp:
    def __lt__(self, other): return Falsy()
c = Cmp()
print(c < 1, c < 1 < 2, 0 < 1 > c)
