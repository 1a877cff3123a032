# The evaluator's fast paths and the cases that must leave them: int operands that stop being ints, unbound
# locals, a return inside try/finally, `+= "literal"` on names that do not hold a str, str()/len() and module
# functions rebound after their call sites have cached them.

def arith(a, b):
    return a - 1, a + b, a * 2, a % 7, a // 3, 2 - a, a < b, a == 1

print(arith(5, 6))
print(arith(5.5, 2))
print(arith(2 ** 70, 1))
print(arith(-9, 10))
print(arith(9223372036854775807, 1))


def unbound():
    if False:
        x = 1
    return x + 1


try:
    unbound()
except UnboundLocalError as e:
    print("UnboundLocalError", e)


def compare_kinds(n):
    # one comparison node sees an int, a float and a str
    out = []
    for v in (n, float(n), str(n)):
        if isinstance(v, str):
            out.append(v < "5")
        else:
            out.append(v < 5)
    return out


print(compare_kinds(3), compare_kinds(7))


def ret_finally(n):
    try:
        return n * 2
    finally:
        if n > 2:
            return -n


print(ret_finally(1), ret_finally(5))


def ret_in_loop(xs):
    for x in xs:
        if x > 2:
            return x
    return None


print(ret_in_loop([1, 2, 3, 4]), ret_in_loop([]))


def app(s):
    s += "-"
    s += "x"
    return s


def app_list(l):
    l += "ab"
    return l


print(app("a"), app_list([1]))
try:
    app(3)
except TypeError as e:
    print("TypeError", e)

g = "m"
g += "-"
print(g)


def strs(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
        s += "-"
    return s, len(s)


print(strs(12))


def use_builtins(i):
    return str(i), len(str(i))


print(use_builtins(5))
str = lambda x: "patched"
len = lambda x: -1
print(use_builtins(5))
del str
del len
print(use_builtins(300))


def f1(n):
    return n + 1


def caller(n):
    return f1(n)


print(caller(1))


def f1(n):
    return n + 100


print(caller(1))


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(15))


def squares(n):
    for i in range(n):
        yield i * i
    return


print(list(squares(5)), sum(x for x in range(5)), list(squares(3)))


def deep(n):
    return 0 if n == 0 else 1 + deep(n - 1)


try:
    deep(100000)
except RecursionError:
    print("RecursionError")
print(deep(50))
