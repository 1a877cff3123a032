# spawn inside a spawned child: the grandchild is a fresh interpreter too, numbered SpawnProcess-1:1, and its
# parent_process() is the spawned child.
import multiprocessing as mp
def leaf(q):
    q.put(("leaf", mp.current_process().name, mp.parent_process().name, __name__))
def middle(q):
    ctx = mp.get_context('spawn')
    p = ctx.Process(target=leaf, args=(q,))
    p.start(); p.join()
    q.put(("middle", mp.current_process().name, p.name, p.exitcode))
if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    q = ctx.Queue()
    p = ctx.Process(target=middle, args=(q,))
    p.start(); p.join()
    print(q.get()); print(q.get()); print(p.exitcode)
