import multiprocessing as mp

def grandchild(q):
    q.put(mp.current_process().name)

def child(q):
    p = mp.Process(target=grandchild, args=(q,))
    p.start()
    p.join()
    q.put(mp.current_process().name)

if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    p.join()
    print(q.get(), q.get())
