# spawn sends the target by reference, as pickle does: a lambda or a nested function cannot travel (CPython's
# errors), a module-level function can. Under fork the lambda runs.
import multiprocessing as mp

def outer():
    def inner():
        pass
    return inner

def fine():
    print("fine runs in", mp.current_process().name)

if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    for target in (lambda: None, outer()):
        p = ctx.Process(target=target)
        try:
            p.start()
        except Exception as e:
            print(type(e).__name__, type(e).__module__, str(e).split(' at ')[0])
    p = ctx.Process(target=fine)
    p.start()
    p.join()
    f = mp.get_context('fork').Process(target=lambda: print("lambda under fork"))
    f.start()
    f.join()
    p = ctx.Process(target=lambda: None)
    p.start()
