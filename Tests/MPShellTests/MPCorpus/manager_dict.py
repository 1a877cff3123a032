import multiprocessing as mp

def worker(d, key, value):
    d[key] = value

if __name__ == '__main__':
    with mp.Manager() as manager:
        d = manager.dict()
        jobs = [mp.Process(target=worker, args=(d, i, i * i)) for i in range(5)]
        for j in jobs:
            j.start()
        for j in jobs:
            j.join()
        print(sorted(d.items()))
        d2 = manager.dict({'a': 1}, b=2)
        print(d2, len(d2), 'a' in d2, d2.get('z'), d2.get('z', 0))
        d2.update(c=3)
        d2.setdefault('a', 99)
        print(d2.setdefault('e', 5), d2.pop('b'), d2.pop('zz', None))
        print(d2.keys(), d2.values(), d2.items())
        print(dict(d2), d2.copy(), list(d2))
        d2[1] = 'one'
        d2[1.0] = 'float one'
        d2[True] = 'true one'
        print(d2[1], list(d2.keys()))
        del d2['a']
        try:
            d2['missing']
        except KeyError as e:
            print('KeyError', e)
        d2.clear()
        print(d2, repr(d2).startswith('<DictProxy object'))
