# zlib: levels, strategies and window sizes change the stream but never the data; flush modes; checksum chaining
import zlib

data = b''.join(b'record %06d, value %d\n' % (i, i * i % 97) for i in range(2000))
for level in range(10):
    c = zlib.compress(data, level)
    print(level, len(c) < len(data) or level == 0, zlib.decompress(c) == data)
for strategy in [zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED]:
    co = zlib.compressobj(6, zlib.DEFLATED, 15, 8, strategy)
    out = co.compress(data) + co.flush()
    print(strategy, zlib.decompress(out) == data)
co = zlib.compressobj()
part1 = co.compress(data[:5000]) + co.flush(zlib.Z_SYNC_FLUSH)
do = zlib.decompressobj()
print(do.decompress(part1) == data[:5000])
rest = co.compress(data[5000:]) + co.flush()
print(do.decompress(rest) == data[5000:], do.eof)
crc = 0
adl = 1
for i in range(0, len(data), 777):
    crc = zlib.crc32(data[i:i + 777], crc)
    adl = zlib.adler32(data[i:i + 777], adl)
print(crc == zlib.crc32(data), adl == zlib.adler32(data))
do = zlib.decompressobj()
first = do.decompress(zlib.compress(data), 100)
print(len(first), len(do.unconsumed_tail) > 0)
