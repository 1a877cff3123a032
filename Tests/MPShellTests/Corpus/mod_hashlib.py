# hashlib over libcrypto: the common digests, update/copy, errors
import hashlib

for name in ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'blake2b', 'blake2s', 'sha3_256']:
    h = hashlib.new(name, b'The quick brown fox')
    print(name, h.name, h.digest_size, h.block_size, h.hexdigest())
print(hashlib.sha256(b'abc').digest()[:8])
h = hashlib.sha1()
for chunk in [b'a', b'bc', b'']:
    h.update(chunk)
print(h.hexdigest() == hashlib.sha1(b'abc').hexdigest())
c = h.copy(); c.update(b'more')
print(h.hexdigest() != c.hexdigest())
print(hashlib.shake_128(b'x').hexdigest(10), hashlib.shake_256(b'x').digest(4))
print(hashlib.pbkdf2_hmac('sha256', b'password', b'salt', 1000).hex())
print(hashlib.md5('ünïcode'.encode()).hexdigest())
print('sha256' in hashlib.algorithms_guaranteed)
for bad in [lambda: hashlib.sha256('text'), lambda: hashlib.new('sha999'), lambda: hashlib.md5(5)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
