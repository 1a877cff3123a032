# ProcessPoolExecutor(mp_context=get_context('spawn')): the workers run this file as __mp_main__, so the tasks,
# module-level functions found by name, see the module's globals (not the value the parent set after import).
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

RATE = 2

def scaled(x):
    return x * RATE

def where(_):
    return (__name__, RATE, mp.current_process().name.split('-')[0])

if __name__ == '__main__':
    RATE = 500
    for method in ('spawn', 'forkserver'):
        with ProcessPoolExecutor(2, mp_context=mp.get_context(method)) as ex:
            print(method, list(ex.map(scaled, range(5))), ex.submit(where, 0).result())
    with ProcessPoolExecutor(2, mp_context=mp.get_context('fork')) as ex:
        print('fork', list(ex.map(scaled, range(3))), ex.submit(where, 0).result())
