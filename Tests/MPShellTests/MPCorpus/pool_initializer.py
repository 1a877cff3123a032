import multiprocessing as mp

state = {'tag': None}

def init(tag, n):
    state['tag'] = tag * n

def read(x):
    return (state['tag'], x)

if __name__ == '__main__':
    with mp.Pool(2, initializer=init, initargs=('ab', 2)) as p:
        print(p.map(read, range(3)))
    print(state['tag'])
    try:
        mp.Pool(2, initializer=5)
    except TypeError as e:
        print('TypeError:', e)
    try:
        mp.Pool(0)
    except ValueError as e:
        print('ValueError:', e)
