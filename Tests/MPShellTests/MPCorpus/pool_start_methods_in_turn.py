# Pools of each start method in turn (same size): the spawn pool's workers run this file as __mp_main__ (the
# module's print per worker, its own globals); the fork pools before and after see the parent's globals.
import multiprocessing as mp
print("module", __name__)
X = 1
def get(_):
    return (__name__, X)
if __name__ == '__main__':
    X = 2
    p = mp.Pool(2)
    print(p.map(get, [0]))
    p.close(); p.join()
    p = mp.get_context('spawn').Pool(2)
    print(p.map(get, [0]))
    p.close(); p.join()
    p = mp.Pool(2)
    print(p.map(get, [0]))
    p.close(); p.join()
