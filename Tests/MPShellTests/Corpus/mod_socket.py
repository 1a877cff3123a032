# socket: a TCP echo over the loopback in one process (listen, connect, accept, sendall, recv), socketpair, UDP
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen()
host, port = srv.getsockname()
print(host, port > 0, srv.family == socket.AF_INET, srv.type == socket.SOCK_STREAM)
cli = socket.create_connection((host, port), timeout=5)
conn, addr = srv.accept()
print(addr[0], cli.getpeername() == (host, port))
cli.sendall(b'ping' * 1000)
got = b''
while len(got) < 4000:
    got += conn.recv(65536)
conn.sendall(got.upper()[:8])
print(len(got), cli.recv(8))
cli.shutdown(socket.SHUT_WR)
print(conn.recv(10))
for s in (cli, conn, srv):
    s.close()
a, b = socket.socketpair()
with a, b:
    a.sendall(b'over the pair')
    print(b.recv(100))
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.bind(('127.0.0.1', 0))
u1.sendto(b'datagram', u2.getsockname())
data, frm = u2.recvfrom(100)
print(data, frm[0])
u2.settimeout(0.05)
try:
    u2.recv(10)
except socket.timeout as e:
    print('timeout:', e, isinstance(e, OSError))
u1.close(); u2.close()
print(socket.htons(1), socket.ntohs(256), isinstance(socket.gethostname(), str))
