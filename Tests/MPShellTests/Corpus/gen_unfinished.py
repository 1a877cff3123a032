# generators left unfinished: dropped ones are closed (finally runs), many can be alive at once
def tracked(name, log):
    try:
        for i in range(10):
            yield i
    finally:
        log.append(name)

log = []
g = tracked("dropped", log)
next(g)
del g
print(log)

def first_of(name):
    return next(tracked(name, log))
print(first_of("temporary"), log)

for x in tracked("loop-break", log):
    if x == 2:
        break
print(log)

# 100,000 generators started and dropped
count = 0
for i in range(100000):
    h = tracked("many", [])
    count += next(h)
    h = None
print("started and dropped", count)

# 2,000 generators alive at once, each suspended at a different point
alive = [tracked(str(i), []) for i in range(2000)]
for i, a in enumerate(alive):
    for _ in range(i % 5 + 1):
        next(a)
print(sum(next(a) for a in alive))
alive = None

# an unfinished generator held in a structure keeps its state
class Holder:
    def __init__(self):
        self.gen = tracked("held", log)
h = Holder()
print(next(h.gen), next(h.gen))
print(next(h.gen))
h2 = h
del h
print(next(h2.gen))
print(log)
