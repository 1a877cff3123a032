# struct: a binary file format written and read back (header + records), network byte order, padding
import struct, io

HEADER = struct.Struct('>4sHI')
REC = struct.Struct('<hxxid')
buf = io.BytesIO()
records = [(i, i * 1000, i / 3) for i in range(-2, 3)]
buf.write(HEADER.pack(b'MPSH', 1, len(records)))
for r in records:
    buf.write(REC.pack(*r))
raw = buf.getvalue()
print(len(raw), HEADER.size, REC.size, raw[:10])
magic, version, count = HEADER.unpack_from(raw)
print(magic, version, count)
back = [REC.unpack_from(raw, HEADER.size + k * REC.size) for k in range(count)]
print(back == records, back[0])
print(struct.pack('!I', 0xC0A80001), '.'.join(str(b) for b in struct.pack('!I', 0xC0A80001)))
print(struct.unpack('>HH', b'\x12\x34\x56\x78'), struct.unpack('<HH', b'\x12\x34\x56\x78'), struct.calcsize('>bhiq'), struct.calcsize('@bhiq'))
