import multiprocessing as mp, os

def pid(x):
    return os.getpid()

if __name__ == '__main__':
    with mp.Pool(1, maxtasksperchild=1) as p:
        pids = [p.apply(pid, (i,)) for i in range(4)]
    print(len(set(pids)))
    with mp.Pool(2) as p:
        print(len(set(p.map(pid, range(50), chunksize=1))) <= 2)
