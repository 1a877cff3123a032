# socket: a tiny line-based request/response over a socketpair and over a TCP loopback with several clients
import socket

a, b = socket.socketpair()
for msg in [b'GET one\n', b'GET two\n']:
    a.sendall(msg)
    req = b.recv(100)
    b.sendall(b'OK ' + req.split()[1] + b'\n')
    print(a.recv(100))
a.close(); b.close()
srv = socket.socket()
srv.bind(('127.0.0.1', 0)); srv.listen(5)
clients = [socket.create_connection(srv.getsockname()) for _ in range(3)]
conns = [srv.accept()[0] for _ in clients]
for k, c in enumerate(clients):
    c.sendall(b'client %d' % k)
print(sorted(conn.recv(64) for conn in conns))
for s in clients + conns + [srv]:
    s.close()
print(srv.fileno())
