# spawn: each child is a fresh interpreter that runs this file as __mp_main__, so the module-level print runs
# once per child (and the guarded code never runs there).
import multiprocessing as mp

print("importing", __name__)

def work(i):
    print("work", i, __name__, mp.current_process().name)

if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    for i in range(3):
        p = ctx.Process(target=work, args=(i,))
        p.start()
        p.join()
        print("joined", p.name, p.exitcode)
    print("main done")
