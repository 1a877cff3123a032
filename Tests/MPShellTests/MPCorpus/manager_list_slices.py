# A Manager list takes slice assignment and deletion, and `+`, `*` and `*=`, as CPython's ListProxy does.
from multiprocessing import Manager, Process


def grow(shared):
    shared[1:3] = ['b', 'c', 'd']
    del shared[-1:]


if __name__ == '__main__':
    with Manager() as manager:
        shared = manager.list(range(6))
        shared[0:2] = [9, 9]
        del shared[0:1]
        shared[::2] = ['x', 'y', 'z']
        print(list(shared))
        print(shared * 2, 2 * shared, shared + [1])
        p = Process(target=grow, args=(shared,))
        p.start()
        p.join()
        print(list(shared))
        shared *= 2
        print(len(shared), shared[:3])
        try:
            shared[::2] = [1]
        except ValueError as e:
            print('ValueError:', e)
