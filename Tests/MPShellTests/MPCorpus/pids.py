import multiprocessing as mp
import os

def report(q):
    q.put((os.getpid(), os.getppid(), mp.current_process().pid == os.getpid()))

if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=report, args=(q,))
    p.start()
    child_pid, its_parent, same = q.get()
    p.join()
    print(child_pid == p.pid, p.ident == p.pid, its_parent == os.getpid(), same)
    print(isinstance(p.sentinel, int), mp.current_process().pid == os.getpid())
