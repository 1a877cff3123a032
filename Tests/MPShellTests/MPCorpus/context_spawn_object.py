import multiprocessing as mp

def hello(q):
    q.put("hello from " + mp.current_process().name)

if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    print(ctx.get_start_method(), mp.get_start_method())
    q = ctx.SimpleQueue()
    p = ctx.Process(target=hello, args=(q,), name="spawned")
    p.start()
    print(q.get())
    p.join()
