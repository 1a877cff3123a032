from multiprocessing import Pool

def square(x):
    return x * x

if __name__ == '__main__':
    with Pool(processes=4) as pool:
        print(pool.map(square, range(10)))
        print(pool.map(square, []))
        print(pool.map(square, range(100), chunksize=7)[-3:])
        print(pool.map(square, (3, 4, 5)))
        print(pool.map(len, ['a', 'bb', 'ccc']))
