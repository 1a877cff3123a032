# A manager server run by get_server().serve_forever() in a process of its own (as a separate server program
# would), at an address with an authkey; clients connect() from two processes, share a registered dict-like
# object, and terminate() ends it.
import multiprocessing
from multiprocessing.managers import BaseManager


class Store:
    def __init__(self):
        self.data = {}

    def set(self, key, value):
        self.data[key] = value

    def get(self, key, default=None):
        return self.data.get(key, default)

    def keys(self):
        return sorted(self.data)


store = Store()


class StoreManager(BaseManager):
    pass


StoreManager.register("store", callable=lambda: store)


def run_server(ready):
    global server
    m = StoreManager(address=("127.0.0.1", 0), authkey=b"store key")
    server = m.get_server()
    ready.put(server.address)
    server.serve_forever()


def client(address, name):
    m = StoreManager(address=address, authkey=b"store key")
    m.connect()
    s = m.store()
    s.set(name, len(name))


if __name__ == "__main__":
    ready = multiprocessing.Queue()
    srv = multiprocessing.Process(target=run_server, args=(ready,))
    srv.start()
    address = ready.get(timeout=30)
    clients = [multiprocessing.Process(target=client, args=(address, n)) for n in ("alpha", "beta")]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    m = StoreManager(address=address, authkey=b"store key")
    m.connect()
    s = m.store()
    print(s.keys(), s.get("alpha"), s.get("gamma", "none"))
    srv.terminate()   # a server of serve_forever() runs until it is stopped
    srv.join(30)
    print("server exit:", srv.exitcode)
