import multiprocessing as mp

def who(q):
    q.put(mp.current_process().name)

if __name__ == '__main__':
    print(mp.current_process().name)
    q = mp.Queue()
    p = mp.Process(target=who, args=(q,), name="alpha")
    p.start()
    print(q.get())
    p.join()
