import multiprocessing as mp

def change(i, d, c):
    i.value = -7
    d.value = 2.5
    c.value = b"z"

if __name__ == '__main__':
    i = mp.Value('i', 5)
    d = mp.Value('d', 1.25)
    c = mp.Value('c', b"a")
    print(i, d, c)
    p = mp.Process(target=change, args=(i, d, c))
    p.start(); p.join()
    print(i.value, d.value, c.value)
    with i.get_lock():
        i.value += 10
    print(i.value)
    h = mp.Value('h', 40000)
    print(h.value)
    r = mp.RawValue('l', 3)
    print(r.value)
