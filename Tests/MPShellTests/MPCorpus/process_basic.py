import multiprocessing as mp

def greet(name):
    print("hello", name, flush=True)

if __name__ == '__main__':
    p = mp.Process(target=greet, args=("world",))
    print(p.pid, p.exitcode, p.is_alive())
    p.start()
    p.join()
    print(p.exitcode, p.is_alive())
