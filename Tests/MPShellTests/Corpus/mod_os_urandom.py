# os.urandom from the kernel: the length asked, different each call, errors as CPython's
import os
draws = {os.urandom(16) for _ in range(50)}
print(len(draws), all(len(d) == 16 for d in draws), type(os.urandom(0)), os.urandom(0))
print(len(set(b for d in draws for b in d)) > 200)
try:
    os.urandom(-1)
except ValueError as e:
    print('ValueError:', e)
