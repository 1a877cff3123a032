# Pool.map of a def of one parameter takes a prepared call with one frame for the whole chunk; these are the
# functions that leave it or test its frame reuse: defaults, cells, *args, keyword-only parameters, a generator
# function, a raise mid-chunk, recursion, a local left unbound, a frame kept by a generator expression.
# Pool(1) where a worker's state across items matters, so the order of the items is fixed.
from multiprocessing import Pool


def square(x):
    return x * x + 1


def with_default(x, k=10):
    return x + k


def only_default(x=3):
    return x * 2


def star_args(*a):
    return len(a)


def keyword_only(x, *, k=5):
    return x * k


def with_cell(x):
    def add(y):
        return x + y
    return add(1)


def gen(x):
    yield x


def boom(x):
    if x == 5:
        raise ValueError('five', x)
    return x


def fact(n):
    return 1 if n < 2 else n * fact(n - 1)


def deep(n):
    return deep(n + 1)


def odd_only(x):
    if x % 2:
        y = x
    return y


def locals_used(x):
    a = x + 1
    b = a * 2
    return (a, b)


kept = []


def keep(x):
    kept.append(x * i for i in range(3))   # keeps this call's frame
    return sum(kept[-2]) if len(kept) > 1 else -1


def summed(x):
    return sum(i * x for i in range(4))     # the generator expression is gone when the call returns


if __name__ == '__main__':
    with Pool(2) as p:
        print(p.map(square, range(10)))
        print(p.map(square, [3, 2.5, -4], chunksize=3))
        print(p.map(with_default, range(5)))
        print(p.map(only_default, range(5)))
        print(p.map(star_args, range(3)))
        print(p.map(keyword_only, range(4)))
        print(p.map(with_cell, range(6), chunksize=3))
        print(p.map(fact, range(12), chunksize=4))
        print(p.map(locals_used, range(4), chunksize=4))
        print(p.map(summed, range(6), chunksize=6))
        try:
            p.map(gen, range(3))
        except Exception as e:
            print('generator:', type(e).__name__)
        try:
            p.map(boom, range(10), chunksize=10)
        except ValueError as e:
            print('boom:', e.args)
        print(p.map(boom, range(5), chunksize=5))
        try:
            p.map(deep, [1, 2], chunksize=2)
        except RecursionError as e:
            print('deep:', type(e).__name__)
        print(p.map(fact, [5, 6], chunksize=2))
    with Pool(1) as p:
        try:
            p.map(odd_only, [1, 3, 2, 5], chunksize=4)
        except UnboundLocalError as e:
            print('odd_only:', type(e).__name__)
        print(p.map(odd_only, [7, 9], chunksize=2))
        print(p.map(keep, range(6), chunksize=6))
        print(p.map(keep, range(10, 13), chunksize=3))
