# A compiled str pattern's flags include re.UNICODE unless re.ASCII is given (CPython's).
import re
for p, f in [('a', 0), ('a', re.I), ('a', re.I | re.M), ('a', re.A), ('a', re.ASCII | re.I), ('a', re.U), ('a', re.S | re.X)]:
    print(repr(p), int(f), re.compile(p, f).flags)
print(int(re.I | re.S), int(re.I & 2), re.compile('a', 2).flags & 2, re.match('A', 'a', re.I | re.M) is not None)
