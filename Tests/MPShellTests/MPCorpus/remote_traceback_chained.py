# The worker's traceback text holds the worker's own chain: "raise ... from" and an exception raised while
# handling another both appear in the RemoteTraceback, as traceback.format_exception prints them.
from multiprocessing import Pool


def get(key):
    return {"a": 1}[key]


def lookup(key):
    try:
        return get(key)
    except KeyError as e:
        raise LookupError("no %s" % key) from e


def divide(x):
    return x / 0


def during(x):
    try:
        divide(x)
    except ZeroDivisionError:
        raise TypeError("while handling")


def relabel(text):
    return [l for l in text.splitlines() if not l.startswith("  ")]


if __name__ == "__main__":
    with Pool(1) as p:
        for fn, arg in [(lookup, "z"), (during, 4)]:
            try:
                p.apply(fn, (arg,))
            except Exception as e:
                print(type(e).__name__, e)
                for line in relabel(str(e.__cause__)):
                    print("   |", line)
                print("   context of e:", type(e.__context__).__name__ if e.__context__ else None)
