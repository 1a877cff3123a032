# multiprocessing.sharedctypes: RawValue/RawArray without a lock, synchronized() with a new RLock or a given
# lock (Synchronized, SynchronizedArray, SynchronizedString), shared with children; Value/Array with lock=False;
# log_to_stderr and get_logger (the "multiprocessing" logger, not propagating).
import multiprocessing, logging
from multiprocessing import sharedctypes
from multiprocessing.sharedctypes import RawValue, RawArray, Value, Array, synchronized

def bump(counter, arr, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1
    with arr.get_lock():   # two children double every item: unlocked, one's update could be lost
        for i in range(len(arr)):
            arr[i] = arr[i] * 2

if __name__ == "__main__":
    raw = RawValue('i', 0)
    print(raw.value, hasattr(raw, "get_lock") and False)
    s = synchronized(raw)
    print(type(s).__name__, s.value, s.get_obj() is raw, type(s.get_lock()).__name__)
    lock = multiprocessing.Lock()
    s2 = synchronized(RawArray('d', [1.0, 2.0, 3.0]), lock)
    print(type(s2).__name__, len(s2), s2[:], s2.get_lock() is lock)
    arr = synchronized(RawArray('i', [1, 2, 3]))
    ps = [multiprocessing.Process(target=bump, args=(s, arr, 50)) for _ in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("counter:", s.value, raw.value, arr[:])
    nolock = Value('i', 7, lock=False)
    print(nolock.value, Array('c', b"abc", lock=False).value)
    st = synchronized(RawArray('c', b"xyz"))
    print(type(st).__name__, st.value, st.raw)
    try:
        synchronized(s)
    except AssertionError as e:
        print("AssertionError", e)
    logger = multiprocessing.log_to_stderr(logging.WARNING)
    print(logger.name, logger is multiprocessing.get_logger(), logger.propagate)
    logger.warning("to stderr %d", 1)
