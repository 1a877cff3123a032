import multiprocessing as mp

def boom(x):
    return 1 / x

if __name__ == '__main__':
    p = mp.Process(target=boom, args=(0,))
    p.start()
    p.join()
    print("exitcode", p.exitcode)
