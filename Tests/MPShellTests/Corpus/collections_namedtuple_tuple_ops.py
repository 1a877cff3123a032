# A namedtuple behaves as the tuple it is in CPython: ordered against tuples and other namedtuples (sorted, max,
# the pyperformance mdp benchmark sorts them), +, *, in, count, index; NotImplemented for other types.
import collections
P = collections.namedtuple('P', ['x', 'y'])
a, b = P(1, 2), P(1, 3)
print(a < b, a <= b, max(a, b), sorted([b, a]), a == (1, 2), a + (5,), a * 2, hash(a) == hash((1, 2)))
print(sorted([(P(2, 1), 'z'), (P(1, 9), 'y')]))
Q = collections.namedtuple('Q', 'x y')
print(P(1, 2) < Q(1, 3), P(1, 2) >= (1, 2), (0, 5) < P(1, 2), P(3, 4) > (3,), 2 in P(1, 2), P(1, 1).count(1), P(5, 6).index(6))
print((9,) + P(1, 2), 2 * P(1, 2), P(1, 2) != (1, 2), P(1, 2) == Q(1, 2))
try:
    P(1, 2) < 5
except TypeError as e:
    print(e)
try:
    P(1, 2).index(7)
except ValueError as e:
    print(e)
