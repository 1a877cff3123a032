# pickle: every protocol's bytes for the basic types (byte for byte CPython's) and their round trips
import pickle
obj = [1, 'ab', (1, 2), {'k': None}, 2**70, -5, 1.5, True, b'xy', {3}, -2**40, 255, 65535, 65536, 'é€😀', (), [], {}, (1,), (1,2,3,4), frozenset([1])]
for p in range(6):
    d = pickle.dumps(obj, p)
    print(p, d)
    print(pickle.loads(d) == obj)
