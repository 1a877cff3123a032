# re: flags passed as arguments and inline, combined with |, on compile/search/findall/sub/split
import re

text = 'Alpha beta\nGAMMA delta\nepsilon'
print(re.findall(r'^\w+', text), re.findall(r'^\w+', text, re.M), re.findall(r'^\w+', text, flags=re.MULTILINE | re.I))
print(re.findall(r'a.*?a', 'aXa\nbYa', re.S), re.findall(r'(?s)a.*a', 'a\na'), re.findall(r'(?i:beta)|delta', text))
pat = re.compile(r'''(?P<key>[a-z]+)   # the key
                     \s*=\s*
                     (?P<value>\d+)    # the number''', re.X | re.I)
print([m.groupdict() for m in pat.finditer('A = 1, bb=22,  CcC =333')], pat.flags & re.X != 0)
print(re.sub('hello', 'bye', 'Hello HELLO hello', flags=re.I), re.split(r'\s*;\s*', 'a ; b;c', maxsplit=1))
print(re.search(r'\bcafé\b', 'un café noir').group(), re.findall(r'\w+', 'naïve café', re.A), re.fullmatch(r'[\d.]+', '3.14') is not None)
print(re.escape('a.b*c?'), re.findall(r'[^\W\d_]+', 'ab1_c d2'), re.sub(r'(\w+) (\w+)', r'\2 \1', 'hello world'))
