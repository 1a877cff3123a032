# spawn: a Queue, a Lock, a JoinableQueue, an Event and a Pipe end passed as arguments are the same objects in
# the child (they travel as their shared memory's descriptors).
import multiprocessing as mp

def worker(n, results, lock, done, tasks, conn):
    with lock:
        results.put(n * n)
    item = tasks.get()
    tasks.task_done()
    conn.send(("got", item, n))
    done.wait()
    results.put(("after event", n))

if __name__ == '__main__':
    mp.set_start_method('spawn')
    results = mp.Queue()
    lock = mp.Lock()
    done = mp.Event()
    tasks = mp.JoinableQueue()
    parent_end, child_end = mp.Pipe()
    procs = [mp.Process(target=worker, args=(n, results, lock, done, tasks, child_end)) for n in range(3)]
    for p in procs:
        p.start()
    for n in range(3):
        tasks.put("task%d" % n)
    tasks.join()
    print(sorted(parent_end.recv()[2] for _ in procs))
    print(sorted(results.get() for _ in procs))
    done.set()
    print(sorted(results.get() for _ in procs))
    for p in procs:
        p.join()
    print([p.exitcode for p in procs], lock.acquire(timeout=1))
