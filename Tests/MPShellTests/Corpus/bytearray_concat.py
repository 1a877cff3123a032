# bytearray with bytes: + and += mix the two buffer types (the result takes the left operand's type), * repeats a
# bytearray, and bytes %-formatting takes bytes and bytearray arguments as their bytes; pyperformance's regex_dna
# builds its sequence this way.
a = bytearray(b'ab')
print(a + b'cd', b'cd' + a, a + a, bytes(a) + bytes(a))
a += b'xy'
print(a, type(a).__name__)
b = b'12'
b += bytearray(b'34')
print(b, type(b).__name__)
print(bytearray(b'a') * 3, b'%s-%s' % (b'x', bytearray(b'y')))
b = bytearray(b'ab')
print(list(b), [x for x in b])
r = bytearray()
r.extend(b'xy'); r.extend(bytearray(b'z')); r.extend([65])
print(r, sum(bytearray(b'ab')))
result = bytearray()
nprint = result.extend
nprint(bytearray(b'ab')[0:1] + b'\n')
for x in bytearray(b'hi'):
    result.append(x)
print(result, bytes(bytearray(b'q')))
