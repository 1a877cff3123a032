# Process numbers across kinds: Process-N, a Process subclass (its class name), pool workers,
# nested children (Process-N:M), names given by the program, all from one counter per process.
import multiprocessing


class Worker(multiprocessing.Process):
    def run(self):
        pass


def report(q):
    me = multiprocessing.current_process()
    q.put((me.name, me._identity))
    child = multiprocessing.Process(target=print, args=())
    q.put((child.name, child._identity))


def announce(q):
    q.put(multiprocessing.current_process().name)


if __name__ == "__main__":
    q = multiprocessing.Queue()
    a = multiprocessing.Process(target=report, args=(q,))
    a.start(); a.join()
    print(q.get(timeout=30), q.get(timeout=30))
    w = Worker()
    print(w.name, w._identity)
    named = multiprocessing.Process(target=print, name="given")
    print(named.name, named._identity)
    with multiprocessing.Pool(2, initializer=announce, initargs=(q,)) as pool:
        print(sorted(q.get(timeout=30) for _ in range(2)))
    print(multiprocessing.Process().name, Worker().name)
