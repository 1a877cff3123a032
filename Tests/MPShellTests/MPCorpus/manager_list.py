import multiprocessing as mp

def add(l, i):
    l.append(i)

if __name__ == '__main__':
    manager = mp.Manager()
    l = manager.list()
    ps = [mp.Process(target=add, args=(l, i)) for i in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print(sorted(l))
    l2 = manager.list([5, 3, 8])
    l2.append(1); l2.extend([9, 0]); l2.insert(0, 7)
    print(l2, len(l2), l2[0], l2[-1], l2[1:3])
    l2.sort(); print(l2)
    l2.reverse(); print(l2)
    print(l2.pop(), l2.pop(0), l2.index(5), l2.count(3), 3 in l2)
    l2.remove(3); l2[0] = 'x'
    print(l2, list(l2), l2[:])
    try:
        l2[10]
    except IndexError as e:
        print('IndexError', e)
    print(repr(l2).startswith('<ListProxy object'))
    manager.shutdown()
