# decimal: the money patterns of tutorials: quantize to cents, sums without drift, tax, interest, formatting
from decimal import Decimal, ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN, getcontext, localcontext

CENT = Decimal('0.01')
prices = ['19.99', '5.01', '0.10', '0.20', '3.333', '100']
total = sum(Decimal(p) for p in prices)
print(total, sum(float(p) for p in prices), total.quantize(CENT))
print(sum([Decimal('0.1')] * 10) == Decimal(1), sum([0.1] * 10) == 1.0)
tax = Decimal('0.0825')
for p in prices:
    d = Decimal(p)
    print(f'{p:>8} tax {(d * tax).quantize(CENT, ROUND_HALF_UP)} total {(d * (1 + tax)).quantize(CENT)}'
          f' down {(d * tax).quantize(CENT, rounding=ROUND_DOWN)}')
balance = Decimal('1000.00')
rate = Decimal('0.05') / 12
for month in range(1, 13):
    interest = (balance * rate).quantize(CENT, ROUND_HALF_EVEN)
    balance += interest
    if month % 3 == 0:
        print(month, interest, balance)
print(f'{balance:,.2f}', f'{balance:>15,.2f}|', f'{Decimal("1234567.891"):,.1f}', f'{Decimal("-0.5"):+.3f}')
print(format(Decimal('0.075'), '.1%'), format(Decimal('12345.6789'), '.3e'), format(Decimal('12345.6789'), '.3g'),
      format(Decimal('0.00001234'), 'g'), format(Decimal('1.5'), '08.2f'), format(Decimal('1.5'), '*^10'))
print(format(Decimal('123.456'), 'f'), format(Decimal('1E+3'), 'f'), format(Decimal('1e-7'), ''), format(Decimal('-0.0'), '.2f'),
      format(Decimal(7), '.2f'), format(Decimal('2.675'), '.2f'), format(Decimal('1234'), ','), format(Decimal('1e20'), 'E'))
# splitting a bill so that the cents add up
amount = Decimal('100.00')
n = 3
share = (amount / n).quantize(CENT, ROUND_DOWN)
shares = [share] * n
shares[0] += amount - share * n
print(shares, sum(shares))
with localcontext() as ctx:
    ctx.prec = 50
    print(Decimal(1) / Decimal(7))
print(Decimal('3.14159').quantize(Decimal('1.00')), Decimal('7.325').quantize(Decimal('.01'), rounding=ROUND_DOWN),
      Decimal('7.325').quantize(Decimal('1.'), rounding=ROUND_HALF_UP), Decimal('1.41421356').quantize(Decimal('1.000')))
print(Decimal('12.345').to_integral_value(), Decimal('-12.5').to_integral_value(), Decimal('12.5').to_integral_exact(rounding=ROUND_HALF_UP))
print(Decimal('35.72').quantize(Decimal('1E+1')), Decimal('1E+2').quantize(Decimal('1')), Decimal('0.00').quantize(Decimal('1e-5')))
print(Decimal('2.50').same_quantum(Decimal('3.14')), Decimal('2.5').same_quantum(Decimal('3.14')))
