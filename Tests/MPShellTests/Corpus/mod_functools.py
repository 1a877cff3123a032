import functools
from functools import partial, reduce
def power(base, exp):
    return base ** exp
square = partial(power, exp=2)
cube = functools.partial(power, exp=3)
print(square(5), cube(2), partial(power, 2)(10))
print(reduce(lambda a, b: a + b, [1, 2, 3, 4]), reduce(lambda a, b: a * b, range(1, 6), 1), functools.reduce(max, [3, 9, 2]))
@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80))
@functools.cache
def fact(n):
    return 1 if n == 0 else n * fact(n - 1)
print(fact(30))
def cmp(a, b):
    return (a > b) - (a < b)
print(sorted([3, 1, 2], key=functools.cmp_to_key(cmp)))
def deco(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return fn(*a, **k) * 2
    return wrapper
@deco
def seven():
    return 7
print(seven(), seven.__name__)
