import multiprocessing as mp

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

def echo(inq, outq):
    while True:
        v = inq.get()
        if v == "stop":
            break
        outq.put(v)

if __name__ == '__main__':
    inq, outq = mp.Queue(), mp.Queue()
    p = mp.Process(target=echo, args=(inq, outq))
    p.start()
    items = [1, 2.5, "s", b"by", None, True, [1, [2]], (3, 4), {"k": [5]}, {6, 7}, 2 ** 100, Point(1, 2)]
    for it in items:
        inq.put(it)
    got = [outq.get() for _ in items]
    inq.put("stop")
    p.join()
    for it in got:
        print(type(it).__name__, it)
