# zlib: the gzip and raw-deflate containers chosen by wbits, auto-detection with wbits=47, header bytes
import zlib

data = b'gzip and zlib and raw deflate ' * 50
z = zlib.compress(data)
co = zlib.compressobj(9, zlib.DEFLATED, 31); g = co.compress(data) + co.flush()
co = zlib.compressobj(9, zlib.DEFLATED, -15); raw = co.compress(data) + co.flush()
print(z[:2].hex(), g[:3].hex(), len(raw) < len(z) < len(g))
print(zlib.decompress(g, 31) == data, zlib.decompress(z, 47) == data, zlib.decompress(g, 47) == data, zlib.decompress(raw, -15) == data)
for payload, bits in [(g, 15), (raw, 15), (z, -15)]:
    try:
        zlib.decompress(payload, bits)
    except zlib.error as e:
        print('zlib.error:', e)
