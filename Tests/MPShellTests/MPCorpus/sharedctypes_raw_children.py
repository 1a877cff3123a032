# RawArray and RawValue from multiprocessing.sharedctypes shared with children that write distinct slots (no
# lock needed); Value and Array with lock=False.
import multiprocessing
from multiprocessing.sharedctypes import RawArray, RawValue, Value, Array


def fill(arr, k, n):
    for i in range(k, len(arr), n):
        arr[i] = i * i


def set_flag(flag):
    flag.value = 7


if __name__ == "__main__":
    arr = RawArray('l', 12)
    flag = RawValue('i', 0)
    ps = [multiprocessing.Process(target=fill, args=(arr, k, 3)) for k in range(3)]
    ps.append(multiprocessing.Process(target=set_flag, args=(flag,)))
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(arr[:], flag.value, len(arr))
    print(Value('d', 1.5, lock=False).value, Array('i', 3, lock=False)[:])
    print(RawArray('d', [0.5, 1.5])[:], RawValue('b', -3).value)
