import multiprocessing as mp

def child(q):
    try:
        mp.Process(target=len, args=((),)).start()
    except AssertionError as e:
        q.put(str(e))

if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,), daemon=True)
    p.start()
    print(q.get())
    p.join()
