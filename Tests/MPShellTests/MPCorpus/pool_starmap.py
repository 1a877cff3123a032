from multiprocessing import Pool

def add(a, b):
    return a + b

def describe(name, n, sep='-'):
    return sep.join([name] * n)

if __name__ == '__main__':
    with Pool(2) as p:
        print(p.starmap(add, [(1, 2), (3, 4), (5, 6)]))
        print(p.starmap(describe, [('ab', 2), ('c', 3)]))
        print(p.starmap(pow, zip(range(5), [2] * 5)))
        r = p.starmap_async(add, [(10, 1), (20, 2)])
        print(r.get(timeout=10))
        print(p.starmap(add, []))
