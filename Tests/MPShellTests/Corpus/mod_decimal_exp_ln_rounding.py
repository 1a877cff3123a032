# decimal: exp, ln and log10 correctly rounded, as CPython's are, where the value lies very close to a rounding
# boundary; powers rounded as libmpdec rounds them; the flags each sets; overflow and underflow at the edges
from decimal import (Decimal as D, Context, localcontext, ROUND_HALF_EVEN, ROUND_UP, ROUND_DOWN, ROUND_CEILING,
                     ROUND_FLOOR, ROUND_05UP, Inexact, Rounded, Overflow, Underflow, Subnormal, Clamped,
                     InvalidOperation, DivisionByZero, MAX_EMAX, MIN_EMIN)
import decimal

NAMES = [InvalidOperation, DivisionByZero, Overflow, Underflow, Subnormal, Inexact, Rounded, Clamped]


def run(ctx, f, *args):
    ctx.clear_flags()
    try:
        r = str(f(*args))
    except decimal.DecimalException as e:
        r = '%s %s' % (type(e).__name__, [k.__name__ for k in e.args[0]])
    return r + ' ' + ','.join(k.__name__ for k in NAMES if ctx.flags[k])


# cases a few guard digits do not settle (each was rounded the wrong way by an earlier mpsh)
CASES = [
    ("log10", 9, -37, 21, "1.892623158943618824749602E+74"),
    ("exp", 7, -999999, 999999, "-94.711809262137048934176683118297"),
    ("log10", 9, -999999, 999999, "0.0000019625637597460506456"),
    ("ln", 12, -999999, 999999, "6031.6321549877853504368694135408"),
    ("log10", 3, -999999, 999999, "1.011987154756384598442496494"),
    ("ln", 3, -999999, 999999, "0.9999970350043956081557"),
    ("ln", 9, -999999, 999999, "0.993226328812778317160665075793373"),
    ("exp", 9, -999999, 999999, "133.2069544735328199760068893912"),
    ("ln", 12, -999999, 999999, "0.999992297227628658445331249637564"),
    ("log10", 2, -999999, 999999, "3.16227766016837933200E-61"),
    ("log10", 12, -39, 58, "0.9999999999999999999999999995"),
    ("ln", 3, -999999, 999999, "4.951967266694319012180E-967"),
    ("ln", 5, -36, 56, "2.22653363340523959121148329004E-64"),
    ("exp", 5, -999999, 999999, "-69.12555151725949102281751925"),
    ("exp", 7, -999999, 999999, "-79.138283916923061065220206"),
    ("ln", 9, -999999, 999999, "0.9999999653796735492835156086837293"),
    ("log10", 16, -999999, 999999, "0.979586488325790835565265733395661632418"),
    ("ln", 3, -999999, 999999, "1.064983502458903380004435801E-34027"),
    ("log10", 7, -999999, 999999, "6.9984199600227349882437135E-20431"),
    ("ln", 1, -999999, 999999, "1.000000000000000000489682599"),
    ("log10", 1, -999999, 999999, "0.9999999999101267339601576065"),
    ("ln", 5, -999999, 999999, "83951072848.4020100978402280"),
    ("log10", 16, -999999, 999999, "2.66295823516741307926168799550618865E-3152"),
    ("ln", 1, -999999, 999999, "665.141633044361840694"),
]
for op, prec, emin, emax, x in CASES:
    c = Context(prec=prec, Emin=emin, Emax=emax, traps=[])
    print(op, prec, x, '->', run(c, getattr(c, op), D(x)))

# more such cases, built here: x = ln(t) (or exp(t), 10**t) to a few more digits than needed, for a tie t
seed = 2024


def rand(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n


for i in range(60):
    prec = [3, 5, 9, 16, 28, 40][i % 6]
    digits = ''.join(str(1 + rand(9)) for _ in range(prec)) + '5'
    tie = D(digits).scaleb(rand(9) - 4 - prec)
    op = ['exp', 'ln', 'log10'][i % 3]
    with localcontext() as w:
        w.prec = prec + 6 + rand(12)
        x = tie.ln() if op == 'exp' else tie.exp() if op == 'ln' else D(10) ** tie
    c = Context(prec=prec, rounding=[ROUND_DOWN, ROUND_UP, ROUND_FLOOR][i % 3])
    print(op, prec, x, '->', run(c, getattr(c, op), x))

# exact results and the shortcuts near zero, at and past the overflow and underflow edges, subnormal results
c = Context(prec=5, Emin=-10, Emax=10, traps=[])
for x in ['1.000', '1', '100.0', '1E+5', '0.0010', '-0', '0.000', 'NaN123', '-Infinity', 'Infinity', '-2', 'sNaN']:
    print(x, run(c, c.ln, D(x)), '|', run(c, c.log10, D(x)), '|', run(c, c.exp, D(x)))
for x in ['25', '23.1', '23.03', '-23.5', '-25.3', '-30', '-34.5', '-1000', '1E+9', '-1E+9', '1E-7', '-1E-7', '1E-5',
          '-9E-6']:
    print('exp', x, run(c, c.exp, D(x)))
big = Context(prec=12, Emin=MIN_EMIN, Emax=MAX_EMAX, traps=[])
for x in ['1E+19', '-1E+19', '2302585092994045684', '-2302585092994045684', '1E-999999999999999999']:
    print('huge', x, run(big, big.exp, D(x)), run(big, big.ln, D(x).copy_abs()))
c = Context(prec=9, Emin=-50, Emax=50, clamp=1, traps=[])
print(run(c, c.exp, D('-117')), run(c, c.exp, D('115.1')), run(c, c.log10, D('1E-50')))
# traps: Overflow raises (after the flags are set), InvalidOperation for ln(-1)
c = Context(prec=9, Emax=99)
print(run(c, c.exp, D(500)), run(c, c.ln, D(-1)), run(c, c.log10, D(0)))
# the context's rounding does not matter: exp, ln and log10 round half even
for r in [ROUND_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR, ROUND_05UP]:
    c = Context(prec=6, rounding=r)
    print(r, c.exp(D(1)), c.ln(D(3)), c.log10(D(2)), c.exp(D(-1)))
# the methods and the current context
with localcontext(prec=50):
    print(D(2).exp(), D(2).ln(), D(2).log10(), D('0.5').ln())
print(D(1).exp(), D(10).ln(), D('1e-20').log10(), D('1.0000000000000000000000000001').ln())

# powers: integral ones by repeated squaring, the others through ln and exp, then rounded by the context
for prec, rounding, x, y in [(9, ROUND_HALF_EVEN, '1.0001', '12345'), (5, ROUND_DOWN, '3', '0.5'),
                             (28, ROUND_UP, '2', '0.5'), (3, ROUND_FLOOR, '7.77', '-33'), (12, ROUND_CEILING, '0.9', '1E+9'),
                             (16, ROUND_HALF_EVEN, '1.000', '3'), (6, ROUND_HALF_EVEN, '1', '0.37'),
                             (9, ROUND_UP, '611502E-5', '-2945641E1'), (7, ROUND_05UP, '-1.5', '-7'),
                             (20, ROUND_HALF_EVEN, '12.5', '-2.25'), (4, ROUND_DOWN, '0.004', '4268424.1')]:
    c = Context(prec=prec, rounding=rounding, traps=[])
    print('pow', x, y, run(c, c.power, D(x), D(y)))
print(D(2) ** D('0.5'), D('1.5') ** D('2.5'), D(10) ** -3, D('-2') ** 3, D(4) ** D('0.5'))
