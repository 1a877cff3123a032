import multiprocessing as mp
from multiprocessing import connection

def quick():
    pass

if __name__ == '__main__':
    p = mp.Process(target=quick)
    p.start()
    ready = connection.wait([p.sentinel], timeout=5)
    print(ready == [p.sentinel])
    p.join()
    a, b = mp.Pipe()
    print(connection.wait([a], timeout=0.05))
