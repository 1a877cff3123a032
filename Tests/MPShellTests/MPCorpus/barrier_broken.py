import multiprocessing as mp
import threading

if __name__ == '__main__':
    b = mp.Barrier(2)
    try:
        b.wait(timeout=0.05)
    except threading.BrokenBarrierError:
        print("BrokenBarrierError", b.broken)
    b.reset()
    print(b.broken)
