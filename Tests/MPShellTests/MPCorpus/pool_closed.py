import multiprocessing as mp

def one(x):
    return 1

if __name__ == '__main__':
    p = mp.Pool(2)
    print(repr(p))
    try:
        p.join()
    except ValueError as e:
        print('ValueError:', e)
    p.close()
    print(repr(p))
    for call in (lambda: p.map(one, [1]), lambda: p.apply_async(one, (1,)), lambda: p.imap(one, [1])):
        try:
            call()
        except ValueError as e:
            print('ValueError:', e)
    p.join()
    with mp.Pool(1) as q:
        pass
    try:
        q.map(one, [1])
    except ValueError as e:
        print('after with:', e)
    try:
        with q:
            pass
    except ValueError as e:
        print('re-enter:', e)
