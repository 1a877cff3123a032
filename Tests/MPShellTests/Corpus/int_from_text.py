# int() of text: blanks, signs, underscores only between digits (or right after a base prefix), base 0's rule
# against leading zeros, big values, and the errors CPython gives for everything else.
cases = [('1_000', 10), ('_1', 10), ('1_', 10), ('1__0', 10), ('0x_f', 16), ('0x_f', 0), (' 12 ', 10), ('+5', 10),
         ('-0', 10), ('\t-7\n', 10), ('\x0b8\x0c', 10), ('1 2', 10), ('', 10), ('-', 10), ('+', 10), ('  ', 10),
         ('99999999999999999999', 10), ('-9223372036854775808', 10), ('9223372036854775807', 10),
         ('010', 0), ('00', 0), ('0_0', 0), ('0b_1_0', 0), ('0o17', 0), ('12a', 10), ('z', 36), ('1_0', 2),
         ('0x', 16), ('0b2', 0), ('--1', 10), ('+-1', 10), ('1-', 10), ('٣', 10), ('١٢', 10), ('\u2003７\u2003', 10),
         ('²', 10), ('x', 10)]
for s, b in cases:
    try:
        print(repr(s), b, int(s, b))
    except ValueError as e:
        print(repr(s), b, 'ValueError:', e)
print(int("42"), int(" -42 "), int(b"17"), int("7" * 30))
for bad in ("4.5", "one", "0x10"):
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
x = None
y = []
print(x is None, x is not None, y is None, y is y, (lambda: 0) is None, None is None is None)
