# enumerate in for loops (two local targets take the pairs without a tuple each) and as an iterator: start
# values, a count past 2**63, break/else/continue/return, a list that grows while it is walked, generators,
# targets that are not two locals, and errors raised by the source on the for line.
import sys

def basics():
    out = []
    for i, x in enumerate("abc"):
        out.append((i, x))
    for i, x in enumerate([10, 20, 30], start=5):
        out.append(i * x)
    for i, x in enumerate([], 3):
        out.append("never")
    else:
        out.append("else ran")
    print(out)

def flow():
    for i, x in enumerate(range(10)):
        if i % 2:
            continue
        if x > 6:
            break
        print(i, end=" ")
    else:
        print("no break")
    print()
    def find(seq, target):
        for i, x in enumerate(seq):
            if x == target:
                return i
        return -1
    print(find("hello", "l"), find("hello", "z"))

def growing():
    l = [1, 2, 3]
    for i, x in enumerate(l):
        if i < 3:
            l.append(x * 10)
    print(l)

def big_count():
    for i, x in enumerate("ab", sys.maxsize):
        print(i, x, type(i).__name__)
    e = enumerate("xyz", -2)
    print(next(e), next(e), list(e))

def other_targets():
    pairs = [(1, 2), (3, 4)]
    for i, (a, b) in enumerate(pairs):
        print(i, a + b)
    d = {}
    for d["k"], x in enumerate("pq"):
        pass
    print(d, x)
    for t in enumerate("uv"):
        print(t)
    print([i * x for i, x in enumerate([3, 4, 5])], dict(enumerate("ab")))
    global gi, gx
    for gi, gx in enumerate("gh"):
        pass
    print(gi, gx)

def generators():
    def gen():
        yield "a"
        yield "b"
        raise ValueError("source failed")
    try:
        for i, x in enumerate(gen()):
            print(i, x)
    except ValueError as e:
        print("ValueError:", e)
    def pairs():
        for i, x in enumerate(range(3)):
            yield i + x
    print(list(pairs()))

def errors():
    try:
        for i, x in enumerate(5):
            pass
    except TypeError as e:
        print("TypeError:", e)
    try:
        enumerate([1], "a")
    except TypeError as e:
        print("TypeError:", e)

basics(); flow(); growing(); big_count(); other_targets(); generators(); errors()
