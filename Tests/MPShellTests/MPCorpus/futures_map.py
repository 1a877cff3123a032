from concurrent.futures import ProcessPoolExecutor

def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True

def fail_on_three(x):
    if x == 3:
        raise ValueError('three')
    return x

PRIMES = [112272535095293, 112582705942171, 115280095190773, 7, 8, 97]

if __name__ == '__main__':
    with ProcessPoolExecutor() as executor:
        for number, prime in zip(PRIMES, executor.map(is_prime, [7, 8, 97, 100, 101])):
            print('%d is prime: %s' % (number, prime))
        print(list(executor.map(pow, [2, 3, 4], [5, 6], chunksize=2)))
        it = executor.map(fail_on_three, range(5))
        print(next(it), next(it), next(it))
        try:
            next(it)
        except ValueError as e:
            print('ValueError', e)
