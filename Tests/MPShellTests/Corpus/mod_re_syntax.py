# re: Python's syntax where ICU reads the same text otherwise, and the flags
import re

cases = [
    (r'[\s[]+', 'a [ [b'), (r'[]a]+', 'x]a]y'), (r'[^]x]+', ']]abc'), (r'a{', 'a{'),
    (r'x{2,}', 'xxxx'), (r'x{,2}', 'xxx'), (r'a{1,2}b', 'aab'), (r'{x}', '{x}'), (r'(?P<word>\w+) (?P=word)', 'hey hey you'),
    (r'end\Z', 'the end'), (r'end\Z', 'the end\n'), (r'end$', 'the end\n'), (r'[\w.-]+@[\w-]+\.\w+', 'mail: a.b-c@x-y.org!'),
    (r'(?a)\w+', 'héllo'), (r'\w+', 'héllo'), (r'[$]', 'a$b'), 
    (r'(?i)hello', 'HeLLo'), (r'(?s).+', 'a\nb'), (r'(?m)^b', 'a\nb'), (r'(?x) a  b  # comment', 'ab'),
]
for pat, text in cases:
    print(repr(pat), re.findall(pat, text))
print(re.findall(r'\w+', 'héllo wörld', re.ASCII), re.findall(r'\w+', 'héllo wörld', re.UNICODE))
print(re.search('HELLO', 'say hello', re.IGNORECASE).group(), re.findall('^x', 'x\nx', re.M), re.match('a.b', 'a\nb', re.S).group())
print(re.findall(r'''a   # an a
                     b   # then b''', 'ab ab', re.VERBOSE), re.findall('a', 'A a', re.I | re.M))
print(int(re.I), int(re.M), int(re.S), int(re.X), int(re.A), int(re.U), int(re.NOFLAG), re.IGNORECASE == re.I)
print(re.compile(r'[\s[]', re.I).flags & re.I != 0, re.sub(r'[\[\]]', '', '[x]'), re.split(r'[;,\s]\s*', 'a, b;c  d'))
