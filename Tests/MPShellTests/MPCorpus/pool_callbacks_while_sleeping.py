# Callbacks of apply_async and of futures run while the main program only sleeps: a loop that waits for them
# by sleeping ends, as it does under CPython, where the pool's threads run the callbacks.
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == '__main__':
    results = []
    with Pool(2) as pool:
        for i in range(5):
            pool.apply_async(square, (i,), callback=results.append)
        waited = 0
        while len(results) < 5 and waited < 200:
            time.sleep(0.05)
            waited += 1
        print('apply_async callbacks:', sorted(results))

    done = []
    executor = ProcessPoolExecutor(2)
    futures = [executor.submit(square, i) for i in range(4)]
    for future in futures:
        future.add_done_callback(lambda f: done.append(f.result()))
    waited = 0
    while len(done) < 4 and waited < 200:
        time.sleep(0.05)
        waited += 1
    print('done callbacks:', sorted(done))
    executor.shutdown()
