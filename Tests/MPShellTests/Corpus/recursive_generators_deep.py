# Issue 20: generators that recurse through `yield from` 10^5 deep raise RecursionError (as CPython), promptly,
# and a moderately deep chain still works.
def g(n):
    if n == 0:
        yield 0
        return
    yield from g(n - 1)

print(list(g(300)))
try:
    print(list(g(100_000)))
except RecursionError as e:
    print("RecursionError", str(e).startswith("maximum recursion depth exceeded"))

def walk(n):
    if n:
        for x in walk(n - 1):
            yield x + 1
    else:
        yield 0

print(next(walk(200)))
try:
    next(walk(100_000))
except RecursionError:
    print("RecursionError again")
print("still running")
