# Seeded draws across several regenerations of the Mersenne Twister state (624 words each), as CPython's.
import random
random.seed(12345)
draws = [random.random() for _ in range(2000)]
print(draws[0], draws[311], draws[312], draws[623], draws[1999])
print(round(sum(draws), 9))
random.seed(7)
print([random.randint(1, 100) for _ in range(700)][-10:])
print(random.random(), random.getrandbits(64), random.getrandbits(100))
