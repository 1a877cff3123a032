# A Monte Carlo estimate of pi: each worker draws from its own seeded random.Random, so results are reproducible.
import multiprocessing as mp
import random

def estimate(seed, n=20000):
    rng = random.Random(seed)
    inside = 0
    for _ in range(n):
        x, y = rng.random(), rng.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return seed, inside

if __name__ == '__main__':
    with mp.Pool(2) as pool:
        results = pool.map(estimate, range(4))
    for seed, inside in results:
        print(seed, inside)
    total = sum(i for _, i in results)
    print('pi ~ %.4f' % (4 * total / (4 * 20000)))
    print(random.Random(7).sample(range(100), 3), random.Random(7).choice('abcdef'))
