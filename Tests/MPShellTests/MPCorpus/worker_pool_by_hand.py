import multiprocessing as mp

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def worker(tasks, results):
    for n in iter(tasks.get, "STOP"):
        results.put((n, fib(n)))

if __name__ == '__main__':
    tasks, results = mp.Queue(), mp.Queue()
    for n in range(15):
        tasks.put(n)
    ws = [mp.Process(target=worker, args=(tasks, results)) for _ in range(3)]
    for w in ws:
        w.start()
    out = dict(results.get() for _ in range(15))
    for w in ws:
        tasks.put("STOP")
    for w in ws:
        w.join()
    print([out[n] for n in range(15)])
