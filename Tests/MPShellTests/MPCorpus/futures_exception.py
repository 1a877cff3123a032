import concurrent.futures as cf

def boom(msg):
    raise KeyError(msg)

def ok():
    return 'fine'

if __name__ == '__main__':
    with cf.ProcessPoolExecutor(2) as ex:
        f = ex.submit(boom, 'lost')
        e = f.exception(timeout=10)
        print(type(e).__name__, e)
        print(repr(f).split(' state=')[1])
        try:
            f.result()
        except KeyError as err:
            print('result raised', err)
        g = ex.submit(ok)
        print(g.result(), g.exception())
    print(cf.TimeoutError is TimeoutError, issubclass(cf.CancelledError, Exception))
