from multiprocessing import Pool

def bad(x):
    return {}[x]

if __name__ == '__main__':
    with Pool(2) as p:
        print(p.map(abs, [-1]))
        p.map(bad, ['missing'])
