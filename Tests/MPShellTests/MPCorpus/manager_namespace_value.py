import multiprocessing as mp

def bump(ns, v, lock):
    for _ in range(50):
        with lock:
            v.value += 1
    ns.last = 'child'

if __name__ == '__main__':
    with mp.Manager() as m:
        ns = m.Namespace()
        ns.x = 10
        ns.y = 'why'
        print(ns, ns.x)
        v = m.Value('i', 0)
        lock = m.Lock()
        ps = [mp.Process(target=bump, args=(ns, v, lock)) for _ in range(3)]
        for p in ps: p.start()
        for p in ps: p.join()
        print(v.value, ns.last, v)
        try:
            ns.nope
        except AttributeError as e:
            print('AttributeError', e)
        ns.y = 'changed'
        print(ns)
