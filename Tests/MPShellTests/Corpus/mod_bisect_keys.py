# bisect with key= over records sorted by a field; insort keeps the order; errors for bad bounds
import bisect

rows = [('ann', 19), ('bob', 25), ('cy', 31), ('di', 40)]
age = lambda r: r[1]
print(bisect.bisect_left(rows, 25, key=age), bisect.bisect_right(rows, 25, key=age), bisect.bisect(rows, 100, key=age))
bisect.insort_left(rows, ('eve', 25), key=age)
bisect.insort_right(rows, ('fay', 25), key=age)
print([r[0] for r in rows])
try:
    bisect.bisect([1, 2], 1, lo=-1)
except ValueError as e:
    print('ValueError:', e)
print(bisect.bisect_left([], 5), bisect.bisect_right([1, 1, 1], 1))
