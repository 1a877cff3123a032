# A BaseManager server keeps serving after peers that send a garbage message, disconnect mid-message, or offer a
# wrong authkey: the program's proxies work before and after, and a new client connects.
import socket
import struct
from multiprocessing.managers import BaseManager
from multiprocessing import AuthenticationError


class Box:
    def __init__(self):
        self.items = []

    def add(self, x):
        self.items.append(x)
        return len(self.items)


class BoxManager(BaseManager):
    pass


BoxManager.register("Box", Box)

if __name__ == "__main__":
    with BoxManager(address=("127.0.0.1", 0), authkey=b"box") as m:
        box = m.Box()
        print("before:", box.add("first"))
        host, port = m.address
        garbage = socket.create_connection((host, port))
        garbage.recv(64)
        garbage.sendall(struct.pack("!i", 100000) + b"x" * 64)
        cut = socket.create_connection((host, port))
        cut.recv(64)
        cut.sendall(struct.pack("!i", 32) + b"abc")
        cut.close()
        try:
            BoxManager(address=(host, port), authkey=b"not the key").connect()
        except AuthenticationError as e:
            print("wrong key:", e)
        print("after:", box.add("second"))
        other = BoxManager(address=(host, port), authkey=b"box")
        other.connect()
        print("new client:", other.Box().add("x"), box.add("third"))
        garbage.close()
