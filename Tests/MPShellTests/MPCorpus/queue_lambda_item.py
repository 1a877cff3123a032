import multiprocessing as mp

def square(v):
    return v * v

def apply(q, r):
    f, x = q.get()
    r.put(f(x))

if __name__ == '__main__':
    mp.set_start_method('fork')
    q, r = mp.Queue(), mp.Queue()
    p = mp.Process(target=apply, args=(q, r))
    p.start()
    q.put((square, 12))
    print(r.get())
    p.join()
