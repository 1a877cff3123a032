# numbers: a custom class registered in the tower, isinstance checks used to dispatch arithmetic helpers
import numbers
from fractions import Fraction

def describe(x):
    if isinstance(x, numbers.Integral):
        return 'integral'
    if isinstance(x, numbers.Rational):
        return 'rational'
    if isinstance(x, numbers.Real):
        return 'real'
    if isinstance(x, numbers.Complex):
        return 'complex'
    return 'not a number'

print([describe(v) for v in [3, True, Fraction(1, 2), 2.5, 'x', None, [1]]])
print(issubclass(int, numbers.Number), issubclass(float, numbers.Integral), issubclass(bool, numbers.Integral))
