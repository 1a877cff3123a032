import multiprocessing as mp

def work(q):
    q.put("ctx child")

if __name__ == '__main__':
    ctx = mp.get_context('fork')
    print(ctx.get_start_method())
    q = ctx.Queue()
    p = ctx.Process(target=work, args=(q,))
    p.start()
    print(q.get())
    p.join()
    l = ctx.Lock()
    print(l)
    try:
        mp.get_context('nope')
    except ValueError as e:
        print("ValueError", e)
