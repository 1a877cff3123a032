# int.to_bytes with huge, negative and exact lengths, and str.split with extreme maxsplit: CPython's answers and
# errors (issue 20).
cases = [
    "(5).to_bytes(10**18, 'big')", "(5).to_bytes(2**63-1, 'big')", "(5).to_bytes(2**63, 'big')", "(5).to_bytes(-1, 'big')",
    "(256).to_bytes(1, 'big')", "(5).to_bytes(2, 'middle')", "(-1).to_bytes(4, 'big', signed=True)",
    "(-129).to_bytes(2, 'little', signed=True)", "(-128).to_bytes(1, 'big', signed=True)", "(-129).to_bytes(1, 'big', signed=True)",
    "(128).to_bytes(1, 'big', signed=True)", "(-1).to_bytes(2, 'big')", "(0).to_bytes(0, 'big')", "(-1).to_bytes(0, 'big', signed=True)",
    "(2**64 - 1).to_bytes(8, 'little')", "(-2**63).to_bytes(8, 'big', signed=True)", "(2**70 + 5).to_bytes(12, 'big')",
    "(-2**70 - 5).to_bytes(12, 'little', signed=True)", "len((1).to_bytes(10**6, 'big'))", "(1).to_bytes(10**6, 'little')[:3]",
    "'abc'.split('b', 2**63-1)", "'abc'.split('b', 2**63)", "'a b c'.split(None, -2**63)", "'abc'.split('b', 10**30)",
    "'a b c'.split(None, 2**63-1)", "'a,b,c'.rsplit(',', 2**63-1)", "'a,b,c'.split(',', 1)", "'a,b,c'.rsplit(',', 1)",
    "'a,b,c'.split(',', 0)", "'a,b,c'.split(',', -5)",
]
for c in cases:
    try:
        print(c, '->', repr(eval(c)))
    except (ValueError, OverflowError, MemoryError, TypeError) as e:
        print(c, '->', type(e).__name__, e)
