# str.count(sub, start, end) counts within s[start:end] (negative and None bounds as slices take them), and
# CPython's TypeErrors for too few or too many arguments
s = 'ab\ncd\nééf\n'
print(s.count('\n', 0, 1), s.count('\n', 0, 3), s.count('\n', 3), s.count('\n', -2), s.count('\n', 1, -1), s.count('é', 5, 8))
print(s.count('', 3), s.count('', 20), s.count('', 3, 3), s.count('', 5, 2), 'aaaa'.count('aa', 1), 'abc'.count('c', None, 2))
print('abc'.count('c', None, None), 'abcabc'.count('bc', -4), 'abcabc'.count('bc', 0, -1), ''.count(''), ''.count('', 1))
for args in [(), ('a', 0, 1, 2)]:
    try:
        'abc'.count(*args)
    except TypeError as e:
        print('TypeError:', e)
'abc'.count(1)
