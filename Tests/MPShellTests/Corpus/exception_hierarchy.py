tests = [
    (lambda: 1 / 0, ArithmeticError),
    (lambda: [][0], LookupError),
    (lambda: {}["x"], LookupError),
    (lambda: int("x"), ValueError),
    (lambda: None + 1, TypeError),
    (lambda: undefined_thing, NameError),
    (lambda: "".foo, AttributeError),
]
for fn, base in tests:
    try:
        fn()
    except base as e:
        print(type(e).__name__, "is a", base.__name__, "->", e)
for cls in [ZeroDivisionError, KeyError, IndexError, TimeoutError, NotImplementedError, RecursionError, StopIteration, KeyboardInterrupt, SystemExit, OverflowError, EOFError, UnboundLocalError]:
    print(cls.__name__, [c.__name__ for c in cls.__mro__[1:]])
