# decimal: sqrt, exp, ln, log10, power with fractional exponents, fma, scaleb, logb, next_plus, as_integer_ratio
from decimal import Decimal as D, getcontext, localcontext, Context
import decimal

for v in ['2', '0.25', '100', '1e-10', '12345678901234567890', '0', '-0', '1.44', 'Infinity']:
    print('sqrt', v, D(v).sqrt())
for v in ['1', '0', '-1', '10', '0.5', '2.302585092994045684017991455', '-10', '100']:
    print('exp', v, D(v).exp())
for v in ['1', '2', '10', '0.5', '1e-10', '123456789', '2.718281828459045235360287471']:
    print('ln', v, D(v).ln())
for v in ['10', '1000', '0.001', '2', '1e-50', '5', '31.6227766']:
    print('log10', v, D(v).log10())
print(D(2) ** D('0.5'), D(10) ** D('1.5'), D('1.5') ** D('2.5'), D(8) ** (D(1) / 3), D('0.5') ** D('-1.5'))
print(D(2) ** 64, D('1.0001') ** 1000, D(3) ** -5, D('-1.5') ** 3, D(0) ** 5, D(7) ** 0)
print(pow(D(3), 4, 7), pow(D(-3), 3, 10), D(2).fma(3, 4), D('1.5').scaleb(3), D('1.5').scaleb(-2), D(1234).logb())
with localcontext() as ctx:
    ctx.prec = 50
    print(D(2).sqrt(), D(1).exp())
    print(D(10).ln())
with localcontext(prec=5):
    print(D(2).sqrt(), D(1).exp(), D(2).ln(), D(7).log10(), D('1.7') ** D('3.1'))
print(D(1).next_plus(), D(1).next_minus(), D(0).next_plus(), D('-1').next_toward(D(0)))
print(D('1.1').remainder_near(D('0.5')), D(10).remainder_near(D(3)), D(10).remainder_near(D(6)))
# pi by Machin's formula in Decimal
def arctan_inv(x, prec):
    with localcontext() as c:
        c.prec = prec + 5
        x = D(x)
        total = term = 1 / x
        x2 = x * x
        n = 1
        sign = -1
        while True:
            term = term / x2
            t = term / (2 * n + 1)
            if t == 0 or t.adjusted() < -(prec + 5):
                break
            total += sign * t
            sign = -sign
            n += 1
        return total
with localcontext() as c:
    c.prec = 60
    pi = 4 * (4 * arctan_inv(5, 60) - arctan_inv(239, 60))
    print(+pi)
print(D(math_e := D(1).exp()), round(math_e, 10))
