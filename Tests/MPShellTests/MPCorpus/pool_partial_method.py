from functools import partial
from multiprocessing import Pool

def scale(x, factor=1, offset=0):
    return x * factor + offset

class Adder:
    def __init__(self, n):
        self.n = n
    def add(self, x):
        return x + self.n

if __name__ == '__main__':
    with Pool(2) as pool:
        print(pool.map(partial(scale, factor=3), range(5)))
        print(pool.map(partial(scale, 10, offset=1), [2, 3]))
        print(pool.map(Adder(100).add, range(3)))
        print(pool.starmap(scale, [(1, 2, 3), (4, 5, 6)]))
