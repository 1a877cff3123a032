# decimal: construction from int, str, float and tuple; str and repr as CPython's; arithmetic and exact results
from decimal import Decimal as D
import decimal

for v in [0, -5, 12345678901234567890123, '1.50', '-0', '0.000001', '0.0000001', '1e10', '1E+2', '123.456e-8',
          '  7.25  ', '1_000.5', 'inf', '-Infinity', 'nan', 'sNaN', 'NaN123', 0.1, -2.5, 1e100, (0, (1, 4, 1), -2),
          (1, (0,), 5), (0, (), 'F')]:
    d = D(v)
    print(repr(v), '->', d, repr(d), d.as_tuple())
print(D('1.1') + D('2.2'), D('1.10') + D('2.205'), D('5') - D('7.5'), D('1.20') * D('3'), D('-0') + D('0'))
print(D(1) / D(3), D(2) / D(8), D(1) / D(4), D('1.00') / D('0.2'), D(100) / D(10), D(-7) / D(2))
print(D(7) // D(2), D(-7) // D(2), D(7) % D(-2), D(-7) % D(2), D('7.5') % D('2'), divmod(D(7), D(-2)))
print(D(2) ** 10, D('1.1') ** 3, D(2) ** -3, D('0.5') ** 2, D(10) ** D(-2), D(-2) ** 3)
print(-D('1.5'), +D('-0'), abs(D('-3.25')), D(5) + 3, 3 - D('0.5'), 2 * D('1.5'), 1 / D(8), 7 // D(2), 7 % D(3))
print(D('1.30') == D('1.3'), D(1) == 1, D('0.5') == 0.5, D('0.1') == 0.1, D(2) > 1, D('-1') < D('-0.5'))
print(sorted([D('3.5'), D(1), D('-2'), D('1.0'), D('0.25')]), max(D(1), D('1.5')), min(D('-1'), D(0)))
print(D('NaN') == D('NaN'), D('Infinity') > D(10 ** 30), D('-Infinity') < -10 ** 30, D('inf') + 1, D('-inf') * -2)
print(int(D('-12.9')), int(D('1e3')), float(D('0.1')), float(D('-inf')), round(D('2.5')), round(D('3.5')), round(D('-2.675'), 2))
import math
print(math.floor(D('-1.5')), math.ceil(D('-1.5')), math.trunc(D('9.99')), bool(D(0)), bool(D('0.00')), bool(D('1e-30')))
print(D(12345).adjusted(), D('0.00123').adjusted(), D('123.4500').as_integer_ratio(), D(-8).as_integer_ratio())
print(D.from_float(0.25), D.from_float(1.1), D(5).is_zero(), D(0).is_zero(), D('-0').is_signed(), D('nan').is_nan())
print(D('inf').is_infinite(), D(3).is_finite(), D('sNaN').is_snan(), D('NaN').is_qnan(), D(1).is_normal())
print(D('-1.5').copy_abs(), D('1.5').copy_negate(), D(3).copy_sign(D(-1)), D('1.2300').normalize(), D('0E+5').normalize())
print(D('120000').normalize(), D('1.5').number_class(), D('-0').number_class(), D('-inf').number_class(), D('nan').number_class())
print(D(1).compare(D(2)), D(2).compare(D(2)), D('1.0').compare_total(D(1)), D(1).max(D('1.0')), D('-2').min(D(1)))
print(D('12.34').to_eng_string(), D('1.2E+7').to_eng_string(), D('1.2E-8').to_eng_string(), D('0E+1').to_eng_string())
