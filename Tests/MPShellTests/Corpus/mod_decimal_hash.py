# decimal: hashing consistent with int, float and Fraction; Decimals as dict keys and set members; sorting mixed
from decimal import Decimal as D
from fractions import Fraction

for v in ['1', '1.0', '1.00', '-1', '0', '-0', '0.5', '2.5', '1e3', '12345678901234567890', '-0.125', '1e-20', 'inf', '-inf']:
    d = D(v)
    print(v, hash(d) == hash(float(d)), hash(d) == hash(Fraction(d) if d.is_finite() else float(d)))
print(hash(D(5)) == hash(5), hash(D('1e40')) == hash(10 ** 40), hash(D('-7')) == hash(-7), hash(D(-1)) == -2)
d = {D('1.0'): 'a', D('2.50'): 'b'}
print(d[D(1)], d[1], d[D('2.5')], d.get(2.5), D('2.5000') in d, len({D(1), D('1.0'), D('1.00'), 1, 1.0}))
s = {D('0.1'), D('0.10'), D('0.100')}
print(len(s), sorted(s), D('0.1') in {0.1}, D('0.5') in {0.5})
try:
    hash(D('sNaN'))
except TypeError as e:
    print('TypeError', e)
mixed = [D('2.5'), 1, 3.25, D('-1'), Fraction(7, 4), D('1.75')]
print(sorted(mixed, key=lambda x: D(x) if not isinstance(x, Fraction) else D(x.numerator) / x.denominator))
print(D(1) < Fraction(3, 2), D('1.5') == Fraction(3, 2), D('0.3') < 0.3, D('0.3') > 0.3)
print(max([D('1.1'), D('1.10'), D('1.01')]), min(D('-0'), D('0')), sum([D('0.1'), D('0.2'), D('0.3')]))
counts = {}
for v in ['1', '1.0', '2', '2.00', '3']:
    counts[D(v)] = counts.get(D(v), 0) + 1
print(counts)
print(D('123.45').__round__(1), D('123.45').__round__(-1), D(7).__round__(), type(round(D('7.5'))).__name__)
import copy, pickle
x = D('3.14159')
print(copy.copy(x) is x, copy.deepcopy(x) == x, pickle.loads(pickle.dumps(x)), repr(pickle.loads(pickle.dumps(x))))
