def g():
    yield 1
it = g()
print(next(it))
print(next(it, "exhausted"))
next(it)
