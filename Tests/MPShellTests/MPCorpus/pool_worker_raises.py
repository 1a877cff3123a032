from multiprocessing import Pool

class MyError(Exception):
    pass

def check(x):
    if x == 7:
        raise MyError('seven is not allowed', x)
    if x == 13:
        raise ZeroDivisionError('division by zero')
    return x

if __name__ == '__main__':
    with Pool(2) as p:
        try:
            p.map(check, range(10))
        except MyError as e:
            print(type(e).__name__, e.args)
        try:
            p.apply(check, (13,))
        except ZeroDivisionError as e:
            print('ZeroDivisionError:', e)
        it = p.imap(check, [1, 7, 3])
        print(next(it))
        try:
            next(it)
        except MyError as e:
            print('imap raised', e.args[0])
        print(next(it))
        print(p.map(check, [1, 2]))
