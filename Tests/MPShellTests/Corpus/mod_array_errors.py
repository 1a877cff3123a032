# array: CPython's range checks and errors
from array import array

for tc in 'bBhHiIlLqQ':
    for v in (200, -200, 70000, -70000, 2**40, -1, 2**63, 2**70):
        try:
            array(tc, [v])
        except OverflowError as e:
            print(tc, v, 'OverflowError', e)
cases = [
    lambda: array('z'), lambda: array('i', [1.5]), lambda: array('d', ['x']), lambda: array('u', [1]),
    lambda: array('i', 'abc'), lambda: array('i', [1]) + array('d', [1.0]), lambda: array('i').pop(),
    lambda: array('i', [1]).index(5), lambda: array('i', [1]).remove(5), lambda: array('i', [1])[5],
    lambda: array('i', [1]).__setitem__(5, 1), lambda: array('i', [1]) + [2], lambda: array('h', b'abc'),
]
for f in cases:
    try:
        f()
    except (TypeError, ValueError, IndexError, OverflowError) as e:
        print(type(e).__name__, e)
