# Listener and Client over TCP (an address tuple): a server process serving several clients in turn, a client
# with a wrong authkey refused with CPython's errors on both sides, and the server serving on after it.
from multiprocessing import Process, Queue
from multiprocessing.connection import Listener, Client, AuthenticationError


def serve(listener_address, ready, n):
    with Listener(listener_address, authkey=b"k1") as listener:
        ready.put(listener.address)
        served = 0
        while served < n:
            try:
                conn = listener.accept()
            except AuthenticationError as e:
                ready.put("server: %s %s" % (type(e).__name__, e))
                continue
            with conn:
                x = conn.recv()
                conn.send(x * 2)
            served += 1
    ready.put("server: served %d" % served)


if __name__ == "__main__":
    ready = Queue()
    server = Process(target=serve, args=(("127.0.0.1", 0), ready, 2))
    server.start()
    address = ready.get(timeout=30)
    print(type(address).__name__, address[0], address[1] > 0)
    with Client(address, authkey=b"k1") as c:
        c.send(21)
        print("first:", c.recv())
    try:
        Client(address, authkey=b"wrong")
    except AuthenticationError as e:
        print("client:", type(e).__name__, e)
        print(ready.get(timeout=30))
    with Client(tuple(address), authkey=b"k1") as c:
        c.send("ab")
        print("second:", c.recv(), flush=True)
    server.join(30)
    print(ready.get(timeout=30))
    print("exitcode:", server.exitcode)
    for bad in [12, 1.5]:
        try:
            Client(bad)
        except Exception as e:
            print(type(e).__name__)
    try:
        Listener(authkey="text")
    except TypeError as e:
        print("TypeError", e)
