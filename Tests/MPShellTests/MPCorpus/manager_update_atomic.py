# Issue 20: DictProxy.update publishes all its keys at once: a reader's copy never holds half of an update
# (mpsh stored key by key, each under its own lock, and readers saw torn updates).
import multiprocessing

def writer(d, rounds, done):
    for i in range(rounds):
        d.update({"a": i, "b": i, "c": i})
        d.update([("a", -i), ("b", -i)], c=-i)
    done.set()

def reader(d, done, q):
    torn = 0
    seen = 0
    while not done.is_set() or seen < 50:
        snap = d.copy()
        seen += 1
        if not (snap["a"] == snap["b"] == snap["c"]):
            torn += 1
    q.put(torn)

if __name__ == "__main__":
    with multiprocessing.Manager() as m:
        d = m.dict({"a": 0, "b": 0, "c": 0})
        done = m.Event()
        q = multiprocessing.Queue()
        readers = [multiprocessing.Process(target=reader, args=(d, done, q)) for _ in range(2)]
        for r in readers:
            r.start()
        w = multiprocessing.Process(target=writer, args=(d, 300, done))
        w.start()
        w.join()
        print("torn snapshots:", sum(q.get() for _ in readers))
        for r in readers:
            r.join()
        print(sorted(d.items()))
