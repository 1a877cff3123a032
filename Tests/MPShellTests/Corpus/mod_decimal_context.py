# decimal: contexts (getcontext, setcontext, localcontext, Context), precision, rounding modes, flags and traps
import decimal
from decimal import (Decimal as D, Context, getcontext, setcontext, localcontext, ROUND_HALF_EVEN, ROUND_HALF_UP,
                     ROUND_HALF_DOWN, ROUND_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR, ROUND_05UP, Inexact, Rounded,
                     InvalidOperation, DivisionByZero, Overflow, Underflow, Clamped, FloatOperation, Subnormal)

print(getcontext())
print(decimal.DefaultContext)
print(decimal.BasicContext)
print(decimal.ExtendedContext)
print(D(1) / D(7))
getcontext().prec = 6
print(D(1) / D(7), D('123456789'), +D('123456789'), D('123456789') + 0, D(2).sqrt())
getcontext().prec = 28
for mode in [ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR, ROUND_05UP]:
    c = Context(prec=2, rounding=mode)
    vals = ['1.25', '1.35', '-1.25', '1.21', '-1.29', '1.05', '1.01', '0.951']
    print(mode, [str(c.plus(D(v))) for v in vals], [str(D(v).quantize(D('0.1'), rounding=mode)) for v in vals])
with localcontext() as ctx:
    ctx.prec = 3
    print(D(10) / D(3), ctx.prec, getcontext().prec)
print(getcontext().prec, D(10) / D(3))
with localcontext(prec=50) as ctx:
    print(D(1) / D(3))
with localcontext(Context(prec=4, rounding=ROUND_DOWN)):
    print(D('2') / D('3'), D('9.99999') + 0)
c = getcontext()
c.clear_flags()
x = D(1) / D(3)
print(sorted(k.__name__ for k, v in c.flags.items() if v))
c.clear_flags()
x = D(1) / D(4)
print(sorted(k.__name__ for k, v in c.flags.items() if v))
print(c.flags[Inexact], c.traps[Inexact], c.traps[DivisionByZero], c.traps[InvalidOperation], c.traps[Overflow])
c.clear_flags()
c.traps[Inexact] = True
try:
    D(2) / D(3)
except Inexact as e:
    print('Inexact', type(e).__name__, e.args, isinstance(e, ArithmeticError))
c.traps[Inexact] = False
for bad in [lambda: D(1) / 0, lambda: D(0) / 0, lambda: D('abc'), lambda: D('inf') - D('inf'), lambda: D(-1).sqrt(),
            lambda: D(5) % 0, lambda: D(10) ** 1000000000, lambda: D('1e999999') * 10, lambda: D('nan') < 1,
            lambda: D(1).quantize(D('1e-30'), context=Context(prec=5)), lambda: D(10 ** 30) // D('1e-10')]:
    try:
        print('no error', bad())
    except decimal.DecimalException as e:
        print(type(e).__name__, e, isinstance(e, ZeroDivisionError))
print(sorted(k.__name__ for k, v in c.flags.items() if v))
nc = Context(prec=5, traps=[])
print(nc.divide(D(1), D(0)), nc.divide(D(0), D(0)), nc.sqrt(D(-4)), nc.create_decimal('1.234567'), nc.create_decimal('x'))
print(sorted(k.__name__ for k, v in nc.flags.items() if v))
print(repr(nc), nc.Etiny(), nc.Etop())
e = Context(Emin=-5, Emax=5, prec=3, traps=[])
print(e.create_decimal('1e-7'), e.create_decimal('1.234e-6'), e.create_decimal('9.999e5'), e.create_decimal('1e10'))
print(sorted(k.__name__ for k, v in e.flags.items() if v))
e2 = Context(Emin=-5, Emax=5, prec=3, clamp=1)
print(e2.create_decimal('1e5'), e2.create_decimal('0e9'))
print(nc.add(1, 2), nc.multiply(D('1.5'), 3), nc.subtract(10, D('0.25')), nc.power(2, 10), nc.divide_int(17, 5),
      nc.remainder(17, 5), nc.abs(D(-3)), nc.minus(D(3)), nc.compare(1, 2), nc.to_sci_string(D('1e-9')))
s = Context(prec=7)
setcontext(s)
print(getcontext() is s, D(22) / D(7))
setcontext(decimal.DefaultContext)
print(getcontext().prec, getcontext() is decimal.DefaultContext)
c = getcontext().copy()
c.prec = 2
print(getcontext().prec, c.prec, D('1.2345').quantize(D('0.1'), context=c))
c.traps[FloatOperation] = True
try:
    c.create_decimal_from_float(1.5)
    print(D(1.5, context=c))
except FloatOperation as e:
    print('FloatOperation', e)
