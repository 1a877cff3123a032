# Functions of a module next to the program (found through sys.path[0], the program's directory) as Pool tasks,
# Process targets and executor tasks, under each start method.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
import own_module_tasks as tasks
from own_module_tasks import square

if __name__ == '__main__':
    for method in ('fork', 'spawn', 'forkserver'):
        ctx = mp.get_context(method)
        with ctx.Pool(2) as pool:
            print(method, pool.map(square, range(5)), pool.apply(tasks.square, (7,)))
        q = ctx.Queue()
        p = ctx.Process(target=tasks.report, args=(q, method))
        p.start()
        print(q.get())
        p.join()
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(square, [1, 2])))
    print(tasks.__name__, square.__module__)
