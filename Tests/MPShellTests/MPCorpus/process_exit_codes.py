import multiprocessing as mp
import sys

def ok():
    pass

def code(n):
    sys.exit(n)

def fail():
    raise RuntimeError("worker failed")

if __name__ == '__main__':
    procs = [mp.Process(target=ok), mp.Process(target=code, args=(3,)), mp.Process(target=code, args=(0,)),
             mp.Process(target=fail)]
    for p in procs:
        p.start()
        p.join()
    print([p.exitcode for p in procs])
