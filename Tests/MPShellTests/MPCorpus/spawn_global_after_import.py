# spawn: the child sees the module's globals as the module defines them, not the parent's values at start().
import multiprocessing as mp

X = 1
ITEMS = ['a']
CONFIG = {'mode': 'default'}

def set_up():
    global X
    X = 99
    ITEMS.append('parent')
    CONFIG['mode'] = 'changed'

def report(q):
    q.put((__name__, X, ITEMS, CONFIG['mode']))

if __name__ == '__main__':
    set_up()
    print("parent", X, ITEMS, CONFIG)
    for method in ('spawn', 'forkserver', 'fork'):
        ctx = mp.get_context(method)
        q = ctx.Queue()
        p = ctx.Process(target=report, args=(q,))
        p.start()
        print(method, q.get())
        p.join()
