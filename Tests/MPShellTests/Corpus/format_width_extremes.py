# Format widths and precisions from huge or malformed numbers: CPython's ValueError / OverflowError /
# MemoryError, never a signal (issue 20); ordinary widths still pad by code point.
cases = [
    "f'{1:{10**12}}'", "format(1, '>1000000000000')", "format('a', '^1000000000000')", "format(1.5, '>1000000000000')",
    "format(10**30, '>1000000000000')", "'{:>99999999999}'.format(1)",
    "format(1, '.99999999999999999999')", "format(1, '99999999999999999999')", "format('a', '99999999999999999999')",
    "'{:.99999999999999999999}'.format(1.5)", "format(1.0, '.2147483648f')", "format(1.0, '.99999999999f')",
    "'%*d' % (10**12, 1)", "'%1000000000000d' % 1", "'%99999999999999999999d' % 1", "'%.99999999999f' % 1.0",
    "'%.*f' % (10**12, 1.0)", "'%*d' % (2**63, 1)", "'%.*s' % (10**12, 'ab')", "'%*s' % (-10**12, 'ab')",
    "'%*d|' % (-6, 42)", "'%*.*f|' % (9, 2, 3.14159)", "'%-*s|' % (4, 'x')", "'%.*s' % (-3, 'abc')",
    "len(format(1.0, '.100000f'))", "len(format(1.5, '.3000e'))", "len(format(2.5, '#.500g'))", "len('%.*f' % (5000, 1.0))",
    "format('e\u0301', '>3')", "format('é', '*^5')", "format(-42, '08')", "format(7, '=+6')", "'%05.1f' % -2.25",
    "format(2**70, '>30,')", "'ab'.center(7, 'é')", "'-5'.zfill(6)", "'é'.rjust(4, '-')", "'x'.ljust(3)",
    "'a'.center(10**12)", "'a'.ljust(10**12)", "'a'.rjust(10**12, '*')", "'a'.zfill(10**12)", "'a'.rjust(2**63)",
    "'a\\tb'.expandtabs(10**12)", "'a\\tb'.expandtabs(-2**40)", "'a\\tbc\\td'.expandtabs(3)", "'a\\tb'.expandtabs(-5)",
]
for c in cases:
    try:
        print(c, '->', repr(eval(c)))
    except (ValueError, OverflowError, MemoryError, TypeError) as e:
        print(c, '->', type(e).__name__, e)
