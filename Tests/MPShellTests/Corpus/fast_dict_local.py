# A dict held by a local is used in place by d[k], d[k] = v and d.get(k, default) when the key expressions cannot
# rebind it; every other shape (:= in the key, non-dict locals, odd keys, errors) must behave as CPython.
def basics():
    d = {}
    for i in range(20):
        d[i % 3] = d.get(i % 3, 0) + i
    d[(1, 2)] = "tuple"
    d[2.5] = "float"
    d[None] = "none"
    k = (1, 2)
    print(d, d[k], d[2.5], d[None], d.get(k), d.get(9), d.get(9, "dflt"), d.get(1.0))
    try:
        d[[1]] = 0
    except TypeError as e:
        print("TypeError", e)
    try:
        print(d.get([1]))
    except TypeError as e:
        print("TypeError", e)
    try:
        print(d[99])
    except KeyError as e:
        print("KeyError", e)
    try:
        print(d[[2]])
    except TypeError as e:
        print("TypeError", e)

def walrus():
    d = {"a": 1}
    old = d
    d[(d := {"b": 2}) and "k"] = "v"
    print(old, d)
    e = {"x": 1}
    print(e.get((e := {"y": 2}) and "x", "gone"), e)

def not_dicts():
    d = [0, 1, 2]
    d[1] = "one"
    print(d, d[2])
    s = "abc"
    print(s[1])
    class G:
        def get(self, k, dflt=None):
            return ("G.get", k, dflt)
    g = G()
    print(g.get(1), g.get(1, 2))

def unbound():
    try:
        d[0] = 1
    except UnboundLocalError as e:
        print("UnboundLocalError", e)
    d = {}
    return d

def rebinding_between(n):
    d = {}
    for i in range(n):
        d[i] = i * i
        if i == 2:
            d = {"fresh": True}
    return d

basics()
walrus()
not_dicts()
print(unbound())
print(rebinding_between(5))
