# The cycle collector: garbage cycles are found and freed, live data is never touched, and gc's interface
# (collect, garbage with DEBUG_SAVEALL, callbacks, get_referents/get_referrers, is_tracked) answers as CPython's.
import gc

gc.collect()


class Node:
    def __init__(self, name):
        self.name = name
        self.next = None
        self.prev = None

    def link(self, other):
        self.next = other
        other.prev = self


# a ring of instances
first = Node("a")
cur = first
for i in range(9):
    n = Node(str(i))
    cur.link(n)
    cur = n
cur.link(first)
del first, cur, n
print("ring of 10:", gc.collect())

# containers that contain themselves
l = []
l.append(l)
del l
print("list in itself:", gc.collect())
d = {}
d["me"] = d
del d
print("dict in itself:", gc.collect())


# a recursive inner function is a cycle through its cell (CPython also counts the closure tuple)
def make():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact


f = make()
print("fact(10):", f(10))
del f
print("function and cell:", gc.collect() >= 2)


# an instance that keeps one of its own bound methods
class Button:
    def click(self):
        return "clicked"


b = Button()
b.on_click = b.click
del b
print("bound method:", gc.collect())

# a cycle through a tuple and a list
t = []
t.append((t,))
del t
print("through a tuple:", gc.collect())

# a cycle that is still reachable is left whole
keep = Node("keep")
keep.next = keep
keep.data = [1, 2, 3]
print("reachable:", gc.collect(), keep.next is keep, keep.data)

# two lists that share their items (a copy) referring back to an element that a variable still holds
x = Node("x")
a = [x]
b2 = list(a)
x.next = a
x.prev = b2
del a, b2
print("shared copy:", gc.collect(), x.name, len(x.next), len(x.prev), x.next[0] is x)
del x
print("then freed:", gc.collect())

# DEBUG_SAVEALL keeps the garbage in gc.garbage instead of freeing it
gc.set_debug(gc.DEBUG_SAVEALL)
l = [1]
l.append(l)
del l
print("saved:", gc.collect(), gc.garbage == [[1, gc.garbage[0]]] if gc.garbage else None)
gc.set_debug(0)
saved = gc.garbage[0]
print("saved list:", saved[0], saved[1] is saved)
gc.garbage.clear()
del saved
print("after clearing garbage:", gc.collect())

# callbacks see each collection start and stop
events = []
gc.callbacks.append(lambda phase, info: events.append((phase, info["generation"], info["collected"])))
r = Node("r")
r.next = r
del r
gc.collect()
print("callbacks:", events)
gc.callbacks.clear()

# what refers to what
inner = [1, 2]
outer = [inner, "s"]
print("referents:", sorted(map(repr, gc.get_referents(outer))))
print("referrers:", any(r is outer for r in gc.get_referrers(inner)), any(r is inner for r in gc.get_referrers(outer)))
print("tracked:", gc.is_tracked([]), gc.is_tracked(Node("n")), gc.is_tracked(1), gc.is_tracked("text"))
print("isenabled:", gc.isenabled())
try:
    gc.collect(3)
except ValueError as e:
    print("ValueError:", e)

# garbage made in a loop is collected without gc.collect(): the number of objects stays bounded
before = len(gc.get_objects())
for i in range(200000):
    p = Node(i)
    p.next = p
del p
print("bounded:", len(gc.get_objects()) - before < 100000)
gc.collect()
print("after:", len(gc.get_objects()) - before < 50)

# freeze(): what is alive now is left out of collections (CPython's permanent generation) until unfreeze()
frozen_ring = Node("frozen")
frozen_ring.next = frozen_ring
gc.freeze()
print("frozen:", gc.get_freeze_count() > 0)
del frozen_ring
print("a frozen cycle is kept:", gc.collect())
gc.unfreeze()
print("unfrozen:", gc.get_freeze_count(), gc.collect() >= 1)
