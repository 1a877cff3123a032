# base64: text round trips (str in, bytes out), line-wrapped MIME encoding, URL-safe tokens without padding
import base64

msg = 'Grüße aus mpsh — ✓'.encode('utf-8')
enc = base64.b64encode(msg)
print(enc, base64.b64decode(enc).decode('utf-8'), base64.b64decode(enc.decode('ascii')) == msg)
token = base64.urlsafe_b64encode(bytes(range(250, 256)) * 3).rstrip(b'=')
print(token, base64.urlsafe_b64decode(token + b'=' * (-len(token) % 4)) == bytes(range(250, 256)) * 3)
mime = base64.encodebytes(bytes(range(200)))
print(mime.count(b'\n'), max(len(l) for l in mime.split(b'\n')), base64.decodebytes(mime) == bytes(range(200)))
print(base64.b32encode(b'mpsh'), base64.b16encode(b'\x00\xffmpsh'), base64.b16decode('00FF'), base64.b85encode(b'\x00' * 4))
print(base64.a85encode(b'\x00' * 8), base64.a85decode(b'zz'), base64.b64encode(b''), base64.b64decode(''))
