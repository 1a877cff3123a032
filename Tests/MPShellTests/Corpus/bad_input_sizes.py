# Issue 20: sizes and counts from the program are checked and raise CPython's exception, never kill the process.
def attempt(label, f):
    try:
        r = f()
        print(label, "->", r)
    except (MemoryError, OverflowError, ValueError, TypeError) as e:
        print(label, "->", type(e).__name__, e)

attempt("bytes(-1)", lambda: bytes(-1))
attempt("bytes(10**12)", lambda: bytes(10**12))
attempt("bytes(2**62)", lambda: bytes(2**62))
attempt("bytearray(10**11)", lambda: bytearray(10**11))
attempt("bytearray(-5)", lambda: bytearray(-5))
attempt("list(range(10**12))", lambda: list(range(10**12)))
attempt("tuple(range(10**13))", lambda: tuple(range(10**13)))
attempt("list(range(-2**63, 2**63))", lambda: list(range(-2**63, 2**63)))
attempt("len(range(-2**63, 2**63-1))", lambda: len(range(-2**63, 2**63-1)))
attempt("[0]*10**12", lambda: [0] * 10**12)
attempt("'ab'*10**12", lambda: 'ab' * 10**12)
attempt("bytes(3)", lambda: bytes(3))
attempt("list(reversed(range(3, 20, 4)))", lambda: list(reversed(range(3, 20, 4))))
attempt("list(reversed(range(0)))", lambda: list(reversed(range(0))))
attempt("pow(2, -1, 7)", lambda: pow(2, -1, 7))
attempt("pow(3, -2, 11)", lambda: pow(3, -2, 11))
attempt("pow(2, -1, 4)", lambda: pow(2, -1, 4))
attempt("len('\\ud800')", lambda: len('\ud800'))
attempt("str(10**5000)", lambda: len(str(10**5000)))
attempt("int('9'*5000)", lambda: int('9' * 5000))
