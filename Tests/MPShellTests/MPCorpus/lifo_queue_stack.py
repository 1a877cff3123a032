# queue.LifoQueue as a bounded undo stack: last in, first out; Full when it holds maxsize items; the items
# survive being sent to a child through a multiprocessing.Queue.
import queue
import multiprocessing


def replay(q, items):
    q.put([item.upper() for item in items])


if __name__ == "__main__":
    undo = queue.LifoQueue(maxsize=3)
    for action in ["type a", "type b", "delete"]:
        undo.put(action)
    try:
        undo.put_nowait("one too many")
    except queue.Full:
        print("Full at", undo.qsize())
    undone = [undo.get() for _ in range(2)]
    print("undone:", undone, "left:", undo.qsize())
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=replay, args=(q, undone))
    p.start()
    print(q.get(timeout=30))
    p.join()
    print(queue.LifoQueue().empty(), queue.LifoQueue(2).maxsize)
