# re: the matcher's semantics where engines differ, each case chosen by hand: leftmost match with alternatives
# in order, groups inside repeats (last iteration), lastindex and lastgroup, empty matches in findall, finditer,
# sub and split (Python 3.7+), $ before a final newline, pos and endpos, Unicode classes and case, lookaround
# keeping its groups, atomic groups and possessive repeats, conditionals, backreferences, re.error's messages,
# and subjects long enough that a recursive matcher would overflow the stack.
import re


def show(m):
    if m is None:
        return None
    return (m.span(), m.group(), m.groups(), m.lastindex, m.lastgroup)


cases = [
    ('a|ab', 'ab'), ('ab|a', 'ab'), ('(a|ab)(c|bcd)(d*)', 'abcd'), ('(a*)*', 'b'), ('(a*)+', 'b'), ('(a|)*', 'aab'),
    ('(?:(a)|b)*', 'ab'), ('(?:(a)|(b))*', 'ab'), ('(a)|(b)', 'b'), ('((a)b)', 'ab'), ('(a)(b)?', 'a'),
    ('(?P<x>a)(?P<y>b)?', 'ab'), ('(a)*?b', 'aab'), ('(a+?)(a*)', 'aaa'), ('(a{2,3}?)(a*)', 'aaaa'),
    ('x*', 'axxb'), ('(?:x*)*y', 'xxy'), ('(\\w+)\\s+\\1', 'hello hello world'), ('(?i)(a)\\1', 'aA'),
    ('(?=(\\w+))\\w', 'abc'), ('(?<=(a))b', 'ab'), ('(?!(a))\\w', 'ab'), ('(?>a+)b', 'aaab'), ('(?>a+)a', 'aaa'),
    ('a++a', 'aaa'), ('(?:ab)++c', 'ababc'), ('(a)?(?(1)b|c)', 'c'), ('(a)?(?(1)b|c)', 'ab'),
    ('(?P<q>[\'"]).*?(?P=q)', 'say "hi" now'), ('^$', ''), ('$', 'a\n'), ('a$', 'a\n'), ('a\\Z', 'a\n'),
    ('(?m)^\\w', 'a\nb\nc'), ('(?m)\\w$', 'a\nb\nc\n'), ('\\bfoo\\b', 'a foo.'), ('\\B', ''), ('\\b', ''),
    ('\\d+', 'x ٣٤ 12'), ('\\w+', 'naïve café'), ('(?a)\\w+', 'naïve'), ('\\s+', 'a\x1c\x1fb\u2003c'),
    ('(?i)ǅ', 'ǆ Ǆ'), ('(?i)k', '\u212a'), ('(?i)[a-z]+', 'ſTRASSE'), ('(?i)straße', 'STRASSE'), ('(?i)ß', 'ẞ'),
    ('[^\\W\\d_]+', 'ab_12cd'), ('[]-a]+', ']-a'), ('\\x41\\u00e9\\U0001F600', 'Aé😀'),
    ('.', '\n'), ('(?s).', '\n'), ('a.c', 'a😀c'), ('😀+', '😀😀x'), ('[😀-😂]', 'x😁'),
]
for pat, s in cases:
    print(repr(pat), repr(s), show(re.search(pat, s)), re.findall(pat, s))

for pat, s in [('x*', 'axxb'), ('\\b', 'ab cd'), ('', 'abc'), ('a|', 'bab'), ('(?=b)|b', 'abc'), ('\\s*', 'a b')]:
    print(repr(pat), re.findall(pat, s), [m.span() for m in re.finditer(pat, s)],
          re.sub(pat, '-', s), re.subn(pat, '-', s, count=2), re.split(pat, s))

p = re.compile(r'(\w)(\d)?')
print(re.split(r'(,)|(;)', 'a,b;c'), re.split(r',', 'a,b,c', maxsplit=1), re.split(r'x*', 'axbc'))
print(p.sub(r'\2\1', 'a1b2c'), p.sub(lambda m: m.group(1).upper(), 'a1b'), p.sub(r'\g<0>!', 'ab'))
print(p.search('..a1', 2), p.search('..a1', 3), p.search('a1b2', 0, 1), p.match('xa1', 1), p.fullmatch('a1', 0, 2))
print(show(re.compile('^a').search('ba', 1)), show(re.compile('(?m)^a').search('b\na', 1)), show(re.compile('a$').search('ab', 0, 1)))
m = p.search('  a1')
print(m.pos, m.endpos, m.regs, m.string, m.re.pattern if hasattr(m, 're') else p.pattern, p.groups, p.groupindex)
print(m.start(), m.end(1), m.span(2), m[0], m[1], m.group(1, 2), m.groupdict(), repr(m))
print(re.compile(r'(?P<a>x)(?P<b>y)?').match('x').groupdict('-'), re.match('(a)(b)?', 'a').groups('-'))

# bytes patterns: ASCII classes and case only
print(re.findall(rb'\w+', 'é a_1'.encode('latin-1')), re.findall(rb'(?i)\xe9', b'\xc9\xe9'), re.sub(rb'(a)', rb'<\1>', b'banana'))

# long subjects: the backtracking state lives on the heap, not the machine stack
long = 'ab' * 200000
print(len(re.match('(?:a|b)*', long).group()), len(re.match('(a|b)*c|.*', long).group()), re.search('(ab)+$', long).span(1))
print(len(re.findall('b', long)), len(re.sub('a', '', long)), len(re.split('b', long)))
print(re.match('(x+x+)+y', 'x' * 18) is None)

for bad in ['(', ')', 'a)', '[a', '[z-a]', '*a', 'a**', 'a{3,2}', '\\', '\\q', '(?P<1>a)', '(?P<a>a)(?P<a>b)',
            '(a)\\2', '(?<=a+)b', '(?x', '(?Q)', '(?P=n)', 'a{,', '(?i', '(?', '[\\w-a]', '\\x4', 'x(?i)y',
            'a\n(b', '(?P<a', '(?(x)a)', '(?#abc']:
    try:
        re.compile(bad)
        print(repr(bad), 'compiles')
    except re.error as e:
        print(repr(bad), 'error:', e)
