# `s += ...` on a local str inside loops (the evaluator keeps such a local in a byte buffer while the loop runs):
# the value after normal ends, break, return, exceptions raised and caught, nested loops, generators; operands
# that are not strs (TypeError), names that are not strs, str subclasses, unicode, and loops that also read the
# name (which must see every append).


def digits(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
        s += "-"
    return s


print(digits(0), repr(digits(1)), digits(12), len(digits(1000)))


def counting_while(n):
    s = "start:"
    i = 0
    while i < n:
        s += str(i)
        i += 1
    else:
        s += "|else"
    return s


print(counting_while(5))


def with_break(words):
    out = ""
    for w in words:
        if w == "stop":
            break
        out += w
        out += " "
    return out


print(repr(with_break(["a", "bb", "stop", "ccc"])))


def with_return(words):
    s = ">"
    for w in words:
        s += w
        if len(w) > 2:
            return "early"
    return s


print(with_return(["x", "y"]), with_return(["x", "long", "z"]))


def raising(items):
    s = ""
    try:
        for x in items:
            s += x
    except TypeError as e:
        print("TypeError:", e)
    return s


print(repr(raising(["ab", "cd", 5, "ef"])))


def raising_uncaught(items):
    s = "pre"
    for x in items:
        s += x
    return s


def call_raising():
    try:
        raising_uncaught(["q", None])
    except TypeError as e:
        print("TypeError:", e)


call_raising()


def caught_inside(items):
    s = ""
    for x in items:
        try:
            s += x
        except TypeError:
            s += "?"
    return s


print(caught_inside(["a", 1, "b", [2], "c"]))


def nested(rows):
    s = ""
    for r in rows:
        for c in r:
            s += c
        s += "/"
    return s


print(nested([["a", "b"], [], ["c"]]))


def inner_only(rows):
    total = []
    for r in rows:
        line = ""
        for c in r:
            line += c
        total.append(line)
    return total


print(inner_only([["x", "y"], ["z"], []]))


def unicode_text():
    s = "é"
    for ch in ["ß", "漢", "😀", "", "a"]:
        s += ch
        s += "·"
    return s


u = unicode_text()
print(u, len(u), u[3], u[-2:], u.upper())


def not_a_str_at_first(n):
    acc = 0
    for i in range(n):
        acc += i
    lst = []
    for i in range(n):
        lst += [i]
    return acc, lst


print(not_a_str_at_first(4))


def becomes_str():
    x = None
    for i in range(3):
        try:
            x += "a"
        except TypeError as e:
            print("TypeError:", e)
            x = ""
    return x


print(repr(becomes_str()))


class Tagged(str):
    pass


def subclass_left():
    s = Tagged("t")
    for x in ["1", "2"]:
        s += x
    return s, type(s).__name__


def subclass_right():
    s = "s"
    for x in [Tagged("1"), "2", Tagged("3")]:
        s += x
    return s, type(s).__name__


print(subclass_left(), subclass_right())


def reads_inside(n):
    # the loop reads the name: every append must be visible at once
    s = ""
    lengths = []
    for i in range(n):
        s += "ab"
        lengths.append(len(s))
    return s, lengths


print(reads_inside(3))


def reads_in_condition():
    s = ""
    while len(s) < 7:
        s += "xyz"
    return s


print(reads_in_condition())


def reads_in_comprehension():
    s = ""
    seen = []
    for i in range(3):
        s += str(i)
        seen.append([c for c in s])
    return seen


print(reads_in_comprehension())


def captured():
    s = ""
    show = lambda: s
    shown = []
    for i in range(3):
        s += str(i)
        shown.append(show())
    return shown


print(captured())


def two_names():
    a = ""
    b = "b:"
    for i in range(4):
        a += str(i)
        if i % 2:
            b += a
    return a, b


print(two_names())


def self_append():
    s = "x"
    for _ in range(3):
        s += s
    return s


print(self_append())


def gen(words):
    s = ""
    for w in words:
        s += w
        yield w
    yield "total=" + s


print(list(gen(["p", "q", "r"])))


def gen_abandoned():
    s = ""
    for i in range(100):
        s += str(i)
        yield i


g = gen_abandoned()
print(next(g), next(g))
del g


def recursion(n):
    s = ""
    for i in range(n):
        s += recursion(i) + "."
    return s + str(n)


print(recursion(4))


def del_inside():
    s = ""
    for i in range(2):
        s += "z"
        del s
        s = "fresh"
    return s


print(del_inside())


def big_numbers():
    s = ""
    for v in [0, -1, 7, -42, 2 ** 63 - 1, -(2 ** 63), 2 ** 64, -(10 ** 30), True, 1.5]:
        s += str(v)
        s += ","
    return s


print(big_numbers())


def unbound_name():
    for i in range(2):
        s += "a"
    return s


try:
    unbound_name()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)

s_global = ""
for i in range(3):
    s_global += str(i)
print(s_global)


def counters(words):
    # locals the loop only adds to, but that hold no str: an int, a float, a list, a big int
    n = 0
    total = 0.5
    seen = []
    big = 2 ** 62
    for w in words:
        n += 1
        total += len(w)
        seen += [w]
        big += 2 ** 62
    return n, total, seen, big


print(counters(["ab", "c", "def"]))


def str_of_ints(values):
    s = "="
    for v in values:
        s += str(v)
    return s


print(str_of_ints([5, -5, 10, -10, 0, 123456789, -9223372036854775807 - 1, 9223372036854775807, 2 ** 80, False]))


def str(x):
    return "<" + repr(x) + ">"


print(str_of_ints([1, 2, -3]))
del str
print(str_of_ints([4, 5]))
