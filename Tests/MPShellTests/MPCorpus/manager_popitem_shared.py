# Issue 20: DictProxy.popitem is one step: processes popping from one dict concurrently never get the same item,
# and together they get every item once (mpsh read the last item, then removed it, under two locks).
import multiprocessing

def popper(d, q):
    got = []
    while True:
        try:
            got.append(d.popitem())
        except KeyError:
            break
    q.put(got)

if __name__ == "__main__":
    with multiprocessing.Manager() as m:
        d = m.dict({i: i * i for i in range(600)})
        q = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=popper, args=(d, q)) for _ in range(3)]
        for p in procs:
            p.start()
        items = []
        for _ in procs:
            items += q.get()
        for p in procs:
            p.join()
        print(len(items), len(set(items)), sorted(items) == [(i, i * i) for i in range(600)], len(d))
        d.update({"x": 1, "y": 2})
        print(d.popitem(), d.popitem())
