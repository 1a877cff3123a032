# Generators suspended when the program forks go on in the child (fork start method): the child resumes them
# where the parent left them, and the parent's copies go on independently.
import multiprocessing as mp

def numbers():
    try:
        for i in range(10):
            yield i * i
    finally:
        print("numbers finished in", mp.current_process().name, flush=True)

def inner():
    total = 0
    while True:
        x = yield total
        if x is None:
            return total
        total += x

def delegating():
    r = yield from inner()
    yield "inner returned %d" % r

def pipeline(n):
    def src():
        for i in range(n):
            yield i
    def sq(it):
        for x in it:
            yield x * x
    return sq(src())

g = numbers()
acc = delegating()
pipe = pipeline(8)
expr = (c.upper() for c in "forked")

def child(q):
    q.put(("numbers", list(g)))
    q.put(("sent", [acc.send(v) for v in (5, 6)]))
    q.put(("closed", acc.send(None)))
    q.put(("pipeline", list(pipe)))
    q.put(("genexp", "".join(expr)))

if __name__ == "__main__":
    mp.set_start_method("fork")
    print(next(g), next(g), next(g))
    print(next(acc), acc.send(10), acc.send(20))
    print(next(pipe), next(pipe))
    print(next(expr))
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,), name="child")
    p.start()
    for _ in range(5):
        print("child:", q.get())
    p.join()
    print("exit code", p.exitcode)
    # the parent's generators were not moved by the child's
    print("parent:", list(g))
    print("parent:", acc.send(1), acc.send(None))
    print("parent:", list(pipe), "".join(expr))

    # a generator started in a child process is the child's alone
    def worker(q):
        h = numbers()
        q.put(next(h) + next(h))
        q.put(sum(h))
    p = mp.Process(target=worker, args=(q,), name="worker")
    p.start()
    print(q.get(), q.get())
    p.join()
