# A worker exception raised several calls deep: the RemoteTraceback lists the program's frames outermost first,
# each with its source line, as the worker's traceback printed them.
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import Pool


def level3(x):
    return {"a": 1}[x]


def level2(x):
    return level3(x) + 1


def level1(x):
    return level2(x) * 2


def frames(exc):
    here = __file__.rsplit("/", 1)[-1]
    lines = str(exc.__cause__).splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.strip().startswith("File") and here in line:
            out.append((line.split()[-1], lines[i + 1].strip()))
    return out


if __name__ == "__main__":
    with Pool(1) as p:
        try:
            p.apply(level1, ("b",))
        except KeyError as e:
            print(frames(e))
    with ProcessPoolExecutor(1) as ex:
        e = ex.submit(level1, "c").exception(timeout=30)
        print(type(e).__name__, e, frames(e))
