# A Pool (or a Process) made inside a pool worker: AssertionError "daemonic processes are not allowed to have
# children", as CPython raises it; the worker goes on.
import multiprocessing


def nested_pool(_):
    try:
        multiprocessing.Pool(1)
    except AssertionError as e:
        return "AssertionError: %s" % e


def nested_process(_):
    try:
        p = multiprocessing.Process(target=print)
        p.start()
    except AssertionError as e:
        return "AssertionError: %s" % e


def daemon_child(q):
    q.put(nested_pool(0))


if __name__ == "__main__":
    with multiprocessing.Pool(2) as p:
        print(p.map(nested_pool, [0, 1]))
        print(p.apply(nested_process, (0,)))
        print(p.map(abs, [-5]))
    q = multiprocessing.Queue()
    d = multiprocessing.Process(target=daemon_child, args=(q,), daemon=True)
    d.start()
    print("daemon child:", q.get(timeout=30))
    d.join()
