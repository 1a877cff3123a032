import multiprocessing as mp

def nested(r, q):
    with r:
        with r:
            q.put("nested ok")

if __name__ == '__main__':
    r = mp.RLock()
    q = mp.Queue()
    p = mp.Process(target=nested, args=(r, q))
    p.start()
    print(q.get())
    p.join()
    try:
        r.release()
    except AssertionError as e:
        print("AssertionError", e)
