import multiprocessing as mp

def child(q):
    pp = mp.parent_process()
    q.put((pp.name, pp is not None, mp.current_process().name))

if __name__ == '__main__':
    print(mp.parent_process())
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get())
    p.join()
