import multiprocessing as mp

def show(a, b, *, c=0, d=1):
    print(a, b, c, d, flush=True)

if __name__ == '__main__':
    p = mp.Process(target=show, args=(1, 2), kwargs={"c": 3, "d": 4})
    p.start(); p.join()
    p = mp.Process(target=show, kwargs={"a": "x", "b": "y"})
    p.start(); p.join()
    print("done", p.exitcode)
