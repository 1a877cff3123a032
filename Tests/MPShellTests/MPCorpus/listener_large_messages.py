# Large messages over a Listener/Client socket: a 3 MB bytes message and a large pickled list arrive whole;
# recv_bytes_into writes at an offset into a bytearray.
import multiprocessing
from multiprocessing.connection import Listener, Client


def sender(address):
    with Client(address, authkey=b"big") as c:
        c.send_bytes(bytes(range(256)) * (3 * 4096))
        c.send(list(range(200000)))
        c.send_bytes(b"tail")


if __name__ == "__main__":
    with Listener(("127.0.0.1", 0), authkey=b"big") as l:
        p = multiprocessing.Process(target=sender, args=(l.address,))
        p.start()
        with l.accept() as c:
            data = c.recv_bytes()
            print(len(data), data[:4], data[-2:], data == bytes(range(256)) * (3 * 4096))
            values = c.recv()
            print(len(values), sum(values))
            buf = bytearray(10)
            n = c.recv_bytes_into(buf, 3)
            print(n, bytes(buf))
        p.join()
        print(p.exitcode)
