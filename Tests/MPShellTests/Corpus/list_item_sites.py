# l[i] with l a local and i a local or a literal: reads, writes, augmented writes and comparisons of items,
# including negative and out-of-range indexes, non-int items, unbound names and a value whose code changes the
# list (the fast paths must agree with the general ones, errors included).

def reads():
    l = [10, 20, 30]
    i = 1
    n = -1
    print(l[i], l[n], l[0], l[-3])
    t = (1, 2, 3)
    print(t[i], t[-1])
    for k in (3, -4, 10**20):
        try:
            print(l[k])
        except IndexError as e:
            print("IndexError:", e)
    try:
        print(l[1.0])
    except TypeError as e:
        print("TypeError:", e)
    b = True
    print(l[b], l[False])

def writes():
    l = [0, 0, 0]
    i = 2
    l[i] = "x"
    l[-1 + 0] = "y"
    m = -2
    l[m] = [1]
    print(l)
    for k in (3, -4):
        try:
            l[k] = 1
        except IndexError as e:
            print("IndexError:", e)
    d = {}
    k = 5
    d[k] = 1
    print(d)

def augmented():
    count = [3, 2, 1.5, "a", [1]]
    r = 0
    count[r] -= 1
    r = 2
    count[r] *= 2
    r = 3
    count[r] += "b"
    r = 4
    count[r] += [2]
    r = -5
    count[r] += 10**30
    print(count)
    try:
        r = 7
        count[r] += 1
    except IndexError as e:
        print("IndexError:", e)

class Shrinker:
    def __init__(self, l): self.l = l
    def __radd__(self, other):
        self.l.clear()
        return other + 100

def value_changes_list():
    l = [1, 2, 3]
    k = -1
    s = Shrinker(l)
    try:
        l[k] += s
    except IndexError as e:
        print("IndexError:", e, l)

def comparisons():
    count = [0, 1, 2, 3.5, "s", None]
    r = 1
    print(count[r] > 0, count[r] == 1, count[0] < count[r], count[r] + 1, count[r] * count[2])
    r = 3
    print(count[r] > 3, count[r] - 1)
    r = 4
    print(count[r] == "s")
    try:
        print(count[r] > 0)
    except TypeError as e:
        print("TypeError:", e)
    r = 5
    print(count[r] is None, count[r] == 0)
    big = [2**63 - 1]
    z = 0
    print(big[z] + 1, big[z] * 2 > big[z])
    n = 0
    while count[n] < 3 and n < 3:
        n += 1
    print(n)

def unbound():
    try:
        print(l[0])
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    l = [1]
    try:
        print(l[j])
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    j = 0
    print(l[j])

def rebinding():
    l = [1, 2, 3]
    i = 0
    total = 0
    for i in range(3):
        total += l[i] * 10
        l[i] = total
        if l[i] > 15:
            l = [7, 8, 9]
    print(total, l)

class ListSub(list):
    def __getitem__(self, i):
        return "sub"

def subclass():
    l = ListSub([1, 2])
    i = 0
    print(l[i], l[0])

reads(); writes(); augmented(); value_changes_list(); comparisons(); unbound(); rebinding(); subclass()
