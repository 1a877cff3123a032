def read_lines():
    for line in ["a 1", "b 2", "", "c 3"]:
        yield line
def non_empty(lines):
    for l in lines:
        if l:
            yield l
def parse(lines):
    for l in lines:
        k, v = l.split()
        yield k, int(v)
pipeline = parse(non_empty(read_lines()))
print(dict(pipeline))
def take(n, it):
    for i, x in enumerate(it):
        if i >= n:
            return
        yield x
def naturals():
    n = 0
    while True:
        yield n
        n += 1
print(list(take(5, naturals())), sum(take(100, naturals())))
gen = (x * x for x in range(4))
print(type(gen).__name__, list(gen), list(gen))
def gen_finally():
    try:
        yield 1
        yield 2
    finally:
        print("gen cleanup")
for v in gen_finally():
    print(v)
