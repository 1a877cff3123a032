# match positions count code points in non-ASCII and astral text (and bytes), also on long subjects
import re

s = 'héllo wörld ' * 3 + '😀 smile 😀 end'
print([m.span() for m in re.finditer(r'\w+', s)][-5:])
print([(m.start(), m.end(), m.group()) for m in re.finditer('😀', s)])
m = re.search('(w.r)(ld)', s)
print(m.span(1), m.span(2), m.start(), m.end(), m.string is s, s[m.start():m.end()])
print(re.sub('o', lambda m: str(m.start()), 'éoéoo'), re.sub('l', lambda m: m.string[:1], 'ölla'))
big = 'é' + 'ab ' * 30000
print(sum(m.start() for m in re.finditer('ab', big)), re.search('ab $', big).span())
b = b'\xe9ab\xffab'
print([m.span() for m in re.finditer(b'ab', b)], re.search(b'\xff', b).start())
