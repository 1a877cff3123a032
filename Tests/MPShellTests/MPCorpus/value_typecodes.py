import multiprocessing as mp

if __name__ == '__main__':
    for code, v in [('b', -3), ('B', 250), ('h', -300), ('H', 65535), ('i', 2 ** 31 - 1), ('I', 7), ('l', -2 ** 40),
                    ('L', 2 ** 40), ('q', -5), ('Q', 5), ('f', 0.5), ('d', 1e100)]:
        x = mp.Value(code, v)
        print(code, x.value, x)
    w = mp.Value('b', 200)
    print(w.value)
