# One `for` statement in a generator meeting ranges and other iterables in turn (a range loop keeps its int while
# suspended, an iterator loop its iterator), with break, else blocks that yield, and generators as sources.

def flatten(sources):
    for s in sources:
        for x in s:
            yield x

def numbers(n):
    for i in range(n):
        yield i * 10

print(list(flatten([range(3), [10, 11], range(5, 7), iter([20]), (30,), range(0), numbers(3), "ab", range(9, 3, -2)])))

def with_else(sources):
    for s in sources:
        for x in s:
            if x == "stop":
                break
            yield x
        else:
            yield ("else", s if isinstance(s, range) else type(s).__name__)

print(list(with_else([range(2), ["a", "stop", "b"], [1], range(3, 3), numbers(2)])))

def resumed_by_send():
    total = 0
    for src in (range(3), [100, 200]):
        for x in src:
            got = yield x
            total += got or 0
    return total

g = resumed_by_send()
print(next(g), g.send(1), g.send(2), g.send(3), g.send(4))
try:
    g.send(5)
except StopIteration as e:
    print("returned", e.value)

# a pipeline: each stage a generator pulling from the one before
def stage_square(it):
    for x in it:
        yield x * x

def stage_evens(it):
    for x in it:
        if x % 2 == 0:
            yield x

print(sum(stage_evens(stage_square(numbers(1000)))), sum(stage_evens(stage_square(range(1000)))))
