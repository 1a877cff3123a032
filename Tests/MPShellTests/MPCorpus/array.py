import multiprocessing as mp

def fill(a):
    for k in range(len(a)):
        a[k] = k * k

if __name__ == '__main__':
    a = mp.Array('i', 5)
    print(a[:], len(a))
    p = mp.Process(target=fill, args=(a,))
    p.start(); p.join()
    print(a[:], a[1:4], a[-1], list(a))
    f = mp.Array('d', [0.5, 1.5])
    f[0] = 3
    print(f[:], sum(f))
    a[1:3] = [7, 8]
    print(a[:])
    with a.get_lock():
        a[0] += 1
    print(a[0])
