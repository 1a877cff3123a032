# Objects over a Listener/Client connection: the values a program usually sends (None, bools, ints at every
# encoding's edges, floats, str short and long, bytes, tuples of 0 to 5 items, lists, dicts with tuple keys,
# nested ones) arrive equal, and their bytes on the wire are CPython's pickle (compared with pickle.dumps); a list
# or dict sent twice in one message stays one object, a cycle survives, instances and sets go through pickle;
# send_bytes takes a bytearray or memoryview and refuses a list as CPython's; poll with and without a timeout.
import multiprocessing
import pickle
from multiprocessing.connection import Listener, Client


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)


VALUES = [
    None, True, False, 0, 1, 255, 256, 65535, 65536, -1, -128, -129, -256, -257, 2 ** 31 - 1, 2 ** 31, -2 ** 31,
    -2 ** 31 - 1, 2 ** 63 - 1, -2 ** 63, 2 ** 40, -2 ** 40, 0.0, -0.0, 1.5, 1e300, float("inf"),
    "", "ping", "héllo wörld ✓", "x" * 300, b"", b"\x00\xff", b"y" * 300, (), (1,), (1, "a"), (1, "a", 2.5),
    (1, 2, 3, 4), ("a", ("b", ("c",))), [], [1], [1, 2, 3], list(range(2500)), {}, {"k": 1},
    {"a": [1, 2], ("t", 1): {"n": None}, 3: "three"}, {i: str(i) for i in range(1200)},
]


def peer(address):
    with Client(address, authkey=b"key") as c:
        while True:
            wire = c.recv_bytes()          # what the other side's send wrote
            obj = pickle.loads(wire)
            if obj == "done":
                break
            c.send_bytes(wire)
            c.send(obj)
        shared = [1, 2]
        c.send([shared, shared, {"s": shared}])
        cyclic = [1]
        cyclic.append(cyclic)
        c.send(cyclic)
        d = {}
        d["self"] = d
        c.send(d)
        c.send([Point(1, 2), {3, 4}, frozenset([5])])
        c.send_bytes(bytearray(b"from a bytearray"))
        c.send_bytes(memoryview(b"from a memoryview"), 5)
        try:
            c.send_bytes([1, 2, 3])
        except TypeError as e:
            c.send("TypeError: %s" % e)
        c.recv()


if __name__ == "__main__":
    with Listener(("127.0.0.1", 0), authkey=b"key") as listener:
        p = multiprocessing.Process(target=peer, args=(listener.address,))
        p.start()
        conn = listener.accept()
        print("poll before:", conn.poll())
        for v in VALUES:
            conn.send(v)
            wire = conn.recv_bytes()
            back = conn.recv()
            same = back == v and type(back) is type(v)
            if isinstance(v, float) and v == 0.0:
                same = same and str(back) == str(v)
            print(repr(v)[:40], same, wire == pickle.dumps(v), pickle.loads(wire) == v)
        conn.send("done")
        print("poll after:", conn.poll(5))
        a, b, c = conn.recv()
        print(a, a is b, c["s"] is a)
        cyclic = conn.recv()
        print(cyclic[0], cyclic[1] is cyclic)
        d = conn.recv()
        print(d["self"] is d)
        print(conn.recv())
        print(conn.recv_bytes())
        print(conn.recv_bytes())
        print(conn.recv())
        print("poll timeout:", conn.poll(0.05))
        conn.send(None)
        p.join()
        try:
            conn.recv()
        except EOFError:
            print("EOFError")
        conn.close()
        try:
            conn.poll()
        except OSError as e:
            print("OSError:", e)
