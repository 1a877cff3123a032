import multiprocessing as mp
import queue

if __name__ == '__main__':
    q = mp.Queue()
    try:
        q.get(timeout=0.05)
    except queue.Empty:
        print("Empty after timeout")
    try:
        q.get_nowait()
    except queue.Empty:
        print("Empty at once")
    try:
        q.get(block=False)
    except queue.Empty as e:
        print(type(e).__name__, repr(e))
