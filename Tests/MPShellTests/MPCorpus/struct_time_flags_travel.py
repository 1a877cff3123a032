# time.struct_time, re.RegexFlag and a list subclass travel between processes as what they are
import re
import time
from multiprocessing import Pool, Queue, Process


class Stack(list):
    pass


def stamp(n):
    return time.gmtime(n)


def child(q):
    t, flags, s = q.get()
    q.put((t.tm_year, t.tm_zone, flags, flags is (re.I | re.M), type(s).__name__, s.label, s + [3]))


if __name__ == '__main__':
    with Pool(2) as pool:
        out = pool.map(stamp, [0, 3600 * 25])
    print(out[1], out[1].tm_mday, out[1].tm_hour, isinstance(out[0], tuple))
    q = Queue()
    s = Stack([1, 2])
    s.label = 'st'
    q.put((time.gmtime(86400), re.I | re.M, s))
    p = Process(target=child, args=(q,))
    p.start()
    p.join()
    print(q.get())
