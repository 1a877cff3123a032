# multiprocessing.connection.Listener and Client over a Unix socket between two processes: objects and bytes both
# ways, the authkey challenge, poll, address and last_accepted, and the socket file removed on close.
import os
from multiprocessing import Process
from multiprocessing.connection import Listener, Client, wait


def client(address, key):
    with Client(address, authkey=key) as c:
        c.send({"hello": [1, 2.5, None]})
        c.send_bytes(b"raw bytes", 4)
        print("client got:", c.recv(), flush=True)
        c.send(("done", os.getpid() != 0))


if __name__ == "__main__":
    key = b"secret key"
    with Listener(authkey=key) as listener:
        address = listener.address
        print(type(address).__name__, os.path.exists(address))
        p = Process(target=client, args=(address, key))
        p.start()
        with listener.accept() as conn:
            print("last_accepted:", repr(listener.last_accepted))
            print("server got:", conn.recv())
            print("bytes:", conn.recv_bytes())
            conn.send(list(range(3)))
            print("poll:", conn.poll(30), wait([conn], 30) == [conn])
            print("server got:", conn.recv())
            p.join()
            try:
                conn.recv()
            except EOFError:
                print("EOFError after the client closed")
    print("socket removed:", not os.path.exists(address))
