# mpcorpus: unordered
import concurrent.futures
import time

def work(n):
    time.sleep(0.01 * (5 - n))
    return n * 10

if __name__ == '__main__':
    with concurrent.futures.ProcessPoolExecutor(max_workers=3) as executor:
        future_to_n = {executor.submit(work, n): n for n in range(5)}
        for future in concurrent.futures.as_completed(future_to_n):
            n = future_to_n[future]
            print('%d -> %d' % (n, future.result()))
