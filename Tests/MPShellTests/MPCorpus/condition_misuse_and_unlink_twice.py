# CPython's errors for a Condition used without its lock, wait_for's return value (the predicate's own value),
# and a shared memory block unlinked twice.
import multiprocessing as mp
from multiprocessing import shared_memory

if __name__ == '__main__':
    cond = mp.Condition()
    for call in (cond.notify, cond.notify_all, lambda: cond.wait(0.01)):
        try:
            call()
        except AssertionError as e:
            print('AssertionError:', e)
    with cond:
        print(cond.wait_for(lambda: 5), cond.wait_for(lambda: 0, timeout=0.01), cond.wait_for(lambda: [], timeout=0))
    block = shared_memory.SharedMemory(name='mpcorpus_unlink_twice', create=True, size=16)
    block.unlink()
    try:
        block.unlink()
    except FileNotFoundError as e:
        print('FileNotFoundError:', e)
    block.close()
