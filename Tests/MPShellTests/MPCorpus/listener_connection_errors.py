# Socket connections from Listener/Client: send_bytes with offset and size, recv_bytes_into (BufferTooShort when
# the buffer is small), recv_bytes(maxlength) refusing a longer message (OSError "bad message length"), a
# closed connection (OSError "handle is closed"), EOFError when the peer is gone, Listener.accept after close.
import multiprocessing
from multiprocessing.connection import Listener, Client, BufferTooShort


def peer(address):
    with Client(address) as c:
        c.send_bytes(b"0123456789", 2, 5)
        c.send_bytes(b"a longer message than the buffer")
        c.send_bytes(b"x" * 300)
        c.send("last")


if __name__ == "__main__":
    with Listener(("127.0.0.1", 0)) as listener:
        p = multiprocessing.Process(target=peer, args=(listener.address,))
        p.start()
        conn = listener.accept()
        print(conn.recv_bytes())
        buf = bytearray(8)
        try:
            conn.recv_bytes_into(buf)
        except BufferTooShort as e:
            print("BufferTooShort:", e.args[0])
        try:
            conn.recv_bytes(100)
        except OSError as e:
            print("OSError:", e)
        try:
            conn.recv()
        except OSError as e:
            print("OSError:", e)
        p.join()
        for bad in (lambda: conn.send_bytes(b"x", -1), lambda: conn.send_bytes(b"x", 0, 5)):
            try:
                bad()
            except (ValueError, OSError) as e:
                print(type(e).__name__, e)
    try:
        listener.accept()
    except OSError as e:
        print("OSError:", e)
    with Listener(("127.0.0.1", 0)) as listener:
        p = multiprocessing.Process(target=lambda a: Client(a).close(), args=(listener.address,))
        p.start()
        c = listener.accept()
        p.join()
        try:
            c.recv()
        except EOFError:
            print("EOFError")
        c.close()
        print(c.closed)
