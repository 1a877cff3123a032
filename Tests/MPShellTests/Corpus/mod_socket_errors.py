# socket: errors as CPython's (refused connection, bad addresses, closed sockets, name lookups)
import socket

s = socket.socket()
s.bind(('127.0.0.1', 0))
port = s.getsockname()[1]
s.close()
c = socket.socket()
try:
    c.connect(('127.0.0.1', port))
except ConnectionRefusedError as e:
    print('ConnectionRefusedError', e.errno)
print(c.connect_ex(('127.0.0.1', port)) != 0)
c.close()
try:
    c.send(b'x')
except OSError as e:
    print('OSError', e.errno)
try:
    socket.socket().connect('not a tuple')
except TypeError as e:
    print('TypeError:', e)
try:
    socket.getaddrinfo('no-such-host.invalid', 80)
except socket.gaierror as e:
    print('gaierror', isinstance(e, OSError))
print(socket.getaddrinfo('127.0.0.1', 80, socket.AF_INET, socket.SOCK_STREAM)[0][4], socket.gethostbyname('127.0.0.1'))
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(1.5); print(s.gettimeout()); s.setblocking(True); print(s.gettimeout())
try:
    s.settimeout(-1)
except ValueError as e:
    print('ValueError:', e)
s.close()
