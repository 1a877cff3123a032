# The docs' shared-memory example: Value(c_double, ...) and Array(c_int, ...) by ctypes type names.
import multiprocessing as mp
from ctypes import c_double, c_int, c_bool, c_char

def work(n, a, flag):
    n.value = 3.1415927
    for i in range(len(a)):
        a[i] = -a[i]
    flag.value = True

if __name__ == '__main__':
    num = mp.Value(c_double, 0.0)
    arr = mp.Array(c_int, range(10))
    flag = mp.Value(c_bool, False)
    p = mp.Process(target=work, args=(num, arr, flag))
    p.start()
    p.join()
    print(num.value, arr[:], flag.value)
    raw = mp.RawArray(c_char, 5)
    raw.value = b'hey'
    print(raw.value, mp.Value('i', 7).value, mp.Array(c_double, 3)[:])
