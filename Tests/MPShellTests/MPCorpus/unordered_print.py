# mpcorpus: unordered
import multiprocessing as mp

def say(i):
    print("worker", i, "says hi", flush=True)

if __name__ == '__main__':
    ps = [mp.Process(target=say, args=(i,)) for i in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("all joined")
