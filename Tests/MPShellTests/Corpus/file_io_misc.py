class A(object):
    def __init__(self, v):
        self.v = v
class B(A):
    def __init__(self, v):
        super(B, self).__init__(v + 1)
print(B(1).v)
try:
    raise ValueError("x") from None
except ValueError as e:
    print(e.__cause__)
with open("/tmp/_mpsh_corpus_tmp.txt", "w") as f:
    f.write("line1\nline2\n")
with open("/tmp/_mpsh_corpus_tmp.txt") as f:
    for line in f:
        print(line.rstrip())
with open("/tmp/_mpsh_corpus_tmp.txt") as f:
    print(f.read().split())
print("{:.2%}".format(0.1234), "{:>+8.2f}".format(3.14159), "%05.1f" % 2.345, "%-6s|" % "ab")
print(", ".join(map(str, [1, 2, 3])))
x = [1, 2, 3]
print(x.__len__(), "abc".__class__.__name__, (1).__class__)
print(sorted({3: "a", 1: "b"}.items()))
print(isinstance(x, list), type(x) == list)
def f(a, b=2, *args, c, d=4, **kw): return (a, b, args, c, d, kw)
print(f(1, c=3), f(1, 2, 3, 4, c=5, e=6))
print([i for i in range(3)] == list(range(3)), str(list(range(3))))
print(round(0.125, 2), round(0.375, 2), round(2.5e-5, 5), 1e-4, 0.00012)
import sys
print(len(sys.argv) == 1)
a = b = 5
print(a is b, -5 // 2, -5 % 2, 5 // -2, 2 ** 0.5, 10 ** -2, (-2) ** 2, -2 ** 2)
print(max(3, 1, key=lambda v: -v), min("b", "a"), sum([[1], [2]], []))
print("a" if [] else "b", [] or "default", 0 == False, "" == False)
print(list(reversed(range(5))), list(range(5))[::-1], [*range(3), *"ab"], {**{"a": 1}, "b": 2})
print(str(1.0), str(10.0**16), 1.23e-10, 123e45, float("1.5e-7"))
s = "hello"
print(s[1:3], s[-3:], s.center(11, "-"), s.count("l"), s.title())
print(int("  7 "), float(" 2.5 "), bool(""), chr(955), "\u03bb")
print(*"abc", sep="|")
print(divmod(-7, 2), divmod(7.5, 2), abs(-0.0), 7 // 2.0)
print(3 in {1: 2, 3: 4}, (1, 2) in [(1, 2)], "x" in ("x",))
