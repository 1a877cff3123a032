import multiprocessing as mp
import time

def spin():
    while True:
        time.sleep(0.01)

if __name__ == '__main__':
    p = mp.Process(target=spin, daemon=True)
    p.start()
    print(p.daemon, p.is_alive())
    print("main exits; the daemon is terminated")
