import multiprocessing as mp

if __name__ == '__main__':
    try:
        mp.Value('i', 1.5)
    except TypeError as e:
        print("TypeError")
    a = mp.Array('i', 2)
    try:
        a[5] = 1
    except IndexError as e:
        print("IndexError", e)
    v = mp.Value('i', 2, lock=False)
    print(v)
