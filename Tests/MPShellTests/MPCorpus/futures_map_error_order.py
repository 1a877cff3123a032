# executor.map yields results in order up to the failed item, whose exception (with its _RemoteTraceback) is
# raised there; a later map on the same executor works.
from concurrent.futures import ProcessPoolExecutor


def inv(x):
    return 1 / x


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        got = []
        try:
            for v in ex.map(inv, [1, 2, 4, 0, 5], chunksize=2):
                got.append(v)
        except ZeroDivisionError as e:
            print("after", got, "->", type(e).__name__, e, type(e.__cause__).__name__)
        print(list(ex.map(inv, [8, 10])))
