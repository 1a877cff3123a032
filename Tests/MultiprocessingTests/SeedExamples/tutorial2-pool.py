import multiprocessing
import time


def do_calculation(data):
    return data * 2

def do_square(data):
    return data * data

def start_process():
    print('Starting', multiprocessing.current_process().name)


if __name__ == '__main__':
    inputs = list(range(10))
    print('Input   :', inputs)
    print('cpu_count:',multiprocessing.cpu_count())
    pool_size = multiprocessing.cpu_count() * 2
    pool = multiprocessing.Pool(
        processes=pool_size,
        initializer=start_process,
    )
    pool_outputs1 = pool.map(do_calculation, inputs)
    pool_outputs2 = pool.map(do_square, inputs)
    pool.close()  # no more tasks
    pool.join()  # wrap up current tasks
    print('Pool do_calculation:', pool_outputs1)
    print('Pool do_square:', pool_outputs2)
