# math.factorial, comb and perm with huge, negative and non-int arguments: CPython's answers and errors, quickly
# (issue 20). Results whose size is known to be beyond 2^28 bits raise MemoryError at once in mpsh (CPython would
# compute for minutes), so none is asked for here.
import math
cases = [
    "math.perm(2**31-1, -10**12)", "math.perm(-1, 2)", "math.perm(5, 2**63)", "math.perm(10**12, 3)", "math.perm(3)",
    "math.perm(3, None)", "math.perm(5, 0)", "math.perm(0, 0)", "math.perm(10**30, 2)", "math.perm(2**70, 1)",
    "math.perm(1.5, 2)", "math.perm(5, '2')", "math.perm(20, 10)", "math.perm(5, 6)", "math.perm(True, True)",
    "math.comb(2**31-1, -10**12)", "math.comb(-1, 2)", "math.comb(10**30, 2)", "math.comb(5, 10**30)",
    "math.comb(1.5, 2)", "math.comb(52, 5)", "math.comb(10**20, 10**20 - 2)", "math.comb(7, 0)", "math.comb(0, 0)",
    "math.comb(2**100, 3) % 1000003", "math.comb(1000, 500) % 10**9", "math.comb(5, -1)", "math.comb(2**64, 2**64)",
    "math.factorial(2**63)", "math.factorial(-1)", "math.factorial(-2**70)", "math.factorial(2.0)", "math.factorial(0)",
    "math.factorial(20)", "math.factorial(100) % 10**9 + 1", "len(str(math.factorial(1000)))", "math.factorial('5')",
]
for c in cases:
    try:
        print(c, '->', repr(eval(c)))
    except (ValueError, OverflowError, TypeError) as e:
        print(c, '->', type(e).__name__, e)
