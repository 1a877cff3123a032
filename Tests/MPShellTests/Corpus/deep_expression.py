# Issue 20: an expression chain far beyond CPython's compile-time depth is RecursionError, not a stack overflow.
src = "x = " + "+".join(["1"] * 1_000_000)
try:
    exec(src)
    print("compiled")
except RecursionError as e:
    print("RecursionError", str(e).startswith("maximum recursion depth exceeded during compilation"))
src = "x = " + "+".join(["1"] * 500) + "\nprint(x)"
exec(src)
src = "y = a" + ".b" * 1_000_000
try:
    exec(src)
except RecursionError as e:
    print("RecursionError", str(e).startswith("maximum recursion depth exceeded during compilation"))
