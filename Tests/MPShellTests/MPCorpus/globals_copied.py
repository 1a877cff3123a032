import multiprocessing as mp

counter = [0]

def bump(q):
    counter[0] += 100
    q.put(counter[0])

if __name__ == '__main__':
    counter[0] = 5
    q = mp.Queue()
    p = mp.Process(target=bump, args=(q,))
    p.start()
    print(q.get(), counter[0])
    p.join()
