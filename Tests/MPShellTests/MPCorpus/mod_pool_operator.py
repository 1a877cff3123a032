# The docs' Pool examples with operator's functions, builtin methods and functools.partial as tasks.
import multiprocessing as mp
import operator
from functools import partial, reduce

words = ['alpha', 'beta', 'gamma', 'delta']

if __name__ == '__main__':
    with mp.Pool(2) as pool:
        print(pool.map(str.upper, words))
        print(pool.starmap(operator.mul, [(2, 3), (4, 5), (6, 7)]))
        print(pool.map(partial(operator.add, 100), range(5)))
        print(pool.map('-'.join, [['a', 'b'], ['c', 'd', 'e']]))
        print(pool.map(operator.itemgetter(1), [(1, 'x'), (2, 'y')]))
        print(pool.map(operator.attrgetter('real'), [1, 2.5]))
        print(reduce(operator.add, pool.map(len, words)))
        print(pool.apply(str.zfill, ('42', 5)), pool.apply_async(operator.pow, (2, 10)).get(timeout=10))
