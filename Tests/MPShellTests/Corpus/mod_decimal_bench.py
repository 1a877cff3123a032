# decimal: pyperformance's three decimal workloads in small: pi by series (decimal_pi), factorial by splitting at
# full precision (decimal_factorial), and telco's pricing with quantize and a banker's context
import decimal
from decimal import Decimal, Context, ROUND_HALF_EVEN, ROUND_DOWN, getcontext, localcontext


def pi_decimal():
    D = decimal.Decimal
    lasts, t, s, n, na, d, da = D(0), D(3), D(3), D(1), D(0), D(0), D(24)
    while s != lasts:
        lasts = s
        n, na = n + na, na + 8
        d, da = d + da, da + 32
        t = (t * n) / d
        s += t
    return s


for prec in [9, 19, 40]:
    getcontext().prec = prec
    print(prec, pi_decimal())


def factorial(n, m):
    if n > m:
        return factorial(m, n)
    elif m == 0:
        return 1
    elif n == m:
        return n
    else:
        return factorial(n, (n + m) // 2) * factorial((n + m) // 2 + 1, m)


with localcontext() as c:
    c.prec = decimal.MAX_PREC
    c.Emax = decimal.MAX_EMAX
    c.Emin = decimal.MIN_EMIN
    f = factorial(Decimal(1000), 0)
    s = str(f)
    print(len(s), s[:40], s[-10:], f.adjusted())
    print(factorial(Decimal(25), 0), factorial(Decimal(5), 0) + 7)

getcontext().prec = 28
getcontext().rounding = ROUND_DOWN
rates = list(map(Decimal, ('0.0013', '0.00894')))
twodig = Decimal('0.01')
Banker = Context(rounding=ROUND_HALF_EVEN)
basictax = Decimal("0.0675")
disttax = Decimal("0.0341")
sumT = sumB = sumD = Decimal("0")
n = 12345
for i in range(40):
    n = (n * 1103515245 + 12345) % (2 ** 31)
    calltype = n & 1
    r = rates[calltype]
    p = Banker.quantize(r * (n % 1000), twodig)
    b = (p * basictax).quantize(twodig)
    sumB += b
    t = p + b
    if calltype:
        d = (p * disttax).quantize(twodig)
        sumD += d
        t += d
    sumT += t
    print(t, end=' ')
print()
print(sumT, sumB, sumD)
getcontext().rounding = ROUND_HALF_EVEN
