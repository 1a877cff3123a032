# spawn: arguments and keyword arguments are rebuilt in the child (ints, strs, nested containers, a module-level
# function and class passed as values, an instance of a module-level class); sys.argv is the parent's.
import multiprocessing as mp
import sys

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Point(%d, %d)" % (self.x, self.y)

def double(v):
    return v * 2

def show(q, items, fn, cls, *rest, scale=1, **options):
    q.put((items, fn(scale), cls.__name__, rest, sorted(options.items()), len(sys.argv)))

if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    q = ctx.Queue()
    p = ctx.Process(target=show, args=(q, {'a': [1, 2, (3, 4)], 'b': {5, 6}}, double, Point, Point(1, 2), None),
                    kwargs={'scale': 21, 'mode': 'x', 'flag': True})
    p.start()
    print(q.get())
    p.join()
    print(p.exitcode)
