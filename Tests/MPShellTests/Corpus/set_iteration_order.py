# Sets of ints iterate and print in CPython's order, which comes from its hash table: built by adding, from
# literals, after removals, as copies and unions, large and negative.
import random

print({3, 1, 2}, {10, 5, 100, 7}, {x % 4 for x in range(10, 0, -1)}, {-1, 5, 3}, set([33, 1, 17]), {1, 2, 3} - {1})
s = set()
for i in (9, 1, 8, 2, 7):
    s.add(i)
print(s)
s.discard(8)
print(s, s.pop())
print({True, 0, 5}, {-5, -3, 2, 0}, {2**40, 3, 2**61, 2**61 - 1})
print(set(range(20, 0, -1)), set(range(100, 0, -7)))
print({x * 37 % 101 for x in range(60)})
random.seed(5)
for n in (5, 13, 40, 200):
    values = [random.randrange(-10**6, 10**6) for _ in range(n)]
    print(n, list(set(values))[:12])
print(list({7, 3, 9, 1}), [x for x in {64, 8, 16, 1}])
a = {1, 2, 3, 40, 17}
print(a | {9, 33}, a & {17, 40, 99}, a ^ {3, 4}, frozenset([9, 1, 5]), a.copy(), set(a))
a |= {50, 14, 26}
print(a)
print({1, 2, 3}.pop(), {8, 16, 3}.pop(), sorted({5, 4}), {'only'}, set())
