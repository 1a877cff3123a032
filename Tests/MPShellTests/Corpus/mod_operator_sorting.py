# operator in sorting and reductions: multi-key sorts, grouping keys, dot products with map(mul)
import operator
from itertools import groupby
from functools import reduce

people = [{'name': 'ann', 'dept': 'ops', 'age': 41}, {'name': 'bob', 'dept': 'dev', 'age': 29},
          {'name': 'cy', 'dept': 'dev', 'age': 35}, {'name': 'di', 'dept': 'ops', 'age': 29}]
by = operator.itemgetter('dept', 'age')
print([p['name'] for p in sorted(people, key=by)])
for dept, grp in groupby(sorted(people, key=operator.itemgetter('dept')), key=operator.itemgetter('dept')):
    print(dept, [operator.itemgetter('name')(p) for p in grp])
print(sum(map(operator.mul, [1, 2, 3], [4, 5, 6])), reduce(operator.or_, [1, 2, 4, 8]), list(map(operator.neg, [1, -2])))
print(list(map(operator.itemgetter(-1), ['abc', 'de'])), sorted(['b', 'A', 'c'], key=operator.methodcaller('lower')))
print(max(people, key=operator.itemgetter('age'))['name'], min(range(10), key=operator.neg))
