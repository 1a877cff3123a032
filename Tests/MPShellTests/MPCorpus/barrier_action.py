import multiprocessing as mp

def report():
    print("barrier opened", flush=True)

def party(b):
    b.wait()

if __name__ == '__main__':
    b = mp.Barrier(2, action=report, timeout=10)
    p = mp.Process(target=party, args=(b,))
    p.start()
    b.wait()
    p.join()
    print("parties", b.parties, "broken", b.broken)
