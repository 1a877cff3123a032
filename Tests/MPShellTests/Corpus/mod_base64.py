# base64: every codec of the module round-trips random data, and encodes known vectors as CPython
import base64, random

r = random.Random(12345)
samples = [b'', b'f', b'fo', b'foo', b'foob', b'fooba', b'foobar', b'\x00\x00\x00\x00', b'    ', b'\x00' * 5]
samples += [r.randbytes(n) for n in (1, 2, 3, 4, 5, 17, 127, 1000)]
pairs = [('b64', base64.b64encode, base64.b64decode), ('urlsafe', base64.urlsafe_b64encode, base64.urlsafe_b64decode),
         ('b32', base64.b32encode, base64.b32decode), ('b32hex', base64.b32hexencode, base64.b32hexdecode),
         ('b16', base64.b16encode, base64.b16decode), ('a85', base64.a85encode, base64.a85decode),
         ('b85', base64.b85encode, base64.b85decode)]
for name, enc, dec in pairs:
    ok = all(dec(enc(s)) == s for s in samples)
    print(name, ok, [enc(s) for s in samples[:10]])
    print(name, enc(samples[-2])[:40])
print(base64.a85encode(b'hello world', adobe=True), base64.a85encode(b'    ', foldspaces=True))
print(base64.a85encode(b'x' * 40, wrapcol=20), base64.b85encode(b'ab', pad=True))
print(base64.a85decode(b'<~BOu!rD]j7BEbo7~>', adobe=True), base64.a85decode(b'y', foldspaces=True))
print(base64.b64encode(b'\xfb\xff', altchars=b'-_'), base64.b64decode('-_8=', altchars='-_'))
print(base64.encodebytes(b'x' * 100), base64.decodebytes(b'eHh4\neHh4\n'))
print(base64.b64decode('aGVs bG8=\n'), base64.b64decode(b'aGVsbG8==='), base64.b32decode('mzxw6===', casefold=True))
print(base64.b32decode('0O1======', map01='L') if False else base64.b32decode('ME======'))
print(base64.b16decode('abcd', casefold=True), base64.standard_b64encode(b'std'), base64.standard_b64decode(b'c3Rk'))
