# Workers hash chunks with hashlib and compress them with zlib; the parent checks them against its own.
import multiprocessing as mp
import hashlib, zlib

def digest(chunk):
    return hashlib.sha256(chunk).hexdigest()[:16], zlib.crc32(chunk), len(zlib.compress(chunk))

if __name__ == '__main__':
    chunks = [bytes([i]) * (1000 * (i + 1)) for i in range(4)]
    with mp.Pool(2) as pool:
        results = pool.map(digest, chunks)
    for chunk, r in zip(chunks, results):
        print(r, r[0] == hashlib.sha256(chunk).hexdigest()[:16])
