# Iterating a dict's views: keys, values and items in insertion order, `for k, v in d.items()` into two locals,
# into other targets, break/else/continue, values replaced during the loop (allowed), and CPython's RuntimeErrors
# when keys are added or removed (a changed size, or the same size with other keys).
d = {"b": 1, "a": 2, 3: "c"}
for k, v in d.items(): print(k, v)
for k in d.keys(): print(k, end=" ")
print()
for v in d.values(): print(v, end=" ")
print()
for kv in d.items(): print(kv)
class O: pass
o = O()
for o.k, o.v in d.items(): pass
print(o.k, o.v)
def f():
    total = 0
    for k, v in {i: i * i for i in range(10)}.items():
        if k == 7: break
        if k % 2: continue
        total += v
    else:
        print("no break")
    for k, v in {}.items(): pass
    else:
        print("empty else")
    return total, k
print(f())
def g(e):
    for k, v in e.items():
        e[k] = v * 10
    return e
print(g({1: 1, 2: 2}))
for bad in ["add", "delete", "swap"]:
    e = {1: 1, 2: 2}
    try:
        for k, v in e.items():
            if bad == "add": e[9] = 9
            elif bad == "delete": del e[k]
            else: del e[k]; e[k + 100] = 0
    except RuntimeError as x: print(bad, x)
    try:
        for k in e.keys():
            if bad == "add": e[k * 7] = 9
            else: del e[k]; e[k + 1000] = 0
    except RuntimeError as x: print(bad, x)
def h():
    for k, v in {"x": 1}.items():
        return k, v
print(h())
print(list({1: 2}.items()), sorted({"z": 1, "y": 2}.items()), dict(x for x in {1: 2}.items()))
