# BaseManager with a registered class: start() runs a real server process that owns the objects; proxies call
# their public methods over an authenticated connection, from this process and from children; exceptions come
# back; method_to_typeid returns a proxy; shutdown ends the server.
import multiprocessing
from multiprocessing.managers import BaseManager, BaseProxy


class Counter:
    def __init__(self, start=0):
        self.n = start
        self.log = []

    def add(self, k, note=None):
        self.n += k
        if note:
            self.log.append(note)
        return self.n

    def value(self):
        return self.n

    def fail(self):
        raise ValueError("counter says no")

    def notes(self):
        return self.log

    def _hidden(self):
        return "hidden"


class Notes:
    def __init__(self, items):
        self.items = list(items)

    def count(self):
        return len(self.items)

    def items_(self):
        return self.items


class MyManager(BaseManager):
    pass


MyManager.register("Counter", Counter, method_to_typeid={"notes": "Notes"})
MyManager.register("Notes", Notes)


def child(counter, k):
    counter.add(k, note="child %d" % k)


if __name__ == "__main__":
    with MyManager() as m:
        print(type(m.address).__name__, m._process.name.startswith("MyManager-"), m._process.is_alive())
        c = m.Counter(10)
        print(isinstance(c, BaseProxy), c.add(5), c.value())
        ps = [multiprocessing.Process(target=child, args=(c, k)) for k in (1, 2, 3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("after children:", c.value())
        try:
            c.fail()
        except ValueError as e:
            print("ValueError:", e)
        try:
            c._hidden()
        except AttributeError:
            print("AttributeError for a private method")
        notes = c.notes()
        print(type(notes).__name__ != "Notes", notes.count(), sorted(notes.items_()))
        server = m._process
    print("server alive after with:", server.is_alive(), server.exitcode)
