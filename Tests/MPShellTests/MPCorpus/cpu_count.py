import multiprocessing as mp
import os

if __name__ == '__main__':
    print(mp.cpu_count() == os.cpu_count(), mp.cpu_count() >= 1)
