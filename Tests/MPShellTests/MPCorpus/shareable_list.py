# shared_memory.ShareableList: items of every kind, attached by name from a child that changes them, its format,
# count and index, fixed room for str/bytes (ValueError when it is exceeded), repr, and the block released.
from multiprocessing import Process
from multiprocessing.shared_memory import ShareableList


def change(name):
    sl = ShareableList(name=name)
    sl[0] = sl[0] * 2
    sl[1] = "howdy"
    sl[3] = None
    sl[-1] = 2.5
    sl.shm.close()


if __name__ == "__main__":
    sl = ShareableList([21, "hello", b"raw", True, None, 1.25])
    print(len(sl), list(sl), sl.format)
    p = Process(target=change, args=(sl.shm.name,))
    p.start()
    p.join()
    print(p.exitcode, list(sl))
    print(sl.count(None), sl.index("howdy"), sl[-2], sl[2])
    try:
        sl[1] = "a string far longer than the room it was given"
    except ValueError as e:
        print("ValueError:", e)
    try:
        sl[10]
    except IndexError as e:
        print("IndexError:", e)
    try:
        sl.index(99)
    except ValueError as e:
        print("ValueError:", e)
    print(repr(sl).startswith("ShareableList([42, 'howdy', b'raw', None, None, 2.5], name="))
    empty = ShareableList()
    print(len(empty), list(empty))
    for s in (sl, empty):
        s.shm.close()
        s.shm.unlink()
