# A compiled pattern travels to children (as CPython pickles it), and each forked child draws its own
# random numbers (CPython reseeds random in a forked child).
import multiprocessing as mp, re, random

def f(q, pat):
    q.put((pat.findall("a1b22c333"), random.random()))

if __name__ == '__main__':
    mp.set_start_method('fork')
    q = mp.Queue()
    pat = re.compile(r"\d+")
    q.put(pat)
    back = q.get()
    print(back.pattern, back.flags == pat.flags, back.sub("#", "x1y22"))
    ps = [mp.Process(target=f, args=(q, pat)) for _ in range(3)]
    for p in ps: p.start()
    rs = [q.get() for _ in ps]
    for p in ps: p.join()
    print(rs[0][0], len(set(r[1] for r in rs)))
