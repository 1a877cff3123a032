# memoryview over a bytearray writes through; release() and the with statement; cast('B') and friends
buf = bytearray(b'abcdefgh')
m = memoryview(buf)
print(m.readonly, m.obj is buf)
m[0] = ord('A')
m[-1] = 72
m[2:4] = b'CD'
m[4:8:2] = b'xy'
print(buf, m.tobytes(), bytes(buf))
buf[1] = ord('B')
print(m[1], chr(m[1]), m.tolist())
v = m[2:6]
v[0] = 0x7a
print(buf, v.tobytes(), len(v))
for bad, err in [(lambda: m.__setitem__(0, 256), ValueError), (lambda: m.__setitem__(0, -1), ValueError),
                 (lambda: m.__setitem__(0, b'a'), TypeError), (lambda: m.__setitem__(slice(0, 2), b'abc'), ValueError),
                 (lambda: m.__setitem__(9, 1), IndexError)]:
    try:
        bad()
    except err as e:
        print(type(e).__name__, e)
try:
    buf.append(1)
except BufferError as e:
    print('BufferError', e)
m.release()
v.release()
print(repr(m).startswith('<released memory at 0x'))
try:
    len(m)
except ValueError as e:
    print('ValueError', e)
try:
    m.tobytes()
except ValueError as e:
    print('ValueError', e)
m.release()
buf.append(33)
print(buf)

with memoryview(bytearray(b'xyz')) as w:
    w[1] = ord('Y')
    print(w.tobytes(), w.obj)
try:
    w[0]
except ValueError as e:
    print('ValueError', e)

raw = bytearray(range(8))
b = memoryview(raw).cast('B')
print(b.format, len(b), b.tolist())
signed = memoryview(bytes([1, 255, 128, 127])).cast('b')
print(signed.format, signed.tolist(), signed[1], signed.itemsize)
ints = memoryview(raw).cast('I')
print(ints.format, ints.itemsize, len(ints), ints.nbytes, ints.tolist(), ints[1], ints.shape, ints.strides)
ints[0] = 0x04030201
print(raw, ints.cast('B').tolist())
print(memoryview(b'\x01\x00\x02\x00').cast('H').tolist(), memoryview(b'\x00' * 8).cast('d').tolist())
print(memoryview(b'ab').cast('c').tolist(), memoryview(b'\x00\x02').cast('?').tolist())
for bad in [lambda: memoryview(b'abc').cast('I'), lambda: memoryview(b'abcd').cast('x'),
            lambda: memoryview(b'abcdefgh')[::2].cast('B'), lambda: memoryview(b'abcdefgh').cast('I').cast('H')]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
ro = memoryview(bytearray(b'ab')).toreadonly()
print(ro.readonly, ro.tobytes())
try:
    ro[0] = 1
except TypeError as e:
    print('TypeError', e)


def checksum(view):
    total = 0
    for byte in view:
        total = (total + byte) % 256
    return total


payload = bytearray(b'some payload bytes')
print(checksum(memoryview(payload)[5:12]), checksum(payload[5:12]))

grow = bytearray(b'12')
print(memoryview(grow)[0], memoryview(grow).tobytes())
grow.append(51)
grow.extend(b'45')
view = memoryview(grow)
del view
grow.append(54)
print(grow)
