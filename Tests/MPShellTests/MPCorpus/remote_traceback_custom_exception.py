# A task raising an exception class of the program's own, with several arguments: the parent gets that class back
# with its args, and the RemoteTraceback's last line names it as the worker printed it.
from multiprocessing import Pool


class Rejected(Exception):
    def __init__(self, code, reason):
        super().__init__(code, reason)
        self.code = code


def validate(x):
    if x > 2:
        raise Rejected(400 + x, "too big")
    return x


if __name__ == "__main__":
    with Pool(1) as p:
        try:
            p.map(validate, [1, 2, 3, 4])
        except Rejected as e:
            print(type(e).__name__, e.args, isinstance(e, Exception))
            print(str(e.__cause__).strip().splitlines()[-2])
