# array: typecodes, sequence behaviour, bytes round trips, reprs
from array import array
import array as arraymod

a = array('i', [1, 2, 3])
print(a, a.typecode, a.itemsize, len(a), a[0], a[-1], a[1:], list(a))
a.append(4); a.extend([5, 6]); a.insert(0, 0)
print(a, a.pop(), a.pop(0), a.index(3), a.count(2), 3 in a)
a[0] = 10; del a[1]; a.reverse()
print(a, a.tolist(), sum(a), max(a))
print(a + array('i', [7]), a * 2, 2 * array('b', [1]), array('d', [0]) * 3)
b = array('d', [1.5, 2.25]); b += array('d', [3.0]); b *= 2
print(b, b == array('d', [1.5, 2.25, 3.0, 1.5, 2.25, 3.0]), b != b, array('i', [1, 2]) < array('i', [1, 3]))
print(array('f', [0.1])[0], array('u', 'hello'), array('u', 'hi').tounicode(), array('b'), repr(array('B', b'ab')))
raw = array('h', [1, -2, 300]).tobytes()
print(raw, array('h', raw), array('H', [1, 2]).itemsize)
c = array('I'); c.frombytes(b'\x01\x00\x00\x00\x02\x00\x00\x00'); print(c)
c.byteswap(); print(c)
print(arraymod.typecodes, arraymod.ArrayType is array)
s = array('d', [3, 1, 2]); print(sorted(s), s[::-1], [x * 2 for x in s])
s[0:2] = array('d', [9, 8]); print(s)
