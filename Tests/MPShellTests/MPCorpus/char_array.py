import multiprocessing as mp

def shout(a):
    a.value = a.value.upper()

if __name__ == '__main__':
    a = mp.Array('c', b'hello')
    print(a[:], a[0], len(a))
    p = mp.Process(target=shout, args=(a,))
    p.start()
    p.join()
    print(a.value, a.raw)
    a.value = b'hi'
    print(a.value, a.raw)
    b = mp.Array('c', 4)
    print(b.raw)
