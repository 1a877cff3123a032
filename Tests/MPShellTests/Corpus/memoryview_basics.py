# memoryview over bytes and bytearray: len, indexing, slicing (with steps), tobytes/tolist/hex, attributes
data = b'hello world'
m = memoryview(data)
print(len(m), m[0], m[-1], m[4], m.nbytes, m.readonly, m.itemsize, m.format, m.ndim, m.shape, m.strides)
print(m.obj is data, m.tobytes(), m.tolist()[:5], m.hex(), m.hex(':'), m.contiguous)
s = m[6:]
print(type(s).__name__, len(s), s.tobytes(), bytes(s), s[0], s.obj is data)
print(m[::2].tobytes(), m[::-1].tobytes(), m[1:8:3].tolist(), m[10:2:-2].tobytes(), m[5:5].tobytes(), len(m[20:]))
print(m[::2].strides, m[::2].contiguous, m[::-1].strides, m[::2][::2].tobytes())
print(list(m[:3]), [x for x in memoryview(b'\x00\x01\xff')], 104 in m, 7 in m)
print(m == data, m == b'hello', m[:5] == b'hello', m == memoryview(b'hello world'), m != data, m == 'hello world')
print(bytes(m[:5]) + b'!', bytearray(m[-5:]), b'-'.join([m[:2], m[3:5]]), data.find(m[6:]))
print(hash(m) == hash(data), hash(m[:5]) == hash(b'hello'))
for bad in [lambda: m[11], lambda: m[-12], lambda: m['x'], lambda: m[1.0], lambda: memoryview('text'),
            lambda: memoryview(5), lambda: hash(memoryview(bytearray(b'ab')))]:
    try:
        bad()
    except (IndexError, TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    m[0] = 1
except TypeError as e:
    print('TypeError', e)
e = memoryview(b'')
print(len(e), e.tobytes(), e.tolist(), e.nbytes, bool(e) if hasattr(e, '__len__') else None)
mm = memoryview(m)
print(mm.tobytes() == m.tobytes(), mm.obj is data, memoryview(m[2:4]).tobytes())
print(isinstance(m, memoryview), type(m) is memoryview)
print(b'<' + m[:5] + b'>', bytearray(b'[') + m[6:], m[:2] + b'' if False else 'ok')
try:
    m[:2] + b'x'
except TypeError as e:
    print('TypeError', e)
