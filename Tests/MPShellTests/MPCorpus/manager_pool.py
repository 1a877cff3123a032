# Manager().Pool: a pool obtained from a manager maps, applies and reports task errors as a Pool does.
import multiprocessing


def cube(x):
    return x ** 3


def boom(x):
    raise ZeroDivisionError("boom %d" % x)


if __name__ == "__main__":
    with multiprocessing.Manager() as m:
        pool = m.Pool(2)
        print(pool.map(cube, range(6)))
        print(pool.apply(cube, (7,)))
        r = pool.apply_async(boom, (3,))
        try:
            r.get(timeout=30)
        except ZeroDivisionError as e:
            print("ZeroDivisionError:", e)
        print(sorted(pool.imap_unordered(cube, [1, 2, 3])))
        shared = m.list()
        pool.close()
        pool.join()
        shared.append("after join")
        print(list(shared))
