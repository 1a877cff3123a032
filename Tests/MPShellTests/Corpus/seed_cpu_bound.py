import random
import time
def cpu_bound(n):
    count = 0
    for w in range(n):
        random.random()
        count += 1
    return count
start = time.time()
print(cpu_bound(20000))
elapsed = time.time() - start
print(elapsed >= 0)
