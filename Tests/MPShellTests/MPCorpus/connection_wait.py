# mpcorpus: unordered
import multiprocessing as mp
from multiprocessing.connection import wait

def child(c, k):
    c.send(k * k)
    c.close()

if __name__ == '__main__':
    readers = []
    ps = []
    for k in range(3):
        r, w = mp.Pipe(duplex=False)
        p = mp.Process(target=child, args=(w, k))
        p.start()
        w.close()
        readers.append(r)
        ps.append(p)
    while readers:
        for r in wait(readers):
            try:
                print("got", r.recv())
            except EOFError:
                readers.remove(r)
    for p in ps:
        p.join()
