import multiprocessing as mp

def stage1(out):
    for i in range(1, 6):
        out.put(i)
    out.put(None)

def stage2(inp, out):
    while (x := inp.get()) is not None:
        out.put(x * x)
    out.put(None)

if __name__ == '__main__':
    q1, q2 = mp.Queue(), mp.Queue()
    ps = [mp.Process(target=stage1, args=(q1,)), mp.Process(target=stage2, args=(q1, q2))]
    for p in ps: p.start()
    total = 0
    while (y := q2.get()) is not None:
        total += y
    for p in ps: p.join()
    print("sum of squares", total)
