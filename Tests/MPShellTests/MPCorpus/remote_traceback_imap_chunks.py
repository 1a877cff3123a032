# imap with chunks: the results before a failing item arrive, then the failing item's exception with its
# RemoteTraceback; the iterator and the pool go on afterwards.
from multiprocessing import Pool


def check(x):
    if x == 5:
        raise IndexError("item %d is out of range" % x)
    return x * x


if __name__ == "__main__":
    with Pool(2) as p:
        it = p.imap(check, range(8), chunksize=2)
        got = []
        try:
            for value in it:
                got.append(value)
        except IndexError as e:
            print("got before the error:", got)
            print(type(e).__name__, e, "|", str(e.__cause__).strip().splitlines()[-2])
        print("unordered:", sorted(p.imap_unordered(check, [1, 2, 3])))
        try:
            p.starmap(divmod, [(7, 2), (1, 0)])
        except ZeroDivisionError as e:
            print(type(e).__name__, e, type(e.__cause__).__name__)
