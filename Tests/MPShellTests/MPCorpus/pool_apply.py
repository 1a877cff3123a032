from multiprocessing import Pool

def power(base, exp=2):
    return base ** exp

def greet(name, *, punctuation='!'):
    return 'hello ' + name + punctuation

if __name__ == '__main__':
    pool = Pool(2)
    print(pool.apply(power, (3,)))
    print(pool.apply(power, (2,), {'exp': 10}))
    print(pool.apply(greet, ('bob',), {'punctuation': '?'}))
    print(pool.apply(max, ([4, 9, 2],)))
    results = [pool.apply_async(power, (i, 3)) for i in range(5)]
    print([r.get() for r in results])
    pool.close()
    pool.join()
