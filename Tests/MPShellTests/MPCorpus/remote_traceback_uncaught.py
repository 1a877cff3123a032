# An uncaught task exception ends the program with status 1; its last stderr line is the exception (the remote
# traceback and the chain above it are compared line by line by RemoteTracebackTests).
from multiprocessing import Pool


def f(x):
    raise PermissionError("file-%d is not yours" % x)


if __name__ == "__main__":
    with Pool(1) as p:
        print("before")
        p.apply(f, (4,))
    print("not reached")
