# spawn: a Value, an Array, a RawValue, a Condition and a Barrier passed as arguments are the same shared objects
# in the fresh child (their memory travels as descriptors); the Value's lock is shared too.
import multiprocessing as mp

def work(n, total, hist, raw, cond, barrier, ready):
    with total.get_lock():
        total.value += n
    hist[n] = n * n
    barrier.wait()
    with cond:
        ready.value += 1
        cond.notify_all()
    raw.value = 42

if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    total = ctx.Value('i', 0)
    hist = ctx.Array('d', 4)
    raw = ctx.RawValue('l', 0)
    cond = ctx.Condition()
    barrier = ctx.Barrier(4)
    ready = ctx.Value('i', 0, lock=False)
    ps = [ctx.Process(target=work, args=(n, total, hist, raw, cond, barrier, ready)) for n in range(4)]
    for p in ps:
        p.start()
    with cond:
        print(cond.wait_for(lambda: ready.value == 4, timeout=30))
    for p in ps:
        p.join()
    print(total.value, list(hist), raw.value, [p.exitcode for p in ps])
