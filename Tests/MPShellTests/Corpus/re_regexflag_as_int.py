# re.RegexFlag values are ints wherever ints go: arithmetic, indexing, flags arguments, compiled .flags
import re
print(re.I + 1, re.I * 2, re.I - 3, re.M // 3, re.I << 1, re.S >> 2, -re.I, +re.M, abs(re.I))
print(re.I < re.M, max(re.I, re.M), sorted([re.S, re.I, re.M]), sum([re.I, re.M]))
print([10, 20, 30][re.I], 'abcdef'[re.I:re.I * 2], list(range(re.I)))
print(hash(re.I) == hash(2), int(re.I) + int(re.M))
p = re.compile(r'^b.c$', re.I | re.M | re.S)
print(p.flags, type(p.flags).__name__, p.flags & re.I, bool(p.flags & re.M))
print(p.findall('x\nB\nC\nbxc'), re.findall('a.b', 'A\nB', flags=re.I | re.S))
print(re.compile('x', 2).flags, re.compile('x', re.A).flags, re.compile('x').flags)
print(re.sub('hello', 'bye', 'Hello HELLO', flags=re.IGNORECASE), re.split('x', 'aXbxc', flags=re.I))
flags = 0
for f in (re.I, re.M):
    flags |= f
print(flags, repr(flags), type(flags).__name__)
flags = re.NOFLAG
flags |= re.DOTALL
print(flags, re.search('a.c', 'A\nC', flags | re.I).group() == 'A\nC')
print(re.compile('A', re.I).search('xa').span(), bool(re.match('a', 'A', re.I)))
print(re.I.bit_length() if hasattr(re.I, 'bit_length') else 2)
