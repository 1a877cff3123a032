import multiprocessing as mp

def work():
    pass

if __name__ == '__main__':
    p = mp.Process(target=work)
    print(p)
    p.start()
    p.join()
    print(p)
    d = mp.Process(target=work, name="worker", daemon=True)
    print(d, d.name, d.daemon)
    d.start(); d.join()
    print(d)
