import multiprocessing as mp
import queue

if __name__ == '__main__':
    q = mp.Queue(maxsize=2)
    q.put(1)
    q.put(2)
    print(q.full(), q.qsize())
    try:
        q.put_nowait(3)
    except queue.Full:
        print("Full")
    try:
        q.put(3, timeout=0.05)
    except queue.Full:
        print("Full after timeout")
    print(q.get(), q.get(), q.empty())
