# bytes patterns in re: compile, search/match/fullmatch, findall/finditer, sub/subn, split, groups as bytes
import re

data = b'GET /index.html HTTP/1.1\r\nHost: example.org\r\nX-Count: 42\r\n\r\n'
p = re.compile(rb'^([A-Za-z-]+): (.*)$', re.M)
print(p, p.pattern, p.flags, type(p.pattern).__name__)
print(p.findall(data))
for m in p.finditer(data):
    print(m.group(1), m.group(2).strip(), m.span(), m.start(2), m.groups())
m = re.match(rb'(\w+) (\S+) HTTP/(\d)\.(\d)', data)
print(m, m.group(0), m.groups(), m.string is data, m[2])
print(re.search(b'Host: (?P<host>[a-z.]+)', data).groupdict())
print(re.fullmatch(b'[0-9]+', b'12345'), re.fullmatch(b'[0-9]+', b'123a'))
print(re.findall(rb'\d+', b'a1b22c333'), re.findall(b'(a)(b)?', b'ab a'), re.findall(b'x', b''))
print(re.sub(b'[aeiou]', b'*', b'education'), re.sub(rb'(\w+)@(\w+)', rb'\2 at \1', b'joe@site'))
print(re.subn(b'o', b'0', b'foo boo'), re.sub(b'o', b'0', b'foo boo', count=1))
print(re.sub(rb'\d+', lambda m: str(int(m.group()) * 2).encode(), b'a1 b20 c300'))
print(re.split(rb'[,;]\s*', b'a, b;c,  d'), re.split(b'(-)', b'1-2-3'), re.split(b',', b'a,b,c', maxsplit=1))
print(re.sub(b'>.*\n|\n', b'', b'>head line\nACGT\nTTGA\n'))
print(re.findall(b'agggtaaa|tttaccct', b'xxagggtaaayytttaccctzz'))
print(re.findall(rb'[\x80-\xff]+', b'abc\xe9\xff\x80def'), re.sub(b'\xe9', b'e', b'caf\xe9'))
print(re.compile(b'ABC', re.I).search(b'xxabcxx').group(), re.findall(rb'\w+', b'caf\xe9 ok'))
print(re.escape(b'a.b*c'), re.escape('1+1=2?'), re.match(re.escape(b'a.b'), b'a.b'))
print(re.search(b'b', bytearray(b'abc')).group(), re.findall(b'.', memoryview(b'xy')))
for bad in [lambda: re.search(b'a', 'a'), lambda: re.search('a', b'a'), lambda: re.sub(b'a', 'x', b'a'),
            lambda: re.sub('a', b'x', 'a'), lambda: re.compile(b'a').findall(5)]:
    try:
        bad()
    except TypeError as e:
        print('TypeError', e)
print(re.compile('a', re.A | re.I), re.compile('a', re.U), re.compile(b'a', re.I | re.S | re.X), re.compile('b' * 250))
