import multiprocessing as mp
import sys

def quit_with_text():
    sys.exit("fatal: stopping")

if __name__ == '__main__':
    p = mp.Process(target=quit_with_text)
    p.start()
    p.join()
    print(p.exitcode)
