# A list and a dict that contain themselves travel to pool workers and back with their cycles intact.
from multiprocessing import Pool


def size(x):
    return len(x)


def same(x):
    return x


if __name__ == '__main__':
    items = [1]
    items.append(items)
    table = {'a': 1}
    table['self'] = table
    with Pool(2) as pool:
        print(pool.map(size, [items, table]))
        back = pool.apply(same, ((items, table),))
        print(back[0][1] is back[0], back[1]['self'] is back[1])
        print(back)
