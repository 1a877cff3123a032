# hashlib: hashing a stream in chunks equals hashing it whole; copies fork a digest; hexdigest/digest agree
import hashlib

data = bytes(range(256)) * 300
for name in ['md5', 'sha1', 'sha256', 'sha512', 'blake2b', 'sha3_512']:
    whole = hashlib.new(name, data).hexdigest()
    h = hashlib.new(name)
    for i in range(0, len(data), 1000):
        h.update(data[i:i + 1000])
    print(name, whole == h.hexdigest(), h.digest().hex() == h.hexdigest(), len(h.digest()) == h.digest_size)
base = hashlib.sha256(b'prefix-')
forks = {s: base.copy() for s in ['a', 'b']}
for s, h in forks.items():
    h.update(s.encode())
print([h.hexdigest()[:12] for h in forks.values()], base.hexdigest()[:12])
print(hashlib.sha256(bytearray(b'mutable')).hexdigest()[:16], hashlib.md5(b'', usedforsecurity=False).hexdigest())
