# Enum members as job states through a Queue and a Pipe: they arrive as the same members (pickled by value).
import multiprocessing as mp
from enum import Enum, auto

class State(Enum):
    PENDING = auto()
    RUNNING = auto()
    DONE = auto()

def run(q, job):
    q.put((job, State.RUNNING))
    q.put((job, State.DONE))

if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=run, args=(q, 'build'))
    p.start()
    seen = [q.get(timeout=10) for _ in range(2)]
    p.join()
    print(seen, seen[1][1] is State.DONE, [s.name for s in State])
    a, b = mp.Pipe()
    a.send(State.PENDING)
    got = b.recv()
    print(got, got is State.PENDING, got == State.PENDING)
