# multiprocessing.connection.wait over several socket connections from a Listener: the server answers whichever
# client speaks first until all are done; results gathered per client.
import multiprocessing
from multiprocessing.connection import Listener, Client, wait


def client(address, ident, n):
    with Client(address) as c:
        c.send(ident)
        for i in range(n):
            c.send((ident, i))
            assert c.recv() == (ident, i, "ack")
        c.send(None)


if __name__ == "__main__":
    with Listener(("127.0.0.1", 0)) as listener:
        ps = [multiprocessing.Process(target=client, args=(listener.address, k, 3 + k)) for k in range(3)]
        for p in ps:
            p.start()
        conns = {}
        for _ in ps:
            c = listener.accept()
            conns[c] = c.recv()
        counts = {}
        while conns:
            for c in wait(list(conns), timeout=30):
                msg = c.recv()
                if msg is None:
                    del conns[c]
                    c.close()
                    continue
                counts[msg[0]] = counts.get(msg[0], 0) + 1
                c.send(msg + ("ack",))
        for p in ps:
            p.join()
        print(sorted(counts.items()), [p.exitcode for p in ps])
