# re.sub replacement templates (str and bytes): group references \1 \12 \g<n> \g<name>, escapes, octal, errors;
# literal patterns searched as plain text
import re

print(re.sub(r'(\w+) (\w+)', r'\2 \1', 'hello world, good day'))
print(re.sub(r'(?P<k>\w+)=(?P<v>\d+)', r'\g<v>:\g<k>|\g<0>|\g<2>', 'a=1 bb=22'))
print(re.sub('(a)(b)?', r'[\1\2]', 'ab a'), re.sub('x', r'\n\t|\\|\a', 'x') == '\n\t|\\|\x07')
print(repr(re.sub('a', r'\0', 'bab')), repr(re.sub('a', r'\101\0101', 'a')), re.sub('a', r'\-', 'a'))
print(re.sub('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)', r'\12\11\1', 'abcdefghijkl'))
print(re.sub(rb'(\d+)-(\d+)', rb'\2-\1', b'10-20 3-4'), re.sub(b'(?P<w>o+)', rb'<\g<w>>', b'foo boo'))
print(re.subn('', '-', 'abc'), re.sub('x*', '-', 'abxd'), re.sub(b'', b'.', b'ab'))
print(re.sub(',', ';', 'a,b,,c', count=2), re.sub(b',', b'', b'a,b,,c'), re.subn(b'ab', b'X', b'abcabxab'))
print(re.sub(b'aa', b'b', b'aaaaa'), re.findall(b'aa', b'aaaaa'), re.split(b'aa', b'aaaaab'), re.split(b', ', b'x, y, z', 1))
print(re.findall(b'ab', b'xabyabab'), re.findall(b'z', b'abc'), re.split(b'\n', b'l1\nl2\n'), re.sub(b'\n', b' ', b'a\nb'))
print(re.sub(b'a', b'\\\\', b'bab'), re.sub(b'.', b'-', b'ab'), re.sub(b'A', b'x', b'aA', flags=re.I))
for tpl in [r'\3', r'\g<x>', r'\q', r'\g<1']:
    try:
        print(re.sub('(a)', tpl, 'a'))
    except (re.error, IndexError) as e:
        print(type(e).__name__, e)
print(re.sub('a', lambda m: m.group().upper() * 2, 'banana'), re.sub(b'n', lambda m: b'N', b'banana', 1))
print(re.compile(r'\s+').sub(' ', 'a   b \t c'), re.compile(b'-').split(b'a-b-c', maxsplit=1))
