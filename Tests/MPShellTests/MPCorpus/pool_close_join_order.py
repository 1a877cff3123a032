import multiprocessing

def do_calculation(data):
    return data * 2

def do_square(data):
    return data * data

if __name__ == '__main__':
    inputs = list(range(10))
    print('Input   :', inputs)
    pool = multiprocessing.Pool(processes=4)
    pool_outputs1 = pool.map(do_calculation, inputs)
    pool_outputs2 = pool.map(do_square, inputs)
    pool.close()
    pool.join()
    print('Pool do_calculation:', pool_outputs1)
    print('Pool do_square:', pool_outputs2)
