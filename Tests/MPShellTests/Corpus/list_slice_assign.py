# Slice assignment to lists: contiguous and extended slices, same and different lengths, clamped bounds, the
# source being the list itself, iterables that are not sequences, and a generator that changes the list while
# its items are taken (the slice is then clamped to the list's new length, as CPython does).

def show(label, l):
    print(label, l)

perm = list(range(9))
for k in (0, 3, 8, 20):
    perm[:k + 1] = perm[k::-1]
    show("reverse prefix %d:" % k, perm)

l = list(range(6))
l[1:3] = ["a", "b", "c", "d"]; show("grow:", l)
l[1:5] = []; show("shrink:", l)
l[10:20] = [9]; show("past end:", l)
l[-100:1] = ["start"]; show("before start:", l)
l[3:1] = ["x"]; show("empty slice:", l)
l[:] = l; show("itself:", l)
l[::2] = l[1::2] + [0] * (len(l[::2]) - len(l[1::2])); show("extended:", l)
l[::-1] = l; show("reversed into itself:", l)
l[1:3] = (i * i for i in range(3)); show("generator:", l)
l[0:2] = "xy"; show("str:", l)
l[0:1] = {7: 0}; show("dict:", l)

for bad in ([1, 2], [1, 2, 3, 4]):
    try:
        m = list(range(6))
        m[::2] = bad
    except ValueError as e:
        print("ValueError:", e)
try:
    m[0:1] = 5
except TypeError as e:
    print("TypeError:", e)
try:
    m[::0] = []
except ValueError as e:
    print("ValueError:", e)
try:
    m["a":] = []
except TypeError as e:
    print("TypeError:", e)

l = list(range(10))
def clearing():
    l.clear(); yield 1; yield 2
l[2:5] = clearing(); show("cleared meanwhile:", l)
l = list(range(10))
def shortening():
    del l[3:]; yield 1; yield 2; yield 3
l[1:8] = shortening(); show("shortened meanwhile:", l)

class Idx:
    def __index__(self): return 2
l = list(range(5))
l[Idx():] = ["i"]; show("__index__ bound:", l)

def in_function():
    p = [1, 2, 3, 4, 5]
    k = 2
    while k:
        p[:k + 1] = p[k::-1]
        k = p[0] - 1 if p[0] > 1 else 0
    return p
print(in_function())

# slice bounds past 64 bits are clamped, steps as large as an int can be select one item (no overflow). (Not
# ranges: CPython's slice of a range keeps such bounds exactly, mpsh's range holds machine ints.)
import sys
big = sys.maxsize
for seq in ([1, 2, 3], (1, 2, 3), "abc", "aé€", b"abc", bytearray(b"abc")):
    print(seq[:10**30], seq[-10**30:2], seq[::10**30], seq[2::big], seq[1::-big], seq[::-10**30],
          seq[-big - 1::-big - 1], seq[big:], seq[-big - 1:])
print(memoryview(b"abc")[1::big].tolist(), memoryview(b"abc")[::-10**30].tolist())
l = [1, 2, 3]
l[10**30:] = [4]; print(l)
l[::big] = ["x"]; print(l)
del l[::-big]; print(l)
del l[-10**30:1]; print(l)
try:
    print([1][:1.5])
except TypeError as e:
    print("TypeError:", e)
class BadIndex:
    def __index__(self): return "no"
try:
    print([1][BadIndex():])
except TypeError as e:
    print("TypeError:", e)
print(range(10)[2:8:3], range(10, 0, -2)[::-1], range(5)[big:], range(-5, 5)[-big:big:2])
