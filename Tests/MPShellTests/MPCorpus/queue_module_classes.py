# The queue module's classes in one process: Queue (FIFO, bounded), LifoQueue, PriorityQueue (lowest first,
# tuples by their fields), SimpleQueue; Empty and Full on non-blocking calls and on timeouts; task_done.
import queue

for cls in (queue.Queue, queue.LifoQueue, queue.PriorityQueue):
    q = cls()
    for x in [5, 1, 4, 2, 3]:
        q.put(x)
    print(cls.__name__, q.qsize(), q.empty(), q.full(), [q.get() for _ in range(5)], q.empty())

pq = queue.PriorityQueue()
for item in [(2, "write"), (1, "read"), (3, "close"), (1, "open")]:
    pq.put_nowait(item)
print([pq.get_nowait() for _ in range(4)])

bounded = queue.Queue(maxsize=2)
bounded.put("a")
bounded.put("b", block=False)
print("full:", bounded.full(), bounded.qsize())
for call in (lambda: bounded.put("c", block=False), lambda: bounded.put("c", timeout=0.01),
             lambda: bounded.put_nowait("c")):
    try:
        call()
    except queue.Full:
        print("Full", type(queue.Full()).__module__)
print(bounded.get(), bounded.get())
for call in (lambda: bounded.get(block=False), lambda: bounded.get(timeout=0.01), bounded.get_nowait):
    try:
        call()
    except queue.Empty as e:
        print("Empty", repr(e))
try:
    bounded.get(timeout=-1)
except ValueError as e:
    print("ValueError", e)

tasks = queue.Queue()
tasks.put(1)
tasks.put(2)
tasks.get()
tasks.task_done()
tasks.get()
tasks.task_done()
tasks.join()
try:
    tasks.task_done()
except ValueError as e:
    print("ValueError", e)

sq = queue.SimpleQueue()
print(sq.empty(), sq.qsize())
sq.put("x")
sq.put_nowait("y")
print(sq.qsize(), sq.get(), sq.get_nowait(), sq.empty())
try:
    sq.get(timeout=0.01)
except queue.Empty:
    print("SimpleQueue Empty")
print(issubclass(queue.LifoQueue, queue.Queue), issubclass(queue.PriorityQueue, queue.Queue),
      queue.Queue.__module__, isinstance(sq, queue.SimpleQueue))
