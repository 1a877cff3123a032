# `s += x` appends in place when the string is held only by that variable: every other holder must still see the
# old value (strings are immutable), and len counts code points.
s = "ab"
t = s
s += "cd"
print(s, t, s is t)
lst = [s]
s += "ef"
print(s, lst)
d = {"k": s}
s += "gh"
print(s, d)

def build(n):
    s = ""
    keep = []
    for i in range(n):
        s += str(i % 10)
        if i % 4 == 0:
            keep.append(s)
        s += "-"
    return s, keep

print(build(9))
g = "G"
def add_global(x):
    global g
    g += x
    return g
h = g
print(add_global("1"), add_global("2"), h, g)

def closure():
    acc = "c"
    def inner(x):
        nonlocal acc
        acc += x
        return acc
    return inner

f = closure()
saved = f("1")
print(f("2"), saved)
u = "héllo wörld ✓ 😀 日本"
print(len(u), len(""), len("a"), len("😀😀"), len(u + "x"))
v = ""
for ch in u:
    v += ch
print(v == u, len(v), v)
w = "x"
w2 = w
w += w
w += w2
print(w, w2)
n = 0
n += 1
n += 2.5
print(n)
lst2 = [1]
lst3 = lst2
lst2 += [2]
print(lst2, lst3, lst2 is lst3)
tup = (1,)
tup2 = tup
tup += (2,)
print(tup, tup2)
