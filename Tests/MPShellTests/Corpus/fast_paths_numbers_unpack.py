# The interpreter's fast paths for floats, in-place list updates, unpacking and instance construction must give
# exactly what the general paths give.

def arith(a, b):
    out = []
    for x, y in ((a, b), (b, a)):
        out.append((x + y, x - y, x * y))
        try:
            out.append(x / y)
        except ZeroDivisionError as e:
            out.append("ZeroDivisionError: " + str(e))
        out.append((x < y, x <= y, x > y, x >= y, x == y, x != y))
    return out


for a, b in [(1.5, 2), (3, 0.5), (0.0, 2.5), (2**53 + 1, 1.0), (-0.0, 0.0), (1e308, 1e308), (float("inf"), 1)]:
    print(arith(a, b))
nan = float("nan")
print(nan == nan, nan != nan, nan < 1.0, [nan + 1.0][0] != 0)
try:
    print(1.0 / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(1 / 0.0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)

# v[i] op= x on lists
v = [1, 2.5, 3, "s", [1]]
v[0] += 1
v[1] -= 0.5
v[-3] *= 2.0
v[3] += "t"
v[4] += [2]
v[0] //= 2
v[2] /= 4
print(v)
for bad in (10, -10):
    try:
        v[bad] += 1
    except IndexError as e:
        print("IndexError:", e)
w = [1, 2, 3]
try:
    w[2] += w.pop() + w.pop()
except IndexError as e:
    print("IndexError:", e, w)
big = [2**62]
big[0] += 2**62
big[0] *= 3
print(big)

# unpacking
a, b = 1, 2
[c, d] = [3, 4]
(e, (f, g)), h = (5, (6, 7)), 8
print(a, b, c, d, e, f, g, h)
a, b = b, a
print(a, b)
for bad in ((1, 2, 3), [1], "xy", range(2)):
    try:
        p, q = bad
        print("ok", p, q)
    except ValueError as err:
        print("ValueError:", err)
first, *rest = [1, 2, 3]
print(first, rest)
x = [0, 0]
x[0], x[1] = x[1] + 1, x[0] + 2
print(x)


# construction through a cached call site
class P:
    def __init__(self, x, y=0):
        self.x = x
        self.y = y


ps = [P(i) for i in range(3)] + [P(i, i) for i in range(3)]
print([(p.x, p.y) for p in ps])


class Bad:
    def __init__(self, x):
        self.x = x
        return x


for i in range(3):
    try:
        Bad(i)
        print("made", i)
    except TypeError as err:
        print("TypeError:", err)


def make(n):
    return [P(i) for i in range(n)]


print(len(make(5)))
P.__init__ = lambda self, x: setattr(self, "z", x * 10)
print([vars(p) for p in make(3)])


class Q(P):
    def __new__(cls, *args):
        print("new", args)
        return super().__new__(cls)


print([vars(q) for q in [Q(1), Q(2)]])
