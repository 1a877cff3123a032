# Repetition of sequences by huge, zero and negative counts, and true division at the 64-bit limits: CPython's
# MemoryError / OverflowError, never a signal or a loop that does not end.
for expr in ["() * 2**53", "[] * 2**62", "[1] * 2**40", "[1, 2] * 2**62", "'ab' * 2**62", "b'ab' * 2**62", "(1,) * 2**61", "1 / -2**63", "-2**63 / 3", "(-2**63) / (-2**63)", "[1, 2] * 3", "'ab' * -1", "[0] * 0"]:
    try:
        r = eval(expr)
        print(expr, '->', r if not isinstance(r, (list, tuple)) or len(r) < 10 else len(r))
    except MemoryError:
        print(expr, '-> MemoryError')
    except OverflowError as e:
        print(expr, '-> OverflowError', e)
x = [1, 2]
x *= 3
print(x)
