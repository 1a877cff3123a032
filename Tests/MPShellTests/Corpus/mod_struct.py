# struct: native and standard sizes, alignment, byte orders, every code, round trips
import struct

print(struct.calcsize('@bi'), struct.calcsize('<bi'), struct.calcsize('@l'), struct.calcsize('=l'), struct.calcsize('@bxhq'))
print(struct.pack('<i', 1), struct.pack('>i', 1), struct.pack('!H', 513), struct.pack('@bi', 1, 2))
values = (-1, 255, -300, 65000, -7, 4000000000, -2**63, 2**64 - 1, True, 1.5, 2.25, -0.5)
fmt = '<bBhHiIqQ?efd'
packed = struct.pack(fmt, *values)
print(len(packed), packed.hex())
print(struct.unpack(fmt, packed))
print(struct.unpack('>d', struct.pack('>d', 3.141592653589793)))
print(struct.pack('3s', b'abcdef'), struct.pack('5s', b'ab'), struct.pack('5p', b'ab'), struct.pack('c', b'x'))
print(struct.unpack('3s2xc', b'abcxxz'), struct.unpack('<4p', b'\x02hiX'))
print(struct.pack('<f', 0.1), struct.unpack('<f', struct.pack('<f', 0.1)))
print(struct.pack('<e', 65504.0), struct.unpack('<e', b'\x00\x3c'))
print(struct.pack('<q', -2), struct.unpack('<Q', b'\xff' * 8))
print(struct.pack('<2h 1x', 1, 2))
