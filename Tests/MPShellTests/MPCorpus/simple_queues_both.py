# queue.SimpleQueue (one process, a plain FIFO) beside multiprocessing.SimpleQueue (between processes): different
# classes, the same order of items.
import queue
import multiprocessing


def produce(q):
    for i in range(3):
        q.put(("from child", i))


if __name__ == "__main__":
    local = queue.SimpleQueue()
    for i in range(3):
        local.put(i)
    print([local.get() for _ in range(3)], local.empty())
    shared = multiprocessing.SimpleQueue()
    p = multiprocessing.Process(target=produce, args=(shared,))
    p.start()
    print([shared.get() for _ in range(3)])
    p.join()
    print(shared.empty(), type(local).__module__, isinstance(shared, queue.SimpleQueue))
    shared.close()
