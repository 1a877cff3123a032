import multiprocessing as mp

def square(x, q):
    q.put(x * x)

if __name__ == '__main__':
    mp.set_start_method('spawn')
    print(mp.get_start_method())
    q = mp.Queue()
    ps = [mp.Process(target=square, args=(i, q)) for i in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(sorted(q.get() for _ in ps), [p.exitcode for p in ps])
