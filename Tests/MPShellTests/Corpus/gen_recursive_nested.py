# recursive generators and generators driving generators
def walk(tree, depth=0):
    if isinstance(tree, list):
        for sub in tree:
            yield from walk(sub, depth + 1)
    else:
        yield (depth, tree)

print(list(walk([1, [2, [3, [4, [5]]]], 6])))

def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i in range(len(items)):
        for rest in permutations(items[:i] + items[i + 1:]):
            yield [items[i]] + rest
print(list(permutations([1, 2, 3])))
print(sum(1 for _ in permutations(list(range(6)))))

def hanoi(n, a, b, c):
    if n:
        yield from hanoi(n - 1, a, c, b)
        yield (a, c)
        yield from hanoi(n - 1, b, a, c)
print(len(list(hanoi(10, "A", "B", "C"))), list(hanoi(2, "A", "B", "C")))

def count_down(n):
    if n > 0:
        yield n
        yield from count_down(n - 1)
print(sum(count_down(200)))

# a pipeline of generators, each pulling from the one before
def source(n):
    for i in range(n):
        yield i
def square(it):
    for x in it:
        yield x * x
def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x
def take(it, k):
    for i, x in enumerate(it):
        if i >= k:
            return
        yield x
print(list(take(evens(square(source(1000))), 8)))
print(sum(evens(square(source(10000)))))

# interleaving two generators by hand
def letters():
    for c in "abcde":
        yield c
def numbers():
    n = 0
    while True:
        n += 1
        yield n
l, n = letters(), numbers()
print([(x, next(n)) for x in l])
print(next(n))

# recursion inside a generator's body, and a generator in a recursive function
def fact(k):
    return 1 if k <= 1 else k * fact(k - 1)
def facts():
    for k in range(0, 300, 50):
        yield len(str(fact(k)))
print(list(facts()))
def depth_sum(n):
    if n == 0:
        return 0
    return sum(x for x in range(n)) + depth_sum(n - 1)
print(depth_sum(300))

# deep recursion inside a generator ends in RecursionError, not a crash
def bottomless(n):
    return bottomless(n + 1) + 1
def runs_deep():
    yield 1
    yield bottomless(0)
g = runs_deep()
print(next(g))
try:
    next(g)
except RecursionError as e:
    print("RecursionError:", e)
print(list(g))

# the generator is usable after RecursionError in a function it called
def tries_deep():
    try:
        bottomless(0)
    except RecursionError:
        yield "caught inside"
    yield "still going"
print(list(tries_deep()))
