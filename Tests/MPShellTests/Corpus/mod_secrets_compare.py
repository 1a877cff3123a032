# secrets.compare_digest over bytes and ASCII strings; token lengths for several sizes
import secrets

pairs = [(b'abc', b'abc'), (b'abc', b'abd'), (b'', b''), (b'a', b''), ('token', 'token'), ('token', 'tokeN')]
print([secrets.compare_digest(a, b) for a, b in pairs])
for n in [1, 2, 3, 16, 33]:
    print(n, len(secrets.token_bytes(n)), len(secrets.token_hex(n)), len(secrets.token_urlsafe(n)))
try:
    secrets.compare_digest('é', 'é')
except TypeError as e:
    print('TypeError:', e)
