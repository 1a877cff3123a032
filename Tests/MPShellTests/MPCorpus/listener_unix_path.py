# A Listener at a Unix socket path the program chooses: a client in a child connects by that path, the socket
# file is removed on close, and connecting afterwards is FileNotFoundError.
import os
import tempfile
import multiprocessing
from multiprocessing.connection import Listener, Client


def talk(path):
    with Client(path, authkey=b"pw") as c:
        c.send(["over", "unix", 1])
        c.recv()


if __name__ == "__main__":
    d = tempfile.mkdtemp()
    path = os.path.join(d, "sock")
    with Listener(path, authkey=b"pw") as l:
        print(l.address == path, os.path.exists(path))
        p = multiprocessing.Process(target=talk, args=(path,))
        p.start()
        with l.accept() as c:
            print(c.recv())
            c.send("bye")
        p.join()
        print("exitcode:", p.exitcode)
    print("exists after close:", os.path.exists(path))
    try:
        Client(path)
    except FileNotFoundError as e:
        print("FileNotFoundError", e.errno)
    os.rmdir(d)
