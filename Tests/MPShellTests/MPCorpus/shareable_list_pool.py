# A ShareableList written by pool workers that attach to it by name, each its own slot.
from multiprocessing import Pool
from multiprocessing.shared_memory import ShareableList


def work(args):
    name, i = args
    sl = ShareableList(name=name)
    sl[i] = sl[i] * 10 + i
    sl.shm.close()
    return i


if __name__ == "__main__":
    sl = ShareableList([1, 2, 3, 4, 5, 6])
    with Pool(2) as p:
        print(sorted(p.map(work, [(sl.shm.name, i) for i in range(len(sl))])))
    print(list(sl), sl.format)
    sl.shm.close()
    sl.shm.unlink()
