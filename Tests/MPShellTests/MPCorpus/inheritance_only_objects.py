# Queues, locks and the like travel to a child only by inheritance: sent as a task argument, through a Pipe or a
# SimpleQueue, they raise CPython's RuntimeError.
import multiprocessing as mp


def f(x):
    return 1


def give_lock(_):
    return mp.Lock()


if __name__ == '__main__':
    objects = (mp.Lock(), mp.RLock(), mp.Semaphore(), mp.BoundedSemaphore(), mp.Condition(), mp.Event(),
               mp.Barrier(1), mp.Queue(), mp.JoinableQueue(), mp.SimpleQueue(), mp.Array('i', 2))
    with mp.Pool(1) as pool:
        for o in objects:
            try:
                pool.apply(f, (o,))
            except RuntimeError as e:
                print('RuntimeError:', e)
        try:
            pool.map(f, [1, mp.Lock()])
        except RuntimeError as e:
            print('map: RuntimeError:', e)
    a, b = mp.Pipe()
    try:
        a.send(mp.Lock())
    except RuntimeError as e:
        print('send: RuntimeError:', e)
    q = mp.SimpleQueue()
    try:
        q.put(mp.Semaphore())
    except RuntimeError as e:
        print('put: RuntimeError:', e)
