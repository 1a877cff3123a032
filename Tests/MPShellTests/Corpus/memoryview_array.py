# memoryview over array.array: the array's format and itemsize, indexing, slices with steps, tolist, casts to
# and from bytes, writes through to the array (by item, slice, or a byte view), CPython's errors, BufferError while
# a view exports the array, 'u' arrays (format 'w': bytes only), bytes() and struct over an array's buffer
from array import array
import struct


def t(f):
    try:
        r = f()
    except Exception as e:
        r = '%s: %s' % (type(e).__name__, e)
    print(r)


a = array('i', [1, -2, 3, 400000])
m = memoryview(a)
print(m.format, m.itemsize, m.nbytes, m.readonly, m.shape, m.strides, m.ndim, len(m), m.obj is a, m.contiguous)
print(m[0], m[-1], m.tolist(), list(m[1:3]), m[::2].tolist(), m[::-1].tolist(), m[1:3].strides, m[::2].strides)
m[1] = 77
print(a)
m[2:4] = array('i', [5, 6])
print(a, -2 in m, 77 in m)
t(lambda: m.__setitem__(0, 2 ** 40))
t(lambda: m.__setitem__(0, 1.5))
t(lambda: m.__setitem__(9, 1))
t(lambda: m[4])
t(lambda: a.append(1))
b = m.cast('B')
print(b.format, len(b), b.tolist()[:8], b.nbytes)
b[0] = 9
b[4:8] = b'\x01\x02\x03\x04'
print(a, m.tolist())
print(m.tobytes() == a.tobytes(), bytes(m)[:4], m.hex(), m[1:3].tobytes())
m.release()
t(lambda: a.append(10))
b.release()
a.append(10)
print(a)
t(lambda: m.obj)
t(lambda: m.released)

# floats, unsigned, every integer width
f = array('d', [1.5, 2.25])
mf = memoryview(f)
print(mf.format, mf.tolist(), mf.cast('B').cast('d').tolist())
mf[0] = 3
print(f, mf[0])
ff = memoryview(array('f', [0.1]))
print(ff[0], ff.obj, ff.tolist())
ff[0] = 1e300
print(ff.obj)
q = array('Q', [2 ** 64 - 1])
mq = memoryview(q)
print(mq[0], mq.cast('B').tolist())
mq[0] = 2 ** 63 + 5
print(q)
for tc in 'bBhHiIlLqQ':
    x = array(tc, [1, 2, 3])
    v = memoryview(x)
    v[1] = 100
    print(tc, v.format, v.itemsize, v.nbytes, v.tolist(), v.cast('B')[v.itemsize], x)
t(lambda: memoryview(array('I', [1])).__setitem__(0, -1))
t(lambda: memoryview(array('B', [1])).__setitem__(0, 256))
t(lambda: memoryview(array('f', [1])).__setitem__(0, 'x'))
print(memoryview(array('L', [2 ** 64 - 1])).tolist(), memoryview(array('q', [-1])).cast('B').tolist())

# bytes of a char view, a view of a view, slices of casts
x = array('b', [1, 2, 3])
mx = memoryview(x)
mx2 = mx.cast('c')
print(mx2[0], mx2.tolist(), memoryview(mx).tolist())
h = memoryview(array('h', [1, 2, 3, 4]))
print(h[1:3].tolist(), h.cast('B')[2:6].tolist(), h[1:3].cast('B').tolist())
t(lambda: h[::2].cast('B'))
t(lambda: h.cast('B').cast('h').tolist())
t(lambda: memoryview(array('i', [1])).cast('h'))
t(lambda: memoryview(array('i', [1, 2, 3])).cast('B').cast('d'))

# resizing while exported: BufferError; same-size changes are allowed
for name, f in [('pop', lambda: x.pop()), ('extend', lambda: x.extend([1])), ('insert', lambda: x.insert(0, 1)),
                ('remove', lambda: x.remove(1)), ('frombytes', lambda: x.frombytes(b'\x01')),
                ('fromlist', lambda: x.fromlist([1])), ('del', lambda: x.__delitem__(0)),
                ('slice', lambda: x.__setitem__(slice(0, 1), array('b'))), ('iadd', lambda: x.__iadd__(array('b', [1]))),
                ('imul', lambda: x.__imul__(2))]:
    print(name, end=' ')
    t(f)
x.extend([])
x[0:1] = array('b', [7])
x.reverse()
x.byteswap()
print(x, mx.tolist())
x[0] = 100
print(mx[0], mx2[0])
t(lambda: x.remove(55))
t(lambda: x.pop(10))
mx.release()
mx2.release()
x.append(4)
print(x)
with memoryview(x) as v:
    print(v[-1])
x.append(5)
z = array('h', [10, 20])
mz = memoryview(z)
del mz
z.append(30)
print(z)

# slice assignment needs the same format and length
m = memoryview(array('b', [1, 2]))
t(lambda: m.__setitem__(slice(0, 2), b'ab'))
t(lambda: m.__setitem__(slice(0, 1), memoryview(array('B', [5]))))
m[0:1] = m[1:2]
m[1:2] = array('b', [-5])
print(m.tolist())
B = memoryview(bytearray(b'xy'))
t(lambda: B.__setitem__(slice(0, 1), array('b', [1])))
B[0:1] = array('B', [65])
print(B.obj)
c = memoryview(bytearray(b'xy')).cast('c')
t(lambda: c.__setitem__(slice(0, 1), b'z'))
h = memoryview(array('h', [1, 2, 3, 4]))
t(lambda: h.__setitem__(slice(0, 2), b'abcd'))
h[0:2] = memoryview(array('h', [9, 8]))
t(lambda: h.__setitem__(slice(0, 2), memoryview(array('i', [9, 8]))))
t(lambda: h.__setitem__(0, b'a'))
print(h.tolist())
ma = memoryview(array('i', [0] * 4))
ma.cast('B')[4:8] = b'\x01\x02\x03\x04'
mc = ma.cast('B')
mc[0] = 255
print(ma.obj, ma.tolist())

# 'u' arrays: format 'w', whose items a view does not unpack
u = array('u', 'hi')
mu = memoryview(u)
print(mu.format, mu.itemsize, mu.nbytes, mu.tobytes(), mu.cast('B').tolist(), mu == mu)
t(lambda: mu.tolist())
t(lambda: mu[0])
t(lambda: mu.__setitem__(0, 'x'))
t(lambda: 'h' in mu)
t(lambda: list(mu))
t(lambda: mu.cast('w'))
mu[0:1] = memoryview(array('u', 'y'))
print(u)
mu.release()

# hashing, equality
t(lambda: hash(memoryview(array('B', [1, 2])).toreadonly()))
t(lambda: hash(memoryview(array('B', [1, 2]))))
print(memoryview(array('b', [1, 2])) == b'\x01\x02', memoryview(array('h', [1])) == b'\x01\x00')
print(memoryview(array('i', [1, 2])) == memoryview(array('i', [1, 2])).cast('B'))
print(memoryview(array('i', [1, 2])) == array('i', [1, 2]), memoryview(array('i', [1, 2])) == array('q', [1, 2]))
n = memoryview(array('d', [float('nan')]))
print(n == n, memoryview(array('d', [1.0])) == memoryview(array('f', [1.0])))

# an array is a buffer: bytes(), bytearray(), struct, bytes concatenation
print(bytes(array('h', [1, 2])), bytearray(array('b', [-1])), memoryview(array('B')).tolist(), len(memoryview(array('d'))))
print(struct.unpack('2h', array('h', [1, 2])), b''.join([array('B', [65]), b'B']), b'ab' + memoryview(array('B', [67])))
print(array('h', [1, 2]).tobytes() == bytes(memoryview(array('h', [1, 2]))))


class Samples(array):
    pass


s = Samples('H', [7, 8])
ms = memoryview(s)
ms[0] = 70
print(s, ms.obj is s, ms.format)
t(lambda: s.append(1))
