# v[k] op= value on a local list: the item is read before the value runs, the value may change the list
# (even empty it: IndexError at the store), ints overflow to big ints, strs and floats as CPython.
class M:
    def __init__(self, lst): self.lst = lst
    def __mul__(self, o):
        self.lst[0] = 100   # changes the item after it was read
        return 1
    def __rmul__(self, o): return self.__mul__(o)
v = [1, 2.5, 3]
m = M(v)
def f():
    w = v
    w[0] += m * 2
    print(w)
    w[1] -= 0.5 * 2
    w[-1] *= 3
    print(w)
    x = [1]
    try:
        x[3] += 1
    except IndexError as e:
        print("IndexError", e)
    s = ["a"]
    s[0] += "b"
    s[0] *= 2
    print(s)
    t = [2**62]
    t[0] += 2**62
    t[0] //= 3
    print(t)
    class Shrink:
        def __init__(self, l): self.l = l
        def __rmul__(self, o): self.l.clear(); return 1
    y = [5]
    try:
        y[0] += 2 * Shrink(y)
    except IndexError as e:
        print("IndexError", e)
f()
