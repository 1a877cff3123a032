# struct: Struct objects, unpack_from/iter_unpack/pack_into, and CPython's errors
import struct

s = struct.Struct('<ih')
print(s.size, s.format, s.pack(7, -2), s.unpack(b'\x07\x00\x00\x00\xfe\xff'))
print(s.unpack_from(b'xx\x01\x00\x00\x00\x02\x00', 2), struct.unpack_from('<h', b'\x00\x01\x00', offset=1))
print(list(struct.iter_unpack('<h', b'\x01\x00\x02\x00\x03\x00')))
buf = bytearray(8)
struct.pack_into('<hh', buf, 2, 258, -1)
print(buf)
cases = [
    ('<i',), ('<i', 1, 2), ('>i', 'x'), ('<h', 70000), ('<B', -1), ('<b', 200), ('<H', -1), ('<l', 2**40),
    ('<I', -1), ('<q', 2**64), ('<h', 1.0), ('<d', 'x'), ('c', b'ab'), ('3s', 1), ('<y', 1), ('<e', 1e6), ('<f', 1e300),
    ('@i', 2**33),
]
for args in cases:
    try:
        print(struct.pack(*args))
    except (struct.error, OverflowError) as e:
        print(args[0], type(e).__name__, e)
for bad in [lambda: struct.unpack('<i', b'abc'), lambda: struct.unpack_from('<i', b'ab', 1),
            lambda: list(struct.iter_unpack('<i', b'abcde')), lambda: struct.calcsize('3')]:
    try:
        bad()
    except struct.error as e:
        print('struct.error:', e)
print(issubclass(struct.error, Exception), struct.pack('<?', 5), struct.pack('<?', []))
