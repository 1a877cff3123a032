# Issue 20: a SharedMemory block created by a child process or a pool worker outlives its creator: the parent
# attaches by name after the creator is gone and finds the data (mpsh used to unlink it when the child dropped it).
import os
# CPython 3.11's resource tracker registers a block again when another process attaches to it, then warns at
# shutdown about the one registration the parent's unlink did not remove (bpo-39959): silence its warnings (the
# tracker is a process of its own, started with this environment), so that only the program's output is compared.
os.environ["PYTHONWARNINGS"] = "ignore"
import multiprocessing
from multiprocessing import shared_memory

def make(q):
    s = shared_memory.SharedMemory(create=True, size=16)
    s.buf[0] = 42
    q.put(s.name)
    s.close()

def make_pool(_):
    s = shared_memory.SharedMemory(create=True, size=16)
    s.buf[0] = 7
    s.close()
    return s.name

if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=make, args=(q,))
    p.start()
    name = q.get()
    p.join()
    s = shared_memory.SharedMemory(name=name)
    print("from a child", s.buf[0])
    s.close()
    s.unlink()
    with multiprocessing.Pool(2) as pool:
        names = pool.map(make_pool, range(3))
    for n in names:
        s = shared_memory.SharedMemory(name=n)
        print("from a pool worker", s.buf[0])
        s.close()
        s.unlink()
