# zlib: one-shot and streaming compression round trips, checksums, errors
import zlib

data = b'multiprocessing ' * 200
c = zlib.compress(data)
print(len(c), c[:2], zlib.decompress(c) == data)
for level in [0, 1, 9]:
    print(level, len(zlib.compress(data, level)))
print(zlib.crc32(data), zlib.adler32(data), zlib.crc32(b'world', zlib.crc32(b'hello ')) == zlib.crc32(b'hello world'))
co = zlib.compressobj(6)
parts = [co.compress(data[i:i + 100]) for i in range(0, len(data), 100)]
parts.append(co.flush())
stream = b''.join(parts)
print(zlib.decompress(stream) == data)
do = zlib.decompressobj()
out = b''.join(do.decompress(stream[i:i + 50]) for i in range(0, len(stream), 50))
print(out == data, do.eof)
do = zlib.decompressobj()
print(len(do.decompress(c + b'extra')), do.unused_data)
raw = zlib.compress(b'raw deflate', wbits=-15)
print(zlib.decompress(raw, wbits=-15))
gz = zlib.compressobj(wbits=31); g = gz.compress(b'gzip body') + gz.flush()
print(g[:2], zlib.decompress(g, wbits=31))
for bad in [b'not zlib', c[:10]]:
    try:
        zlib.decompress(bad)
    except zlib.error as e:
        print('zlib.error:', e)
print(zlib.MAX_WBITS, zlib.Z_BEST_COMPRESSION, issubclass(zlib.error, Exception))
