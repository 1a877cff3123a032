# set_start_method('spawn') makes mp.Process start by spawn (its class and names stay Process); get_context('spawn')
# gives SpawnProcess objects named SpawnProcess-N. Both children are fresh interpreters. Once a process has been
# spawned the start method is fixed: setting it again needs force=True.
import multiprocessing as mp

def who(q):
    me = mp.current_process()
    q.put((me.name, type(me).__name__, __name__, mp.parent_process().name))

if __name__ == '__main__':
    mp.set_start_method('spawn')
    print(mp.get_start_method())
    q = mp.Queue()
    b = mp.Process(target=who, args=(q,))
    print(type(b).__name__, b.name)
    b.start()
    print(q.get())
    b.join()
    ctx = mp.get_context('spawn')
    a = ctx.Process(target=who, args=(q,))
    print(type(a).__name__, a.name, ctx.get_start_method(), mp.get_start_method())
    a.start()
    print(q.get())
    a.join()
    print(repr(a).split(' pid=')[0], repr(b).split(' pid=')[0], a.exitcode, b.exitcode)
    try:
        mp.set_start_method('fork')
    except RuntimeError as e:
        print("RuntimeError", e)
    mp.set_start_method('forkserver', force=True)
    c = mp.Process(target=who, args=(q,))
    c.start()
    print(mp.get_start_method(), q.get())
    c.join()
