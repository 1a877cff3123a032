# base64 and binascii: CPython's errors for bad input
import base64, binascii

bad = [
    lambda: base64.b64decode('abc'), lambda: base64.b64decode('a'), lambda: base64.b64decode('ab!c', validate=True),
    lambda: base64.b64decode('ab==c', validate=True), lambda: base64.b64decode('é'), lambda: base64.b64encode('text'),
    lambda: base64.b64decode(5), lambda: base64.b32decode('abc'), lambda: base64.b32decode('ME======', casefold=False) and base64.b32decode('me======'),
    lambda: base64.b32decode('M1======'), lambda: base64.b16decode('abc'), lambda: base64.b16decode('ab'),
    lambda: base64.a85decode('abc~>', adobe=False) and base64.a85decode('abc', adobe=True),
    lambda: base64.a85decode('ab z'), lambda: base64.a85decode('\x7f'), lambda: base64.a85decode('uuuuu'),
    lambda: base64.b85decode('\x7f\x7f'), lambda: base64.b85decode('~~~~~'),
    lambda: binascii.unhexlify('abc'), lambda: binascii.unhexlify('zz'), lambda: binascii.a2b_base64('=abc', strict_mode=True),
]
for f in bad:
    try:
        print('ok', f())
    except (binascii.Error, ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(binascii.hexlify(b'\x01\xab'), binascii.unhexlify(b'01AB'), binascii.b2a_base64(b'hi'), binascii.b2a_base64(b'hi', newline=False))
print(binascii.a2b_base64(b'aGk='), binascii.crc32(b'hello'), issubclass(binascii.Error, ValueError))
