# numbers, pprint and gc: the numeric tower for isinstance checks, pretty-printing nested data, gc's calls
import numbers, pprint, gc
from fractions import Fraction

for v in [1, 2.5, Fraction(1, 3), True, 'x']:
    print(repr(v), isinstance(v, numbers.Number), isinstance(v, numbers.Integral), isinstance(v, numbers.Real),
          isinstance(v, numbers.Rational))
data = {'name': 'mpsh', 'versions': list(range(12)), 'nested': {'deep': [{'a': 1, 'b': [1, 2, 3] * 4}], 'z': None},
        'tuple': (1, 2), 'long string': 'x' * 60}
pprint.pprint(data)
pprint.pprint(data, width=40, depth=2)
print(pprint.pformat([1, [2, [3, [4, [5]]]]], depth=3), pprint.isreadable([1, 2]), pprint.saferepr({'b': 1, 'a': 2}))
print(gc.isenabled(), gc.collect() >= 0)
gc.disable(); print(gc.isenabled()); gc.enable(); print(gc.isenabled())
