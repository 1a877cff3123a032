# decimal: the logical operations on operands whose digits are all 0 or 1, shift and rotate of the coefficient's
# digits, compare_total_mag; CPython's InvalidOperation for operands that are not logical and its TypeErrors
from decimal import Decimal as D, Context, localcontext, getcontext, InvalidOperation
import decimal


def show(f, *args):
    try:
        return str(f(*args))
    except decimal.DecimalException as e:
        return '%s%s' % (type(e).__name__, [k.__name__ for k in e.args[0]])
    except TypeError as e:
        return 'TypeError: %s' % e


a, b = D('1101'), D('111000')
print(a.logical_and(b), a.logical_or(b), a.logical_xor(b), a.logical_invert())
print(D(0).logical_invert(), D('1' * 28).logical_invert(), D(10).logical_and(11), D(1).logical_or(100))
print(repr(a.logical_and(b)), repr(D('0').logical_or(D('0'))))
for x, y in [('101', '110'), ('1111111111', '1'), ('-1', '1'), ('1E1', '1'), ('NaN', '1'), ('2', '1'), ('10.0', '1'),
             ('0', '0'), ('1' * 30, '1' * 30), ('0E-1', '1'), ('-0', '1'), ('Infinity', '1'), ('sNaN', '0'), ('1e0', '11')]:
    x, y = D(x), D(y)
    print(x, y, show(x.logical_and, y), show(x.logical_or, y), show(x.logical_xor, y), show(x.logical_invert))
# with a small precision only the last prec digits count
with localcontext(prec=3):
    print(D('1111111111').logical_and(D(1)), D('1' * 30).logical_invert(), D('1010101').logical_xor(D('1')))
print(show(D(1).logical_and, '1'), show(D(1).logical_or, 1.0), show(D(1).logical_xor, 1), show(D(1).logical_and, None))
# without the trap the invalid operation gives NaN and sets the flag
c = Context(prec=9, traps=[])
print(c.logical_and(D(2), D(1)), c.flags[InvalidOperation], c.logical_or(110, 1), c.logical_invert(10), c.logical_xor(1, 11))
print(show(c.logical_and, '1', 1))

# shift and rotate: the count is an integer with exponent 0 between -prec and prec
getcontext().prec = 9
for x in ['123', '-123', '12345678901', '1E2', '0', '-0E+3', 'Infinity', '-Infinity', 'NaN', 'sNaN', '123456789']:
    row = []
    for k in ['2', '-2', '0', '9', '-9', '10', '1.0', '-0', '2E0', 'NaN', 'sNaN', 'Infinity', '1E1']:
        row.append(show(D(x).shift, D(k)) + '/' + show(D(x).rotate, D(k)))
    print(x, ' '.join(row))
print(D(123).shift(3), D(123).rotate(-1), D(123).shift(-5), show(D(1).shift, '1'), show(D(1).rotate, 1.5))
c = Context(prec=5, traps=[])
print(c.shift(12345, 2), c.rotate(12345, 2), c.rotate(12345, -2), c.shift(D('123456789'), -1), c.rotate(1, 6),
      c.flags[InvalidOperation])
print(c.shift(D('NaN12345678'), 1), c.rotate(1, D('-sNaN77')))

# compare_total_mag: compare_total of the absolute values
for x, y in [('1', '-1'), ('-2', '1'), ('1.0', '1'), ('-NaN', 'NaN'), ('sNaN', '-Infinity'), ('0', '-0'),
             ('-1E+2', '100'), ('NaN5', 'sNaN9'), ('-Infinity', '12')]:
    print(x, y, D(x).compare_total_mag(D(y)), D(x).compare_total(D(y)), getcontext().compare_total_mag(D(x), D(y)))
print(D(1).compare_total_mag(-1), show(D(1).compare_total_mag, '1'))
print(D(1).logical_and(D(1), context=Context(prec=1)), D(11).shift(1, Context(prec=2)))
D(5).logical_or(1)
