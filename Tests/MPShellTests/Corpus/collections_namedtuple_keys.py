# namedtuples as dict and set keys (their hash kept after the first use), equal to tuples with the same items,
# nested ones, and sent through a pickle round trip with their hash already computed.
import collections, pickle
S = collections.namedtuple('S', 'a b')
T = collections.namedtuple('T', ['s', 'n'])
d = {}
for k in range(5):
    d[T(S(k, 'x'), k % 2)] = k
print(d[T(S(3, 'x'), 1)], T(S(3, 'x'), 1) in d, T(S(3, 'x'), 0) in d, len(set(d)), (S(1, 2) == (1, 2)), hash(S(1, 2)) == hash(S(1, 2)))
print(hash(S(1, 2)) == hash((1, 2)))
t = T(S(1, [2]), 3)
try:
    hash(t)
except TypeError as e:
    print('TypeError', e)
print(S(1, 2) == S(1, 2), S(1, 2) == S(1, 3), S(1, 2) != S(2, 1), S(float('nan'), 1) == S(float('nan'), 1))
