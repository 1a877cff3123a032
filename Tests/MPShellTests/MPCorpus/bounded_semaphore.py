import multiprocessing as mp

if __name__ == '__main__':
    s = mp.BoundedSemaphore(1)
    print(s)
    print(s.acquire(), s.acquire(False))
    s.release()
    try:
        s.release()
    except ValueError as e:
        print("ValueError", e)
