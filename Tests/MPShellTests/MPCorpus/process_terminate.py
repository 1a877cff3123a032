import multiprocessing as mp
import time

def forever(ev):
    ev.set()
    while True:
        time.sleep(0.01)

if __name__ == '__main__':
    ev = mp.Event()
    p = mp.Process(target=forever, args=(ev,))
    p.start()
    ev.wait(5)
    print(p.is_alive())
    p.terminate()
    p.join()
    print(p.exitcode, p.is_alive())
    print(p)
