# spawn: a Process subclass travels as its class (found by name in __mp_main__) and its attributes; its run()
# runs in the fresh child. An exception there prints CPython's "Process <name>:" header and gives exit code 1;
# sys.exit(n) gives n.
import multiprocessing as mp
import sys

class Counter(mp.Process):
    def __init__(self, q, n):
        super().__init__()
        self.q = q
        self.n = n
        self.label = "counter-%d" % n

    def run(self):
        self.q.put((self.label, self.name, sum(range(self.n)), __name__))

def fail():
    raise ValueError("bad value in child")

def leave(code):
    sys.exit(code)

if __name__ == '__main__':
    mp.set_start_method('spawn')
    q = mp.Queue()
    ps = [Counter(q, n) for n in (3, 5)]
    for p in ps:
        p.start()
    print(sorted(q.get() for _ in ps))
    for p in ps:
        p.join()
    print([p.exitcode for p in ps], [type(p).__name__ for p in ps])
    f = mp.Process(target=fail)
    f.start()
    f.join()
    e = mp.Process(target=leave, args=(7,), name="leaver")
    e.start()
    e.join()
    print(f.exitcode, e.exitcode, e.name)
