import multiprocessing as mp

if __name__ == '__main__':
    s = mp.Semaphore(0)
    print(s.acquire(timeout=0.02), s.acquire(block=False))
    s.release()
    s.release()
    print(s.get_value(), s.acquire(), s.get_value())
