"""Decimal fixed and floating point arithmetic (the General Decimal Arithmetic Specification), as CPython's decimal.

Our own implementation: a finite Decimal is a sign (0 or 1), a coefficient held as an int (big ints are GMP's) and
an exponent; NaNs and infinities are "special" with the exponent 'n' (quiet NaN), 'N' (signalling NaN) or 'F'
(infinity). Every result goes through `_fix`, which rounds to the context's precision and keeps the exponent in
[Etiny, Emax], raising the signals CPython raises; a trapped signal raises the signal's class with the list of
conditions, as CPython's C module does (`InvalidOperation([<class 'decimal.ConversionSyntax'>])`).

What the language cannot do for it yet: the current context is one per process (no threads in mpsh, so
`getcontext()` is simply a module global); the type's name in operator TypeErrors is 'Decimal' where CPython says
'decimal.Decimal'. exp, ln and log10 are correctly rounded, as CPython's are; powers are computed the way
libmpdec computes them (integral ones by repeated squaring with guard digits, the others through ln and exp), so
that they round as CPython's do.
"""

import math as _math
from collections import namedtuple as _namedtuple

__all__ = [
    "Decimal", "Context", "DecimalTuple", "DefaultContext", "BasicContext", "ExtendedContext",
    "DecimalException", "Clamped", "InvalidOperation", "DivisionByZero", "Inexact", "Rounded", "Subnormal",
    "Overflow", "Underflow", "FloatOperation", "DivisionImpossible", "InvalidContext", "ConversionSyntax",
    "DivisionUndefined", "ROUND_DOWN", "ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_CEILING", "ROUND_FLOOR",
    "ROUND_UP", "ROUND_HALF_DOWN", "ROUND_05UP", "setcontext", "getcontext", "localcontext", "MAX_PREC",
    "MAX_EMAX", "MIN_EMIN", "MIN_ETINY", "HAVE_THREADS", "HAVE_CONTEXTVAR",
]

__version__ = "1.70"
__libmpdec_version__ = "2.5.1"

ROUND_DOWN = "ROUND_DOWN"
ROUND_HALF_UP = "ROUND_HALF_UP"
ROUND_HALF_EVEN = "ROUND_HALF_EVEN"
ROUND_CEILING = "ROUND_CEILING"
ROUND_FLOOR = "ROUND_FLOOR"
ROUND_UP = "ROUND_UP"
ROUND_HALF_DOWN = "ROUND_HALF_DOWN"
ROUND_05UP = "ROUND_05UP"
_ROUNDINGS = (ROUND_DOWN, ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_HALF_DOWN,
              ROUND_05UP)

MAX_PREC = 999999999999999999
MAX_EMAX = 999999999999999999
MIN_EMIN = -999999999999999999
MIN_ETINY = MIN_EMIN - (MAX_PREC - 1)
HAVE_THREADS = True
HAVE_CONTEXTVAR = True


# -- signals ---------------------------------------------------------------------------------------------------

class DecimalException(ArithmeticError):
    pass


class Clamped(DecimalException):
    pass


class InvalidOperation(DecimalException):
    pass


class ConversionSyntax(InvalidOperation):
    pass


class DivisionByZero(DecimalException, ZeroDivisionError):
    pass


class DivisionImpossible(InvalidOperation):
    pass


class DivisionUndefined(InvalidOperation, ZeroDivisionError):
    pass


class Inexact(DecimalException):
    pass


class InvalidContext(InvalidOperation):
    pass


class Rounded(DecimalException):
    pass


class Subnormal(DecimalException):
    pass


class Overflow(Inexact, Rounded):
    pass


class Underflow(Inexact, Rounded, Subnormal):
    pass


class FloatOperation(DecimalException, TypeError):
    pass


for _c in (DecimalException, Clamped, InvalidOperation, ConversionSyntax, DivisionByZero, DivisionImpossible,
           DivisionUndefined, Inexact, InvalidContext, Rounded, Subnormal, Overflow, Underflow, FloatOperation):
    _c.__module__ = "decimal"

# the signals a context has flags and traps for, in CPython's order
_SIGNALS = [InvalidOperation, FloatOperation, DivisionByZero, Overflow, Underflow, Subnormal, Inexact, Rounded,
            Clamped]
# conditions that are raised as the signal they derive from
# the order in which a context's repr lists them (libmpdec's)
_REPR_ORDER = [Clamped, InvalidOperation, DivisionByZero, Inexact, FloatOperation, Overflow, Rounded, Subnormal,
               Underflow]
_CONDITION_SIGNAL = {ConversionSyntax: InvalidOperation, DivisionImpossible: InvalidOperation,
                     DivisionUndefined: InvalidOperation, InvalidContext: InvalidOperation}


def _signal(ctx, cond):
    """Records condition `cond` in `ctx.flags`; raises it when its signal is trapped."""
    sig = _CONDITION_SIGNAL.get(cond, cond)
    ctx.flags[sig] = True
    if ctx.traps[sig]:
        raise sig([cond])


def _signal_all(ctx, flags):
    """Records every signal set in the dict flags in ctx.flags, then raises the first that ctx traps (with the
    list of them all), as CPython does at the end of an operation."""
    trapped = []
    for s in _SIGNALS:
        if flags[s]:
            ctx.flags[s] = True
            if ctx.traps[s]:
                trapped.append(s)
    if trapped:
        raise trapped[0](trapped)


DecimalTuple = _namedtuple("DecimalTuple", "sign digits exponent")
DecimalTuple.__module__ = "decimal"


# -- helpers ---------------------------------------------------------------------------------------------------

_TENS = [10 ** _i for _i in range(400)]


_STR_LIMIT = _TENS[399] ** 10  # 10**3990: str() of an int takes up to 4300 digits


def _pow10(k):
    return _TENS[k] if k < 400 else 10 ** k


def _nd(c):
    """The number of decimal digits of int c >= 0 (1 for 0)."""
    if c < _STR_LIMIT:
        return len(str(c))
    b = c.bit_length()
    d = (b * 30103) // 100000  # <= the digit count, and at least the count minus one
    return d + 1 if c >= _pow10(d) else d


def _digits(c):
    """str(c) for an int c >= 0 of any size (str() alone stops at 4300 digits)."""
    if c < _STR_LIMIT:
        return str(c)
    k = _nd(c) // 2
    hi, lo = divmod(c, _pow10(k))
    return _digits(hi) + _digits(lo).zfill(k)


def _round_up(rounding, sign, q, r, k):
    """Whether the truncated coefficient q (k digits dropped, remainder r) rounds away from zero."""
    if r == 0 and rounding != ROUND_05UP:
        return False
    if rounding == ROUND_HALF_EVEN:
        half = 5 * _pow10(k - 1)
        return r > half or (r == half and q & 1 == 1)
    if rounding == ROUND_DOWN:
        return False
    if rounding == ROUND_HALF_UP:
        return r >= 5 * _pow10(k - 1)
    if rounding == ROUND_UP:
        return True
    if rounding == ROUND_HALF_DOWN:
        return r > 5 * _pow10(k - 1)
    if rounding == ROUND_CEILING:
        return sign == 0
    if rounding == ROUND_FLOOR:
        return sign == 1
    # ROUND_05UP: away from zero when the last kept digit is 0 or 5
    return r != 0 and q % 5 == 0


_object_new = object.__new__


def _new(sign, coef, exp):
    d = _object_new(Decimal)
    d._sign = sign
    d._int = coef
    d._exp = exp
    d._is_special = False
    return d


def _special(sign, payload, kind):
    d = object.__new__(Decimal)
    d._sign = sign
    d._int = payload
    d._exp = kind
    d._is_special = True
    return d


def _fix(sign, c, e, ctx):
    """The finite number (sign, c, e) rounded to ctx's precision and exponent range."""
    prec = ctx.prec
    if prec < 400:
        if c < _TENS[prec] and ctx.Emin <= e <= ctx.Emax - prec + 1:
            return _new(sign, c, e)
    elif c.bit_length() * 0.30103 < prec - 1 and ctx.Emin <= e <= ctx.Emax - prec + 1:
        return _new(sign, c, e)
    return _fix_slow(sign, c, e, ctx)


def _fix_slow(sign, c, e, ctx):
    prec = ctx.prec
    Emin = ctx.Emin
    Emax = ctx.Emax
    Etiny = Emin - prec + 1
    Etop = Emax - prec + 1
    if c == 0:
        top = Emax if ctx.clamp == 0 else Etop
        ne = min(max(e, Etiny), top)
        if ne != e:
            _signal(ctx, Clamped)
        return _new(sign, 0, ne)
    nd = _nd(c)
    emin = nd + e - prec  # the least exponent that keeps prec digits
    if emin > Etop:
        return _overflow(sign, ctx)
    subnormal = emin < Etiny
    if subnormal:
        emin = Etiny
    if e < emin:
        k = emin - e
        if k > nd:
            q, r = 0, c
            inexact = True
            up = _round_up(ctx.rounding, sign, 0, 1, nd + 2)  # less than half of the last place
        else:
            q, r = divmod(c, _TENS[k] if k < 400 else 10 ** k)
            inexact = r != 0
            if not inexact:
                up = False
            elif ctx.rounding == ROUND_HALF_EVEN:
                half = 5 * _TENS[k - 1] if k < 401 else 5 * 10 ** (k - 1)
                up = r > half or (r == half and q & 1 == 1)
            else:
                up = _round_up(ctx.rounding, sign, q, r, k)
        if up:
            q += 1
            if q == _pow10(prec):
                q //= 10
                emin += 1
                if emin > Etop:
                    return _overflow(sign, ctx)
        if subnormal:
            if inexact:
                _signal(ctx, Underflow)
            _signal(ctx, Subnormal)
        flags = ctx.flags
        traps = ctx.traps
        if inexact:
            flags[Inexact] = True
            if traps[Inexact]:
                raise Inexact([Inexact])
        flags[Rounded] = True
        if traps[Rounded]:
            raise Rounded([Rounded])
        if q == 0:
            _signal(ctx, Clamped)
        d = _object_new(Decimal)
        d._sign = sign
        d._int = q
        d._exp = emin
        d._is_special = False
        return d
    if subnormal or e + nd - 1 < Emin:
        _signal(ctx, Subnormal)
    if ctx.clamp == 1 and e > Etop:
        _signal(ctx, Clamped)
        return _new(sign, c * _pow10(e - Etop), Etop)
    return _new(sign, c, e)


def _overflow(sign, ctx):
    _signal(ctx, Inexact)
    _signal(ctx, Rounded)
    ctx.flags[Overflow] = True
    if ctx.traps[Overflow]:
        raise Overflow([Overflow])
    r = ctx.rounding
    if r in (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_HALF_DOWN, ROUND_UP) or \
            (r == ROUND_CEILING and sign == 0) or (r == ROUND_FLOOR and sign == 1):
        return _special(sign, 0, "F")
    return _new(sign, _pow10(ctx.prec) - 1, ctx.Emax - ctx.prec + 1)


def _nan_result(ctx, payload=0, sign=0):
    _signal(ctx, InvalidOperation)
    return _special(sign, payload, "n")


def _invalid(ctx, cond=InvalidOperation):
    _signal(ctx, cond)
    return _special(0, 0, "n")


def _check_nans(a, b, ctx):
    """The NaN result of an operation on a and b (b may be None), or None when neither is a NaN."""
    ea = a._exp
    eb = b._exp if b is not None else None
    if ea == "N" or eb == "N":
        x = a if ea == "N" else b
        _signal(ctx, InvalidOperation)
        return _nan_payload(x, ctx)
    if ea == "n":
        return _nan_payload(a, ctx)
    if eb == "n":
        return _nan_payload(b, ctx)
    return None


def _nan_payload(x, ctx):
    p = x._int
    if p and _nd(p) > ctx.prec - ctx.clamp:
        p %= _pow10(ctx.prec - ctx.clamp)  # the payload's last digits
    return _special(x._sign, p, "n")


def _convert(other, allow_float=False):
    """other as a Decimal for arithmetic: Decimal and int convert; anything else is NotImplemented."""
    if other.__class__ is int:
        d = _object_new(Decimal)
        if other < 0:
            d._sign = 1
            d._int = -other
        else:
            d._sign = 0
            d._int = other
        d._exp = 0
        d._is_special = False
        return d
    if isinstance(other, Decimal):
        return other
    if isinstance(other, int):
        if other < 0:
            return _new(1, -other, 0)
        return _new(0, int(other), 0)
    if allow_float and isinstance(other, float):
        return Decimal.from_float(other)
    return NotImplemented


def _parse(s):
    """(sign, coefficient, exponent, special) from a numeric string, or None when it is not one."""
    s = s.strip()
    if "_" in s:
        # underscores only between digits
        for i, ch in enumerate(s):
            if ch == "_" and not (0 < i < len(s) - 1 and s[i - 1].isdigit() and s[i + 1].isdigit()):
                return None
        s = s.replace("_", "")
    if not s:
        return None
    sign = 0
    if s[0] == "-":
        sign = 1
        s = s[1:]
    elif s[0] == "+":
        s = s[1:]
    low = s.lower()
    if low in ("inf", "infinity"):
        return sign, 0, "F", True
    if low.startswith("nan") or low.startswith("snan"):
        kind = "n" if low[0] == "n" else "N"
        rest = low[3:] if kind == "n" else low[4:]
        if rest and not (rest.isdigit() and rest.isascii()):
            return None
        return sign, int(rest) if rest else 0, kind, True
    exp = 0
    epos = low.find("e")
    if epos >= 0:
        es = low[epos + 1:]
        low = low[:epos]
        if es[:1] in ("+", "-"):
            body = es[1:]
        else:
            body = es
        if not body or not body.isdigit():
            return None
        exp = int(es)
    dot = low.find(".")
    if dot >= 0:
        whole = low[:dot]
        frac = low[dot + 1:]
    else:
        whole = low
        frac = ""
    digits = whole + frac
    if not digits or not digits.isdigit():
        return None
    if not digits.isascii():
        # other Unicode decimal digits are accepted as CPython's
        digits = "".join(str(int(ch)) for ch in digits)
    return sign, int(digits), exp - len(frac), False


def _dec_from_float(f):
    if f != f:
        return _special(0, 0, "n")
    if f in (float("inf"), float("-inf")):
        return _special(1 if f < 0 else 0, 0, "F")
    sign = 1 if _math.copysign(1.0, f) < 0 else 0
    n, d = abs(f).as_integer_ratio()
    k = d.bit_length() - 1  # d is 2**k
    if k == 0:
        return _new(sign, n, 0)
    return _new(sign, n * 5 ** k, -k)


# -- Decimal ---------------------------------------------------------------------------------------------------

class Decimal(object):
    """Floating point class for decimal arithmetic."""

    __slots__ = ("_sign", "_int", "_exp", "_is_special")

    def __new__(cls, value="0", context=None):
        self = object.__new__(cls)
        if isinstance(value, str):
            p = _parse(value)
            if p is None:
                ctx = context if context is not None else getcontext()
                _signal(ctx, ConversionSyntax)
                p = (0, 0, "n", True)
            self._sign, self._int, self._exp, self._is_special = p
            return self
        if isinstance(value, int):
            if value < 0:
                self._sign = 1
                self._int = -value
            else:
                self._sign = 0
                self._int = int(value)
            self._exp = 0
            self._is_special = False
            return self
        if isinstance(value, Decimal):
            self._sign = value._sign
            self._int = value._int
            self._exp = value._exp
            self._is_special = value._is_special
            return self
        if isinstance(value, float):
            ctx = context if context is not None else getcontext()
            ctx.flags[FloatOperation] = True
            if ctx.traps[FloatOperation]:
                raise FloatOperation([FloatOperation])
            d = _dec_from_float(value)
            self._sign, self._int, self._exp, self._is_special = d._sign, d._int, d._exp, d._is_special
            return self
        if isinstance(value, (list, tuple)):
            if len(value) != 3:
                raise ValueError("argument must be a sequence of length 3")
            sign, digits, exp = value
            if sign not in (0, 1):
                raise ValueError("sign must be an integer with the value 0 or 1")
            coef = 0
            for dg in digits:
                if not isinstance(dg, int) or not 0 <= dg <= 9:
                    raise ValueError("coefficient must be a tuple of digits")
                coef = coef * 10 + dg
            self._sign = sign
            self._int = coef
            if exp in ("F", "n", "N"):
                self._exp = exp
                self._is_special = True
                if exp == "F":
                    self._int = 0
            elif isinstance(exp, int):
                self._exp = exp
                self._is_special = False
            else:
                raise ValueError("exponent must be an integer")
            return self
        raise TypeError("conversion from %s to Decimal is not supported" % type(value).__name__)

    @classmethod
    def from_float(cls, f):
        if isinstance(f, int):
            d = Decimal(f)
        elif isinstance(f, float):
            d = _dec_from_float(f)
        else:
            raise TypeError("argument must be int or float")
        return d if cls is Decimal else cls(d)

    # -- predicates and parts

    def is_nan(self):
        return self._exp == "n" or self._exp == "N"

    def is_qnan(self):
        return self._exp == "n"

    def is_snan(self):
        return self._exp == "N"

    def is_infinite(self):
        return self._exp == "F"

    def is_finite(self):
        return not self._is_special

    def is_zero(self):
        return not self._is_special and self._int == 0

    def is_signed(self):
        return self._sign == 1

    def is_canonical(self):
        return True

    def is_normal(self, context=None):
        if self._is_special or self._int == 0:
            return False
        ctx = context if context is not None else getcontext()
        return self.adjusted() >= ctx.Emin

    def is_subnormal(self, context=None):
        if self._is_special or self._int == 0:
            return False
        ctx = context if context is not None else getcontext()
        return self.adjusted() < ctx.Emin

    def adjusted(self):
        if self._is_special:
            return 0
        return self._exp + _nd(self._int) - 1

    def as_tuple(self):
        if self._is_special:
            if self._exp == "F":
                digits = (0,)
            else:
                digits = tuple(int(ch) for ch in str(self._int)) if self._int else ()
        else:
            digits = tuple(int(ch) for ch in _digits(self._int))
        return DecimalTuple(self._sign, digits, self._exp)

    def as_integer_ratio(self):
        if self._is_special:
            if self._exp == "F":
                raise OverflowError("cannot convert Infinity to integer ratio")
            raise ValueError("cannot convert NaN to integer ratio")
        if self._int == 0:
            return 0, 1
        n = self._int
        e = self._exp
        if e >= 0:
            n *= _pow10(e)
            d = 1
        else:
            d = _pow10(-e)
            g = _math.gcd(n, d)
            n //= g
            d //= g
        return (-n if self._sign else n), d

    def number_class(self, context=None):
        if self._exp == "N":
            return "sNaN"
        if self._exp == "n":
            return "NaN"
        s = "-" if self._sign else "+"
        if self._exp == "F":
            return s + "Infinity"
        if self._int == 0:
            return s + "Zero"
        if self.is_subnormal(context):
            return s + "Subnormal"
        return s + "Normal"

    def canonical(self):
        return self

    @property
    def real(self):
        return self

    @property
    def imag(self):
        return Decimal(0)

    def conjugate(self):
        return self

    def radix(self):
        return Decimal(10)

    # -- conversions

    def __str__(self):
        return self._to_string(False, None)

    def to_eng_string(self, context=None):
        return self._to_string(True, context)

    def _to_string(self, eng, context):
        sign = "-" if self._sign else ""
        if self._is_special:
            if self._exp == "F":
                return sign + "Infinity"
            p = str(self._int) if self._int else ""
            return sign + ("NaN" if self._exp == "n" else "sNaN") + p
        digits = _digits(self._int)
        e = self._exp
        nd = len(digits)
        left = e + nd
        if e <= 0 and left > -6:
            dot = left
        elif not eng:
            dot = 1
        elif self._int == 0:
            dot = (left + 1) % 3 - 1
        else:
            dot = (left - 1) % 3 + 1
        if dot <= 0:
            ip = "0"
            fp = "." + "0" * (-dot) + digits
        elif dot >= nd:
            ip = digits + "0" * (dot - nd)
            fp = ""
        else:
            ip = digits[:dot]
            fp = "." + digits[dot:]
        if left == dot:
            ex = ""
        else:
            caps = (context if context is not None else getcontext()).capitals
            ex = ("E" if caps else "e") + "%+d" % (left - dot)
        return sign + ip + fp + ex

    def __repr__(self):
        return "Decimal('%s')" % str(self)

    def __format__(self, spec, _localeconv=None):
        return _format(self, spec)

    def __float__(self):
        if self._is_special:
            if self._exp == "N":
                raise ValueError("cannot convert signaling NaN to float")
            if self._exp == "n":
                return float("-nan") if self._sign else float("nan")
            return float("-inf") if self._sign else float("inf")
        if self._exp >= 0:
            v = float(self._int * _pow10(self._exp))
        else:
            n, d = self._int, _pow10(-self._exp)
            v = n / d
        return -v if self._sign else v

    def __int__(self):
        if self._is_special:
            if self._exp == "F":
                raise OverflowError("cannot convert Infinity to integer")
            raise ValueError("cannot convert NaN to integer")
        if self._exp >= 0:
            v = self._int * _pow10(self._exp)
        else:
            v = self._int // _pow10(-self._exp)
        return -v if self._sign else v

    __trunc__ = __int__

    def __index__(self):
        raise TypeError("'decimal.Decimal' object cannot be interpreted as an integer")

    def __floor__(self):
        if self._is_special:
            return self.__int__()
        return int(self._rescale(0, ROUND_FLOOR))

    def __ceil__(self):
        if self._is_special:
            return self.__int__()
        return int(self._rescale(0, ROUND_CEILING))

    def __round__(self, n=None):
        if n is not None:
            if not isinstance(n, int):
                raise TypeError("optional arg must be an integer")
            return self.quantize(_new(0, 1, -n))
        if self._is_special:
            if self._exp == "F":
                raise OverflowError("cannot round an infinity")
            raise ValueError("cannot round a NaN")
        return int(self._rescale(0, ROUND_HALF_EVEN))

    def __bool__(self):
        return self._is_special or self._int != 0

    def __complex__(self):
        return complex(float(self))

    def __reduce__(self):
        return (self.__class__, (str(self),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # -- hashing and comparison

    def __hash__(self):
        if self._is_special:
            if self._exp == "N":
                raise TypeError("Cannot hash a signaling NaN value")
            if self._exp == "n":
                return object.__hash__(self)
            return -314159 if self._sign else 314159
        M = 2305843009213693951
        if self._exp >= 0:
            h = self._int % M * pow(10, self._exp, M) % M
        else:
            h = self._int % M * pow(2075258708292324556, -self._exp, M) % M
        if self._sign:
            h = -h
        return -2 if h == -1 else h

    def _cmp(self, other):
        """-1, 0 or 1: self against other, both finite or infinite (not NaN)."""
        if self._is_special or other._is_special:
            a = 0 if not self._is_special else (-1 if self._sign else 1)
            b = 0 if not other._is_special else (-1 if other._sign else 1)
            if a == b:
                return 0
            if a or b:
                return -1 if a < b else 1
        c1 = self._int
        c2 = other._int
        s1 = 0 if c1 == 0 else (-1 if self._sign else 1)
        s2 = 0 if c2 == 0 else (-1 if other._sign else 1)
        if s1 != s2:
            return -1 if s1 < s2 else 1
        if s1 == 0:
            return 0
        e1 = self._exp
        e2 = other._exp
        if e1 != e2:
            d = e1 - e2
            if d > 40 or d < -40:
                a1 = self.adjusted()
                a2 = other.adjusted()
                if a1 != a2:
                    r = 1 if a1 > a2 else -1
                    return r if s1 > 0 else -r
            if d > 0:
                c1 *= _pow10(d)
            else:
                c2 *= _pow10(-d)
        if c1 == c2:
            return 0
        r = 1 if c1 > c2 else -1
        return r if s1 > 0 else -r

    def _compare_other(self, other, eq):
        """other as a Decimal for comparison, or NotImplemented."""
        if isinstance(other, Decimal):
            return other
        if isinstance(other, int):
            return _new(1, -other, 0) if other < 0 else _new(0, int(other), 0)
        if isinstance(other, float):
            ctx = getcontext()
            if not eq:
                ctx.flags[FloatOperation] = True
                if ctx.traps[FloatOperation]:
                    raise FloatOperation([FloatOperation])
            return _dec_from_float(other)
        if hasattr(other, "numerator") and hasattr(other, "denominator"):
            return _Ratio(other.numerator, other.denominator)
        return NotImplemented

    def __eq__(self, other):
        # fast paths: two finite Decimals with one exponent, an integral Decimal and an int
        if other.__class__ is Decimal:
            if not (self._is_special or other._is_special) and self._exp == other._exp:
                return self._int == other._int and (self._sign == other._sign or self._int == 0)
        elif other.__class__ is int and not self._is_special and self._exp == 0:
            return (-self._int if self._sign else self._int) == other
        o = self._compare_other(other, True)
        if o is NotImplemented:
            return o
        if isinstance(o, _Ratio):
            return o.cmp(self) == 0
        if self._is_special and (self._exp == "n" or self._exp == "N") or \
                o._is_special and (o._exp == "n" or o._exp == "N"):
            if self._exp == "N" or o._exp == "N":
                _signal(getcontext(), InvalidOperation)
            return False
        return self._cmp(o) == 0

    def __ne__(self, other):
        if other.__class__ is Decimal:
            if not (self._is_special or other._is_special) and self._exp == other._exp:
                return self._int != other._int or (self._sign != other._sign and self._int != 0)
        r = self.__eq__(other)
        if r is NotImplemented:
            return r
        return not r

    def _order(self, other):
        o = self._compare_other(other, False)
        if o is NotImplemented:
            return None
        if isinstance(o, _Ratio):
            return -o.cmp(self)
        if self._is_special and self._exp != "F" or o._is_special and o._exp != "F":
            _signal(getcontext(), InvalidOperation)
            return "nan"
        return self._cmp(o)

    def __lt__(self, other):
        if other.__class__ is Decimal:
            if not (self._is_special or other._is_special) and self._exp == other._exp:
                return (-self._int if self._sign else self._int) < (-other._int if other._sign else other._int)
        elif other.__class__ is int and not self._is_special and self._exp == 0:
            return (-self._int if self._sign else self._int) < other
        r = self._order(other)
        if r is None:
            return NotImplemented
        return r != "nan" and r < 0

    def __le__(self, other):
        if other.__class__ is Decimal:
            if not (self._is_special or other._is_special) and self._exp == other._exp:
                return (-self._int if self._sign else self._int) <= (-other._int if other._sign else other._int)
        elif other.__class__ is int and not self._is_special and self._exp == 0:
            return (-self._int if self._sign else self._int) <= other
        r = self._order(other)
        if r is None:
            return NotImplemented
        return r != "nan" and r <= 0

    def __gt__(self, other):
        if other.__class__ is Decimal:
            if not (self._is_special or other._is_special) and self._exp == other._exp:
                return (-self._int if self._sign else self._int) > (-other._int if other._sign else other._int)
        elif other.__class__ is int and not self._is_special and self._exp == 0:
            return (-self._int if self._sign else self._int) > other
        r = self._order(other)
        if r is None:
            return NotImplemented
        return r != "nan" and r > 0

    def __ge__(self, other):
        if other.__class__ is Decimal:
            if not (self._is_special or other._is_special) and self._exp == other._exp:
                return (-self._int if self._sign else self._int) >= (-other._int if other._sign else other._int)
        elif other.__class__ is int and not self._is_special and self._exp == 0:
            return (-self._int if self._sign else self._int) >= other
        r = self._order(other)
        if r is None:
            return NotImplemented
        return r != "nan" and r >= 0

    def compare(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
        return Decimal(self._cmp(other))

    def compare_signal(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        if self.is_nan() or other.is_nan():
            _signal(ctx, InvalidOperation)
            return _check_nans(self, other, ctx) or _special(0, 0, "n")
        return Decimal(self._cmp(other))

    def compare_total(self, other, context=None):
        other = _convert_strict(other)
        if self._sign != other._sign:
            return Decimal(-1) if self._sign else Decimal(1)
        k1 = self._total_key()
        k2 = other._total_key()
        if k1 == k2:
            return Decimal(0)
        r = -1 if k1 < k2 else 1
        return Decimal(-r if self._sign else r)

    def compare_total_mag(self, other, context=None):
        return self.copy_abs().compare_total(_convert_strict(other).copy_abs())

    def _total_key(self):
        if self._exp == "N":
            return (3, 0, self._int)
        if self._exp == "n":
            return (4, 0, self._int)
        if self._exp == "F":
            return (2, 0, 0)
        return (1, _Ratio(self._int, 1).scaled(self._exp), self._exp)

    def max(self, other, context=None):
        return self._minmax(other, context, 1)

    def min(self, other, context=None):
        return self._minmax(other, context, -1)

    def _minmax(self, other, context, want):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        sn = self.is_nan()
        on = other.is_nan()
        if sn or on:
            if self._exp == "N" or other._exp == "N" or (sn and on):
                return _check_nans(self, other, ctx)
            x = other if sn else self
            return _fix(x._sign, x._int, x._exp, ctx) if not x._is_special else x
        c = self._cmp(other)
        if c == 0:
            # equal values: the one with the larger exponent (smaller for negatives) for max
            c = -1 if self._sign and not other._sign else 1 if other._sign and not self._sign else 0
            if c == 0 and not self._is_special:
                c = (self._exp > other._exp) - (self._exp < other._exp)
                if self._sign:
                    c = -c
        x = self if c * want >= 0 else other
        if x._is_special:
            return x
        return _fix(x._sign, x._int, x._exp, ctx)

    def max_mag(self, other, context=None):
        other = _convert_strict(other)
        if self.copy_abs()._cmp(other.copy_abs()) >= 0:
            return self.max(other, context) if self.copy_abs()._cmp(other.copy_abs()) == 0 else +self
        return +other

    def min_mag(self, other, context=None):
        other = _convert_strict(other)
        if self.copy_abs()._cmp(other.copy_abs()) <= 0:
            return self.min(other, context) if self.copy_abs()._cmp(other.copy_abs()) == 0 else +self
        return +other

    # -- sign operations

    def copy_abs(self):
        if self._is_special:
            return _special(0, self._int, self._exp)
        return _new(0, self._int, self._exp)

    def copy_negate(self):
        if self._is_special:
            return _special(1 - self._sign, self._int, self._exp)
        return _new(1 - self._sign, self._int, self._exp)

    def copy_sign(self, other, context=None):
        other = _convert_strict(other)
        if self._is_special:
            return _special(other._sign, self._int, self._exp)
        return _new(other._sign, self._int, self._exp)

    def __neg__(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            return n if n is not None else _special(1 - self._sign, 0, "F")
        if self._int == 0 and ctx.rounding != ROUND_FLOOR:
            return _fix(0, 0, self._exp, ctx)
        return _fix(1 - self._sign, self._int, self._exp, ctx)

    def __pos__(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            return n if n is not None else self
        if self._int == 0 and ctx.rounding != ROUND_FLOOR:
            return _fix(0, 0, self._exp, ctx)
        return _fix(self._sign, self._int, self._exp, ctx)

    def __abs__(self, round=True, context=None):
        if not round:
            return self.copy_abs()
        if self._sign:
            return self.__neg__(context)
        return self.__pos__(context)

    # -- arithmetic

    def __add__(self, other, context=None):
        if other.__class__ is int and not self._is_special and -60 < self._exp < 60:
            # Decimal + int without making the int a Decimal
            ctx = context if context is not None else _current[0]
            e = self._exp
            c = -self._int if self._sign else self._int
            if e == 0:
                c += other
            elif e < 0:
                c += other * _TENS[-e]
            else:
                c = c * _TENS[e] + other
                e = 0
            if c:
                if c > 0:
                    sign = 0
                else:
                    sign = 1
                    c = -c
                prec = ctx.prec
                if prec < 400 and c < _TENS[prec] and ctx.Emin <= e <= ctx.Emax - prec + 1:
                    d = _object_new(Decimal)
                    d._sign = sign
                    d._int = c
                    d._exp = e
                    d._is_special = False
                    return d
                return _fix(sign, c, e, ctx)
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
            if self._exp == "F":
                if other._exp == "F" and self._sign != other._sign:
                    return _invalid(ctx)
                return self
            return other
        e1 = self._exp
        e2 = other._exp
        c1 = -self._int if self._sign else self._int
        c2 = -other._int if other._sign else other._int
        if e1 == e2:
            c = c1 + c2
            e = e1
        else:
            if e1 < e2:
                c1, c2, e1, e2 = c2, c1, e2, e1
            # now e1 > e2: c1 is shifted down to e2, unless c2 lies wholly below the rounding position
            if e1 - e2 > ctx.prec + 3 and c2 != 0 and c1 != 0:
                a1 = e1 + _nd(abs(c1)) - 1
                a2 = e2 + _nd(abs(c2)) - 1
                limit = min(e1, a1 - ctx.prec - 1) - 1
                if a2 < limit:
                    # c2 only decides a rounding: a single unit below every digit that can be kept
                    c2 = -1 if c2 < 0 else 1
                    e2 = limit
            c = c1 * _pow10(e1 - e2) + c2
            e = e2
        if c > 0:
            sign = 0
        elif c < 0:
            sign = 1
            c = -c
        else:
            sign = -1
        if sign >= 0:
            # _fix's fast path, inline: the hot operations of decimal programs go through here
            prec = ctx.prec
            if prec < 400 and c < _TENS[prec] and ctx.Emin <= e <= ctx.Emax - prec + 1:
                d = _object_new(Decimal)
                d._sign = sign
                d._int = c
                d._exp = e
                d._is_special = False
                return d
            return _fix(sign, c, e, ctx)
        # an exact zero: negative when both operands are, or when they differ and the rounding is toward -inf
        if self._sign == other._sign:
            sign = self._sign
        else:
            sign = 1 if ctx.rounding == ROUND_FLOOR else 0
        return _fix(sign, 0, e, ctx)

    __radd__ = __add__

    def __sub__(self, other, context=None):
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        if other._is_special:
            if other._exp != "F":
                return self.__add__(other, context)
            return self.__add__(_special(1 - other._sign, 0, "F"), context)
        return self.__add__(_new(1 - other._sign, other._int, other._exp), context)

    def __rsub__(self, other, context=None):
        other = _convert(other)
        if other is NotImplemented:
            return other
        return other.__sub__(self, context)

    def __mul__(self, other, context=None):
        if other.__class__ is int and not self._is_special:
            # Decimal * int without making the int a Decimal
            ctx = context if context is not None else _current[0]
            if other < 0:
                sign = 1 - self._sign
                c = self._int * -other
            else:
                sign = self._sign
                c = self._int * other
            e = self._exp
            prec = ctx.prec
            if prec < 400 and c < _TENS[prec] and ctx.Emin <= e <= ctx.Emax - prec + 1:
                d = _object_new(Decimal)
                d._sign = sign
                d._int = c
                d._exp = e
                d._is_special = False
                return d
            return _fix(sign, c, e, ctx)
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
            if self._exp == "F":
                if not other._is_special and other._int == 0:
                    return _invalid(ctx)
                return _special(sign, 0, "F")
            if self._int == 0:
                return _invalid(ctx)
            return _special(sign, 0, "F")
        c = self._int * other._int
        e = self._exp + other._exp
        prec = ctx.prec
        if prec < 400 and c < _TENS[prec] and ctx.Emin <= e <= ctx.Emax - prec + 1:
            d = _object_new(Decimal)
            d._sign = sign
            d._int = c
            d._exp = e
            d._is_special = False
            return d
        return _fix(sign, c, e, ctx)

    __rmul__ = __mul__

    def __truediv__(self, other, context=None):
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
            if self._exp == "F":
                if other._exp == "F":
                    return _invalid(ctx)
                return _special(sign, 0, "F")
            # finite / infinity
            _signal(ctx, Clamped)
            return _new(sign, 0, ctx.Emin - ctx.prec + 1)
        c2 = other._int
        c1 = self._int
        if c2 == 0:
            if c1 == 0:
                return _invalid(ctx, DivisionUndefined)
            _signal(ctx, DivisionByZero)
            return _special(sign, 0, "F")
        ideal = self._exp - other._exp
        if c1 == 0:
            return _fix(sign, 0, ideal, ctx)
        prec = ctx.prec
        if c1 < _STR_LIMIT and c2 < _STR_LIMIT:
            shift = len(str(c2)) - len(str(c1)) + prec
            if ctx.rounding == ROUND_HALF_EVEN and 0 <= shift < 400 and prec < 400 and \
                    ctx.Emin <= ideal - shift - 1 and ideal - shift + 1 <= ctx.Emax - prec + 1:
                # the common case in one step: prec digits and their rounding from a single divmod
                q, r = divmod(c1 * _TENS[shift], c2)
                e = ideal - shift
                den = c2
                if q >= _TENS[prec]:
                    q, last = divmod(q, 10)
                    r += last * c2
                    den = c2 * 10
                    e += 1
                if r:
                    twice = r + r
                    if twice > den or (twice == den and q & 1):
                        q += 1
                        if q == _TENS[prec]:
                            q = _TENS[prec - 1]
                            e += 1
                    flags = ctx.flags
                    traps = ctx.traps
                    flags[Inexact] = True
                    if traps[Inexact]:
                        raise Inexact([Inexact])
                    flags[Rounded] = True
                    if traps[Rounded]:
                        raise Rounded([Rounded])
                else:
                    while e < ideal and q % 10 == 0:
                        q //= 10
                        e += 1
                d = _object_new(Decimal)
                d._sign = sign
                d._int = q
                d._exp = e
                d._is_special = False
                return d
            shift += 1
        else:
            shift = _nd(c2) - _nd(c1) + prec + 1
        if shift >= 0:
            q, r = divmod(c1 * (_TENS[shift] if shift < 400 else 10 ** shift), c2)
        else:
            q, r = divmod(c1, c2 * _pow10(-shift))
        e = ideal - shift
        if r:
            if q % 5 == 0:
                q += 1  # a sticky digit: the exact quotient lies strictly between q - 1 and q + 1
        else:
            # exact: as few digits as the ideal exponent allows
            while e < ideal and q % 10 == 0:
                q //= 10
                e += 1
        return _fix(sign, q, e, ctx)

    def __rtruediv__(self, other, context=None):
        other = _convert(other)
        if other is NotImplemented:
            return other
        return other.__truediv__(self, context)

    def _divmod(self, other, ctx):
        """(quotient, remainder) truncated toward zero, or a pair of NaNs; signals as divide-integer."""
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n, n
            if self._exp == "F":
                if other._exp == "F":
                    n = _invalid(ctx)
                    return n, n
                return _special(sign, 0, "F"), _invalid(ctx)
            return _new(sign, 0, 0), _fix(self._sign, self._int, self._exp, ctx)
        if other._int == 0:
            if self._int == 0:
                n = _invalid(ctx, DivisionUndefined)
                return n, n
            _signal(ctx, DivisionByZero)
            return _special(sign, 0, "F"), _invalid(ctx)
        e = min(self._exp, other._exp)
        a = self._int * _pow10(self._exp - e)
        b = other._int * _pow10(other._exp - e)
        q, r = divmod(a, b)
        if q and _nd(q) > ctx.prec:
            n = _invalid(ctx, DivisionImpossible)
            return n, n
        return _new(sign, q, 0), _fix(self._sign, r, e, ctx)

    def __floordiv__(self, other, context=None):
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        if not self._is_special and not other._is_special and other._int:
            e1 = self._exp
            e2 = other._exp
            if e1 == e2:
                q = self._int // other._int
            elif e1 < e2:
                q = self._int // (other._int * _pow10(e2 - e1))
            else:
                q = (self._int * _pow10(e1 - e2)) // other._int
            if q < _pow10(ctx.prec) if ctx.prec < 400 else True:
                return _new(self._sign ^ other._sign, q, 0)
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
            sign = self._sign ^ other._sign
            if self._exp == "F":
                if other._exp == "F":
                    return _invalid(ctx)
                return _special(sign, 0, "F")
            return _new(sign, 0, 0)
        if other._int == 0:
            if self._int == 0:
                return _invalid(ctx, DivisionUndefined)
            _signal(ctx, DivisionByZero)
            return _special(self._sign ^ other._sign, 0, "F")
        q, r = self._divmod(other, ctx)
        return q

    def __rfloordiv__(self, other, context=None):
        other = _convert(other)
        if other is NotImplemented:
            return other
        return other.__floordiv__(self, context)

    def __mod__(self, other, context=None):
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        if other._is_special is False and other._int == 0 and not self._is_special:
            return _invalid(ctx, DivisionUndefined if self._int == 0 else InvalidOperation)
        q, r = self._divmod(other, ctx)
        return r

    def __rmod__(self, other, context=None):
        other = _convert(other)
        if other is NotImplemented:
            return other
        return other.__mod__(self, context)

    def __divmod__(self, other, context=None):
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        return self._divmod(other, ctx)

    def __rdivmod__(self, other, context=None):
        other = _convert(other)
        if other is NotImplemented:
            return other
        return other.__divmod__(self, context)

    def remainder_near(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
            if self._exp == "F":
                return _invalid(ctx)
            return _fix(self._sign, self._int, self._exp, ctx)
        if other._int == 0:
            return _invalid(ctx, DivisionUndefined if self._int == 0 else InvalidOperation)
        e = min(self._exp, other._exp)
        a = self._int * _pow10(self._exp - e)
        b = other._int * _pow10(other._exp - e)
        q, r = divmod(a, b)
        if 2 * r > b or (2 * r == b and q & 1):
            r -= b
            q += 1
        if _nd(q) > ctx.prec:
            return _invalid(ctx, DivisionImpossible)
        sign = self._sign
        if r < 0:
            sign = 1 - sign
            r = -r
        return _fix(sign, r, e, ctx)

    def __pow__(self, other, modulo=None, context=None):
        if modulo is not None:
            return self._powmod(other, modulo, context)
        if other.__class__ is not Decimal:
            other = _convert(other)
            if other is NotImplemented:
                return other
        ctx = context if context is not None else _current[0]
        return _power(self, other, ctx)

    def __rpow__(self, other, modulo=None, context=None):
        other = _convert(other)
        if other is NotImplemented:
            return other
        return other.__pow__(self, modulo, context)

    def _powmod(self, other, modulo, context):
        ctx = context if context is not None else getcontext()
        other = _convert_strict(other)
        modulo = _convert_strict(modulo)
        for x in (self, other, modulo):
            if x._is_special or x._exp != 0 and x != x.to_integral_value():
                return _invalid(ctx)
        a, b, m = int(self), int(other), int(modulo)
        if b < 0 or m == 0:
            return _invalid(ctx)
        r = pow(abs(a), b, abs(m))
        sign = 1 if a < 0 and b % 2 == 1 else 0
        return _fix(sign, r, 0, ctx)

    def fma(self, other, third, context=None):
        other = _convert_strict(other)
        third = _convert_strict(third)
        ctx = context if context is not None else getcontext()
        if self._is_special or other._is_special:
            product = self.__mul__(other, ctx)
        else:
            product = _new(self._sign ^ other._sign, self._int * other._int, self._exp + other._exp)
        return product.__add__(third, ctx)

    # -- rounding

    def _rescale(self, exp, rounding):
        """self with exponent exp exactly: digits dropped by `rounding`, zeros added (no signals, no limits)."""
        if self._is_special:
            return self
        c = self._int
        e = self._exp
        if exp <= e or c == 0:
            return _new(self._sign, c * _pow10(e - exp) if exp <= e else 0, exp)
        k = exp - e
        nd = _nd(c)
        if k > nd + 1:
            q, r, kk = 0, 1, nd + 2
        else:
            q, r = divmod(c, _pow10(k))
            kk = k
        if r and _round_up(rounding, self._sign, q, r, kk):
            q += 1
        return _new(self._sign, q, exp)

    def quantize(self, exp, rounding=None, context=None):
        if exp.__class__ is not Decimal:
            exp = _convert_strict(exp)
        ctx = context if context is not None else _current[0]
        if rounding is None:
            rounding = ctx.rounding
        if self._is_special or exp._is_special:
            n = _check_nans(self, exp, ctx)
            if n is not None:
                return n
            if self._exp == "F" and exp._exp == "F":
                return self
            return _invalid(ctx)
        e = exp._exp
        if not (ctx.Emin - ctx.prec + 1 <= e <= ctx.Emax):
            return _invalid(ctx)
        if self._int == 0:
            return _new(self._sign, 0, e)
        c = self._int
        se = self._exp
        if e <= se:
            if se - e + _nd(c) > ctx.prec:
                return _invalid(ctx)
            return _fix(self._sign, c * _pow10(se - e), e, ctx)
        k = e - se
        if k < 30:
            q, r = divmod(c, _TENS[k])
            if r:
                if rounding == ROUND_HALF_EVEN:
                    half = 5 * _TENS[k - 1]
                    if r > half or (r == half and q & 1):
                        q += 1
                elif rounding != ROUND_DOWN and _round_up(rounding, self._sign, q, r, k):
                    q += 1
        else:
            d = self._rescale(e, rounding)
            q = d._int
            r = 1 if q * _pow10(k) != c else 0
        if q:
            prec = ctx.prec
            if q >= _TENS[prec] if prec < 400 else _nd(q) > prec:
                return _invalid(ctx)
            if e < ctx.Emin and e + _nd(q) - 1 < ctx.Emin:
                _signal(ctx, Subnormal)
        flags = ctx.flags
        traps = ctx.traps
        if r:
            flags[Inexact] = True
            if traps[Inexact]:
                raise Inexact([Inexact])
        flags[Rounded] = True
        if traps[Rounded]:
            raise Rounded([Rounded])
        d = _object_new(Decimal)
        d._sign = self._sign
        d._int = q
        d._exp = e
        d._is_special = False
        return d

    def same_quantum(self, other, context=None):
        other = _convert_strict(other)
        if self._is_special or other._is_special:
            return self.is_nan() and other.is_nan() or self.is_infinite() and other.is_infinite()
        return self._exp == other._exp

    def to_integral_value(self, rounding=None, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            return n if n is not None else self
        if self._exp >= 0:
            return self
        return self._rescale(0, rounding if rounding is not None else ctx.rounding)

    to_integral = to_integral_value

    def to_integral_exact(self, rounding=None, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            return n if n is not None else self
        if self._exp >= 0:
            return self
        if self._int == 0:
            return _new(self._sign, 0, 0)
        d = self._rescale(0, rounding if rounding is not None else ctx.rounding)
        if d._int * _pow10(-self._exp) != self._int:
            _signal(ctx, Inexact)
        _signal(ctx, Rounded)
        return d

    def normalize(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            return n if n is not None else self
        d = _fix(self._sign, self._int, self._exp, ctx)
        if d._is_special:
            return d
        if d._int == 0:
            return _new(d._sign, 0, 0)
        c = d._int
        e = d._exp
        top = ctx.Emax if ctx.clamp == 0 else ctx.Emax - ctx.prec + 1
        while c % 10 == 0 and e < top:
            c //= 10
            e += 1
        return _new(d._sign, c, e)

    def next_plus(self, context=None):
        ctx = context if context is not None else getcontext()
        return self._next(ctx, 1)

    def next_minus(self, context=None):
        ctx = context if context is not None else getcontext()
        return self._next(ctx, -1)

    def _next(self, ctx, direction):
        if self._is_special:
            n = _check_nans(self, None, ctx)
            if n is not None:
                return n
            if (self._sign == 0) == (direction > 0):
                return self
            big = _new(self._sign, _pow10(ctx.prec) - 1, ctx.Emax - ctx.prec + 1)
            return big
        c2 = ctx.copy()
        c2.rounding = ROUND_CEILING if direction > 0 else ROUND_FLOOR
        c2.traps = dict.fromkeys(_SIGNALS, False)
        r = _fix(self._sign, self._int, self._exp, c2)
        if r._cmp(self) == 0:
            tiny = _new(0 if direction > 0 else 1, 1, ctx.Emin - ctx.prec - 1)
            r = self.__add__(tiny, c2)
        return r

    def next_toward(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
        c = self._cmp(other)
        if c == 0:
            return self.copy_sign(other)
        return self.next_plus(ctx) if c < 0 else self.next_minus(ctx)

    def logb(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            return n if n is not None else _special(0, 0, "F")
        if self._int == 0:
            _signal(ctx, DivisionByZero)
            return _special(1, 0, "F")
        return _fix_int(self.adjusted(), ctx)

    def scaleb(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
        if other._is_special or other._exp != 0:
            return _invalid(ctx)
        if self._is_special:
            return self
        s = int(other)
        return _fix(self._sign, self._int, self._exp + s, ctx)

    # -- logical operations (on operands whose digits are all 0 or 1) and digit shifts

    def _logical_digits(self, ctx):
        """The digits of a logical operand, the last ctx.prec of them, as a string; None when self is not one."""
        if self._is_special or self._sign or self._exp != 0:
            return None
        ds = _digits(self._int)
        if ds.strip("01"):
            return None
        return ds[-ctx.prec:]

    def _logical(self, other, context, op):
        ctx = context if context is not None else getcontext()
        a = self._logical_digits(ctx)
        b = other._logical_digits(ctx) if other is not None else "1" * ctx.prec
        if a is None or b is None:
            return _invalid(ctx)
        # the digits as the bits of ints: 1011 -> 0b1011
        r = op(int(a, 2), int(b, 2))
        return _new(0, int(format(r, "b")), 0)

    def logical_and(self, other, context=None):
        return self._logical(_convert_strict(other), context, lambda a, b: a & b)

    def logical_or(self, other, context=None):
        return self._logical(_convert_strict(other), context, lambda a, b: a | b)

    def logical_xor(self, other, context=None):
        return self._logical(_convert_strict(other), context, lambda a, b: a ^ b)

    def logical_invert(self, context=None):
        return self._logical(None, context, lambda a, b: a ^ b)

    def _shift_count(self, other, ctx):
        """other as a count of digit places for shift and rotate: the NaN result, or the int, or None if invalid."""
        if self._is_special or other._is_special:
            n = _check_nans(self, other, ctx)
            if n is not None:
                return n
        if other._is_special or other._exp != 0:
            return None
        k = -other._int if other._sign else other._int
        if not -ctx.prec <= k <= ctx.prec:
            return None
        return k

    def shift(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        k = self._shift_count(other, ctx)
        if k is None:
            return _invalid(ctx)
        if k.__class__ is not int:
            return k
        if self._is_special:
            return _special(self._sign, 0, "F")
        top = _pow10(ctx.prec)
        c = self._int % top
        c = c * _pow10(k) % top if k >= 0 else c // _pow10(-k)
        return _new(self._sign, c, self._exp)

    def rotate(self, other, context=None):
        other = _convert_strict(other)
        ctx = context if context is not None else getcontext()
        k = self._shift_count(other, ctx)
        if k is None:
            return _invalid(ctx)
        if k.__class__ is not int:
            return k
        if self._is_special:
            return _special(self._sign, 0, "F")
        # the coefficient as exactly prec digits, turned left by k places
        prec = ctx.prec
        k %= prec
        c = self._int % _pow10(prec)
        hi, lo = divmod(c, _pow10(prec - k))
        return _new(self._sign, lo * _pow10(k) + hi, self._exp)

    # -- functions

    def sqrt(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            if n is not None:
                return n
            if self._sign == 0:
                return self
            return _invalid(ctx)
        if self._int == 0:
            return _new(self._sign, 0, self._exp // 2)
        if self._sign:
            return _invalid(ctx)
        prec = ctx.prec
        ideal = self._exp // 2
        c = self._int
        e = self._exp
        # scale so that c has 2*(prec+1) digits or more and e is even
        shift = 2 * (prec + 1) - _nd(c)
        if shift < 0:
            shift = 0
        if (e - shift) % 2:
            shift += 1
        c *= _pow10(shift)
        e -= shift
        r = _math.isqrt(c)
        exact = r * r == c
        e //= 2
        if exact:
            while e < ideal and r % 10 == 0:
                r //= 10
                e += 1
        elif r % 5 == 0:
            r += 1
        c2 = ctx.copy()
        c2.rounding = ROUND_HALF_EVEN
        c2.flags = ctx.flags
        return _fix(0, r, e, c2)

    def exp(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            if n is not None:
                return n
            return _new(0, 0, 0) if self._sign else self
        if self._int == 0:
            return _new(0, 1, 0)
        prec = ctx.prec
        adj = self.adjusted()
        c2 = _half_even(ctx)
        # far from zero the result overflows or underflows at any precision; near zero it is one and a sticky
        # unit past the precision
        if self._sign == 0 and adj > _nd((ctx.Emax + 1) * 3):
            return _fix(0, 1, ctx.Emax + 1, c2)
        if self._sign and adj > _nd((prec - ctx.Emin) * 3):
            return _fix(0, 1, ctx.Emin - prec, c2)
        if self._sign == 0 and adj < -prec:
            return _fix(0, _pow10(prec) + 1, -prec, c2)
        if self._sign and adj < -prec - 1:
            return _fix(0, _pow10(prec + 1) - 1, -prec - 1, c2)
        return _correctly_rounded(lambda d: _exp_approx(self._int, self._exp, self._sign, d), ctx)

    def ln(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            if n is not None:
                return n
            if self._sign:
                return _invalid(ctx)
            return self
        if self._int == 0:
            return _special(1, 0, "F")
        if self._sign:
            return _invalid(ctx)
        if _is_one(self):
            return _new(0, 0, 0)  # ln(1) is exact
        return _correctly_rounded(lambda d: _ln_approx(self._int, self._exp, d), ctx)

    def log10(self, context=None):
        ctx = context if context is not None else getcontext()
        if self._is_special:
            n = _check_nans(self, None, ctx)
            if n is not None:
                return n
            if self._sign:
                return _invalid(ctx)
            return self
        if self._int == 0:
            return _special(1, 0, "F")
        if self._sign:
            return _invalid(ctx)
        c = self._int
        nd = _nd(c)
        if c == _pow10(nd - 1):
            return _fix_int(self._exp + nd - 1, _half_even(ctx))
        return _correctly_rounded(lambda d: _log10_approx(c, self._exp, d), ctx)

    def __iter__(self):
        raise TypeError("'decimal.Decimal' object is not iterable")


def _is_one(d):
    """Whether the finite d is 1 or -1 (with any exponent: 1.000)."""
    return d._exp <= 0 and _nd(d._int) == 1 - d._exp and d._int == _pow10(-d._exp)


def _fix_int(n, ctx):
    return _fix(1 if n < 0 else 0, abs(n), 0, ctx)


class _Ratio:
    """A rational for comparing a Decimal with a Fraction (or anything with numerator and denominator)."""

    def __init__(self, n, d):
        self.n = n
        self.d = d

    def scaled(self, e):
        return _Ratio(self.n * _pow10(e), self.d) if e >= 0 else _Ratio(self.n, self.d * _pow10(-e))

    def __lt__(self, other):
        return self.n * other.d < other.n * self.d

    def __eq__(self, other):
        return self.n * other.d == other.n * self.d

    def cmp(self, dec):
        """self against the finite Decimal dec."""
        if dec._is_special:
            if dec._exp == "F":
                return 1 if dec._sign else -1
            return None
        n, d = dec.as_integer_ratio()
        a = self.n * d
        b = n * self.d
        return (a > b) - (a < b)


def _convert_strict(other):
    if isinstance(other, Decimal):
        return other
    if isinstance(other, int):
        return Decimal(other)
    raise TypeError("conversion from %s to Decimal is not supported" % type(other).__name__)


# -- exp, ln, log10: approximations with a proven error bound, then rounded correctly -----------------------------
#
# An approximation of a real number r is (v, s, err), three ints: r * 10**s lies strictly between v - err and
# v + err. `_correctly_rounded` asks for more digits until every number in that interval rounds to the same
# prec digits, so that the result is the correctly rounded one, as CPython's (libmpdec's) always is. exp, ln and
# log10 round half even whatever the context's rounding; no result of theirs is exact but the ones the methods
# answer before they approximate (exp(0), ln(1), log10 of a power of ten), so the search ends.

def _unambiguous(v, err, prec):
    """Whether every number strictly within err of v rounds to prec digits, by any rounding, as v does."""
    v = abs(v)
    k = _nd(v) - prec  # the digits rounding drops
    if k < 2:
        return False
    h = 5 * _pow10(k - 1)  # ties and the values rounding leaves alone are the multiples of h
    r = v % h
    return err < r < h - err


def _correctly_rounded(approx, ctx):
    """approx(d) is an approximation with d or more significant digits; its value rounded to ctx, half even."""
    prec = ctx.prec
    d = prec + 3
    while True:
        v, s, err = approx(d)
        if _unambiguous(v, err, prec):
            break
        d += d // 2
    return _fix(1 if v < 0 else 0, abs(v), -s, _half_even(ctx))


def _ln_scaled(num, a, s):
    """(v, err): ln(num / 10**a) * 10**s lies within err of v, for num / 10**a between 1/4 and 11."""
    one = _pow10(s)
    x = num * _pow10(s - a) if s >= a else num // _pow10(a - s)  # off by less than one
    # square roots take x near one, ln x = 2**r ln(x ** (1/2**r)); a root of a number above 1/4 moves an error by
    # no more than the error itself, and its floor adds less than one
    t = max(1, _math.isqrt(s // 7))
    near = one // _pow10(t)
    r = 0
    while abs(x - one) > near:
        x = _math.isqrt(x * one)
        r += 1
    # ln x = 2 atanh(z) with z = (x - 1) / (x + 1), |z| < 10**-t / 2: its series, on |z| (atanh is odd)
    z = abs(x - one) * one // (x + one)
    z2 = z * z // one
    total = z
    p = z
    j = 1
    while p:
        p = p * z2 // one
        j += 2
        total += p // j
    # the error: x's (r + 1) through z, less than three for each term's floors, the tail
    err = (r + 3 * j + 8) << (r + 1)
    v = total << (r + 1)
    return (-v if x < one else v), err


_LN10 = [0, 0, 0]  # the scale, value and error of the most precise ln(10) computed so far


def _ln10(s):
    """(v, err) for ln(10) * 10**s."""
    cs, cv, ce = _LN10
    if cs < s:
        cs = s + 10
        cv, ce = _ln_scaled(10, 0, cs)
        _LN10[0] = cs
        _LN10[1] = cv
        _LN10[2] = ce
    k = cs - s
    return cv // _pow10(k), ce // _pow10(k) + 2


def _ln_approx(c, e, d):
    """An approximation of ln(c * 10**e), c > 0 and the value not one, with d or more significant digits."""
    a = _nd(c) - 1
    k = e + a  # c * 10**e = m * 10**k with m = c / 10**a in [1, 10)
    if 10 * c >= 32 * _pow10(a):
        a += 1
        k += 1  # m in [0.32, 3.2)
    if k:
        s = d + 1  # |ln m + k ln 10| > 1.1
    else:
        s = d + 3 + a - _nd(abs(c - _pow10(a)))  # ln m lies within a factor of two of m - 1
    s += _math.isqrt(d // 7) + 4 + _nd(d) + _nd(abs(k))  # guard digits for the error
    v, err = _ln_scaled(c, a, s)
    if k:
        l, le = _ln10(s)
        v += k * l
        err += abs(k) * le
    return v, s, err


def _log10_approx(c, e, d):
    """An approximation of log10(c * 10**e), c > 0 and the value not a power of ten, with d or more digits."""
    v, s, err = _ln_approx(c, e, d + 1)
    l, le = _ln10(s)
    q = abs(v) * _pow10(s) // l
    # dividing by ln 10 > 2.3 shrinks ln's error; ln 10's error counts as often as the quotient has units
    err += le * (q // _pow10(s) + 2) + 1
    return (-q if v < 0 else q), s, err


def _exp_approx(c, e, sign, d):
    """An approximation of exp(x), x = (-1)**sign * c * 10**e (adjusted exponent at most 20), with d or more
    significant digits."""
    adj = e + _nd(c) - 1
    t = max(1, _math.isqrt(d // 4))
    s = d + t + 6 + _nd(d)  # the scale of exp(y), y = x - n ln 10 in [0, ln 10): exp(y) in [1, 10)
    w = max(0, adj + 1) + 2  # x and n ln 10 carry w more digits
    sw = s + w
    big = c * _pow10(e + sw) if e + sw >= 0 else c // _pow10(-e - sw)  # off by less than one
    if sign:
        big = -big
    l, le = _ln10(sw)
    n = big // l
    y = (big - n * l) // _pow10(w)
    ey = (1 + abs(n) * le) // _pow10(w) + 2
    # halve y to below 10**-t, exp(y) = exp(y / 2**q) ** (2**q): the series, then q squarings
    one = _pow10(s)
    q = (y // (one // _pow10(t))).bit_length()
    y >>= q
    ey = (ey >> q) + 2
    total = one
    term = one
    j = 1
    while term:
        term = term * y // (j * one)
        total += term
        j += 1
    for _ in range(q):
        total = total * total // one
    # before squaring the error is below 2 ey + 2 j; each squaring doubles it relative to the value
    err = (2 * ey + 2 * j + q + 4) * 16 << q
    return total, s - n, err


def _half_even(ctx):
    """ctx with ROUND_HALF_EVEN (exp, ln and log10 always round so), sharing its flags and traps."""
    c2 = ctx.copy()
    c2.rounding = ROUND_HALF_EVEN
    c2.flags = ctx.flags
    c2.traps = ctx.traps
    return c2


def _power(x, y, ctx):
    if x._is_special or y._is_special:
        n = _check_nans(x, y, ctx)
        if n is not None:
            return n
    # y an integer?
    y_int = None
    if not y._is_special:
        if y._exp >= 0:
            y_int = y._int * _pow10(y._exp)
            if y._sign:
                y_int = -y_int
        else:
            k = -y._exp
            if y._int % _pow10(k) == 0:
                y_int = y._int // _pow10(k)
                if y._sign:
                    y_int = -y_int
    # a negative base (not -0) to a power that is not an integer has no real value
    if x._sign and (x._is_special or x._int != 0) and y_int is None:
        return _invalid(ctx)
    if x._is_special:  # infinity
        if y._is_special:
            return _new(0, 0, 0) if y._sign else _special(0, 0, "F")
        if y._int == 0:
            return _new(0, 1, 0)
        sign = x._sign if y_int is not None and y_int % 2 == 1 else 0
        if x._sign and y_int is None:
            sign = 0
        return _new(sign, 0, 0) if y._sign else _special(sign, 0, "F")
    if y._is_special:  # y infinite
        if x._int == 0:
            return _new(0, 0, 0) if not y._sign else _special(0, 0, "F")
        if x._sign:
            return _invalid(ctx)
        c = x._cmp(_new(0, 1, 0))
        if c == 0:
            return _fix(0, _pow10(ctx.prec - 1), 1 - ctx.prec, ctx)
        if (c > 0) == (y._sign == 0):
            return _special(0, 0, "F")
        return _new(0, 0, 0)
    if x._int == 0:
        if y._int == 0:
            return _invalid(ctx)
        sign = x._sign if y_int is not None and y_int % 2 == 1 else 0
        if y._sign:
            return _special(sign, 0, "F")
        return _new(sign, 0, 0)
    if y._int == 0:
        return _fix(0, 1, 0, ctx)
    sign = 0
    if x._sign:
        if y_int is None:
            return _invalid(ctx)
        sign = y_int & 1
    prec = ctx.prec
    if _is_one(x):
        # a power of one (or minus one to an even power): one, exact with an integer exponent (1.0 ** 3 = 1.000)
        if y_int is None:
            _signal(ctx, Inexact)
            _signal(ctx, Rounded)
            return _fix(0, _pow10(prec - 1), 1 - prec, ctx)
        if y_int < 0:
            return _new(sign, 1, 0)
        shift = -x._exp * y_int
        if shift > prec - 1:
            shift = prec - 1
            _signal(ctx, Rounded)
        return _new(sign, _pow10(shift), -shift)
    bound = _pow_bound(x, y, sign, ctx)
    if bound is not None:
        return bound
    if y_int is not None:
        return _power_int(x, y_int, sign, ctx)
    # x ** y = exp(y ln x), as libmpdec computes it: ln x and exp correctly rounded to 23 digits more than the
    # precision (or x's digits), the product rounded there too, then the power rounded to ctx by its rounding
    work = Context(prec=max(_nd(x._int), prec) + 23, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX,
                   traps=[])
    t = _correctly_rounded(lambda d: _ln_approx(x._int, x._exp, d), work).__mul__(y, work)
    r = t.exp(work)
    if r._is_special or r._int == 0:
        # beyond any context's exponents: the result overflows or underflows
        return _fix(0, 1, (ctx.Emin - prec - 5) if t._sign else (ctx.Emax + 5), ctx)
    _signal(ctx, Inexact)
    _signal(ctx, Rounded)
    if _is_one(r):
        return _fix(0, _pow10(prec - 1), 1 - prec, ctx)
    return _fix(0, r._int, r._exp, ctx)


def _pow_bound(x, y, sign, ctx):
    """x ** y when it certainly overflows or underflows (by libmpdec's test on the exponents' digits), else None."""
    t = x.adjusted()
    if t > 0:
        zeta = _nd(t) - 1  # a lower bound of log10(|log10 x|)
    elif t < -1:
        zeta = _nd(-t - 1) - 1
    else:
        # 1/10 <= x < 10: from x - 1
        if x._exp >= 0:
            u = _nd(x._int * _pow10(x._exp) - 1) - 1
        else:
            u = _nd(abs(x._int - _pow10(-x._exp))) - 1 + x._exp
        zeta = u - 2 if t == 0 else u - 1
    theta = y.adjusted()
    if (t < 0) == (y._sign == 1):
        if _nd(abs(ctx.Emax)) < zeta + theta:
            return _fix(sign, 1, ctx.Emax + 5, ctx)
    elif _nd(abs(ctx.Etiny())) < zeta + theta:
        return _fix(sign, 1, ctx.Etiny() - 1, ctx)
    return None


def _power_int(x, n, sign, ctx):
    """x ** n for an integer n, as libmpdec computes it: squares and products from n's top bit down, each rounded
    half even to n's digits and two more than the precision (after 1/x for n < 0), then rounded to ctx."""
    work = ctx.copy()
    work.prec = ctx.prec + _nd(abs(n)) + 2
    work.rounding = ROUND_HALF_EVEN
    work.clamp = 0
    work.traps = dict.fromkeys(_SIGNALS, False)
    c = x._int
    if 0 < n and _nd(c) * n <= work.prec:
        # every product is exact: when x and the power are normal numbers no step rounds
        p = c ** n
        if ctx.Emin <= x.adjusted() <= ctx.Emax and ctx.Emin <= _nd(p) - 1 + x._exp * n <= ctx.Emax:
            return _fix(sign, p, x._exp * n, ctx)
    base = _new(0, c, x._exp)
    if n < 0:
        work.prec += 1
        base = _new(0, 1, 0).__truediv__(base, work)
        n = -n
    r = base
    bit = 1 << (n.bit_length() - 1)
    flags = work.flags
    while bit > 1:
        bit >>= 1
        r = r.__mul__(r, work)
        if n & bit:
            r = r.__mul__(base, work)
        if r._is_special or (r._int == 0 and flags[Clamped]):
            break
    _signal_all(ctx, flags)
    if r._is_special:
        return _fix(sign, 1, ctx.Emax + 5, ctx)
    return _fix(sign, r._int, r._exp, ctx)


def _with_sign(d, sign):
    if not sign:
        return d
    if d._is_special:
        return _special(1, d._int, d._exp)
    return _new(1, d._int, d._exp)


# -- formatting ------------------------------------------------------------------------------------------------

def _parse_spec(spec):
    fill = " "
    align = None
    i = 0
    n = len(spec)
    if n >= 2 and spec[1] in "<>=^":
        fill = spec[0]
        align = spec[1]
        i = 2
    elif n >= 1 and spec[0] in "<>=^":
        align = spec[0]
        i = 1
    sign = "-"
    if i < n and spec[i] in "+- ":
        sign = spec[i]
        i += 1
    zcoerce = False
    if i < n and spec[i] == "z":
        zcoerce = True
        i += 1
    alt = False
    if i < n and spec[i] == "#":
        alt = True
        i += 1
    zero = False
    if i < n and spec[i] == "0":
        zero = True
        i += 1
    w = ""
    while i < n and spec[i].isdigit():
        w += spec[i]
        i += 1
    width = int(w) if w else None
    group = ""
    if i < n and spec[i] in ",_":
        group = spec[i]
        i += 1
    precision = None
    if i < n and spec[i] == ".":
        i += 1
        pp = ""
        while i < n and spec[i].isdigit():
            pp += spec[i]
            i += 1
        if not pp:
            raise ValueError("Invalid format specifier")
        precision = int(pp)
    typ = None
    if i < n:
        typ = spec[i]
        i += 1
    if i != n or (typ is not None and typ not in "eEfFgGn%"):
        raise ValueError("Invalid format specifier")
    if zero and align is None:
        fill = "0"
        align = "="
    return fill, align, sign, zcoerce, alt, width, group, precision, typ


def _format(d, spec):
    fill, align, signopt, zcoerce, alt, width, group, precision, typ = _parse_spec(spec)
    ctx = getcontext()
    rounding = ctx.rounding
    neg = d._sign == 1
    if d._is_special:
        if d._exp == "F":
            body = "Infinity"
        else:
            body = ("NaN" if d._exp == "n" else "sNaN") + (str(d._int) if d._int else "")
        if typ == "%":
            body += "%"
        return _pad(body, neg, signopt, fill, align or ">", width, False)
    if typ == "%":
        d = _new(d._sign, d._int, d._exp + 2)
    if typ is None and precision is None:
        s = str(_new(0, d._int, d._exp))
        if "E" in s and not ctx.capitals:
            s = s.replace("E", "e")
        intpart, frac, exp = _split_num(s)
    else:
        if typ in ("f", "F", "%"):
            if precision is None:
                r = _new(0, d._int, d._exp)
            else:
                r = _new(0, d._int, d._exp)._rescale(-precision, rounding)
            digits = str(r._int)
            e = r._exp
            intpart, frac = _place(digits, e)
            exp = ""
        elif typ in ("e", "E"):
            digits, e = _sig_round(d, None if precision is None else precision + 1, rounding)
            left = e + len(digits)
            intpart = digits[0]
            frac = digits[1:]
            ex = left - 1
            if d._int == 0 and precision is None:
                ex = d._exp
            exp = ("e" if typ == "e" else "E") + "%+d" % ex
        else:  # g, G, n, None with a precision
            p = precision
            if p == 0:
                p = 1
            digits, e = _sig_round(d, p, rounding)
            left = e + len(digits)
            if d._int == 0 and p is None:
                left = d._exp + 1
            if typ is None:
                usesci = not (e <= 0 and left > -6)
            else:
                usesci = not (-6 < left <= (p if p is not None else max(len(digits), left)))
                if p is not None and not alt:
                    digits = digits.rstrip("0") or "0"
                    if e < 0 and len(digits) < left:
                        pass
            if usesci:
                intpart = digits[0]
                frac = digits[1:]
                ch = "E" if typ in ("G",) or (typ is None and ctx.capitals) else "e"
                exp = ch + "%+d" % (left - 1)
            else:
                if typ is not None and p is not None and not alt:
                    # digits were stripped: the exponent of the last kept digit
                    e = left - len(digits)
                    if e > 0:
                        digits += "0" * e
                        e = 0
                intpart, frac = _place(digits, e)
                exp = ""
    if zcoerce and neg and all(ch == "0" for ch in intpart + frac):
        neg = False
    if group:
        intpart = _group(intpart, group)
    body = intpart + ("." + frac if frac or alt else "") + exp
    if typ == "%":
        body += "%"
    return _pad(body, neg, signopt, fill, align or ">", width, fill == "0" and align == "=" and group)


def _split_num(s):
    exp = ""
    for ch in "Ee":
        if ch in s:
            i = s.index(ch)
            exp = s[i:]
            s = s[:i]
    if "." in s:
        a, b = s.split(".")
        return a, b, exp
    return s, "", exp


def _place(digits, e):
    """Integer and fraction digits of coefficient `digits` with exponent e (no exponent notation)."""
    if e >= 0:
        return (digits + "0" * e).lstrip("0") or "0", ""
    k = -e
    if len(digits) <= k:
        return "0", "0" * (k - len(digits)) + digits
    return digits[:-k], digits[-k:]


def _sig_round(d, n, rounding):
    """(digits, exponent) of |d| rounded to n significant digits (all of them when n is None)."""
    c = d._int
    e = d._exp
    if n is None:
        return str(c), e
    if c == 0:
        return "0" * n, e
    nd = _nd(c)
    if nd > n:
        r = _new(0, c, e)._rescale(e + nd - n, rounding)
        c = r._int
        e = r._exp
        if _nd(c) > n:
            c //= 10
            e += 1
    elif nd < n:
        c *= _pow10(n - nd)
        e -= n - nd
    return str(c), e


def _group(intpart, sep):
    out = []
    while len(intpart) > 3:
        out.append(intpart[-3:])
        intpart = intpart[:-3]
    out.append(intpart)
    return sep.join(reversed(out))


def _pad(body, neg, signopt, fill, align, width, zerogroup):
    sign = "-" if neg else ("+" if signopt == "+" else " " if signopt == " " else "")
    if width is None or len(sign) + len(body) >= width:
        return sign + body
    n = width - len(sign) - len(body)
    if align == "<":
        return sign + body + fill * n
    if align == "^":
        left = n // 2
        return fill * left + sign + body + fill * (n - left)
    if align == "=":
        return sign + fill * n + body
    return fill * n + sign + body


# -- contexts --------------------------------------------------------------------------------------------------

def _context_op(name, arity=2):
    """The Context method `name`: the Decimal method of that name on its first operand, in the context."""
    if arity == 1:
        def op(self, a):
            return getattr(self._d(a), name)(context=self)
    else:
        def op(self, a, b):
            return getattr(self._d(a), name)(b, context=self)
    op.__name__ = name
    op.__qualname__ = "Context." + name
    return op


class Context(object):
    """Contains the context for a Decimal instance: precision, rounding, exponent limits, flags and traps."""

    def __init__(self, prec=None, rounding=None, Emin=None, Emax=None, capitals=None, clamp=None, flags=None,
                 traps=None, _ignored_flags=None):
        dc = DefaultContext if "DefaultContext" in globals() else None
        self.prec = prec if prec is not None else (dc.prec if dc else 28)
        self.rounding = rounding if rounding is not None else (dc.rounding if dc else ROUND_HALF_EVEN)
        self.Emin = Emin if Emin is not None else (dc.Emin if dc else -999999)
        self.Emax = Emax if Emax is not None else (dc.Emax if dc else 999999)
        self.capitals = capitals if capitals is not None else (dc.capitals if dc else 1)
        self.clamp = clamp if clamp is not None else (dc.clamp if dc else 0)
        if not isinstance(self.prec, int):
            raise TypeError("an integer is required")
        if not 1 <= self.prec <= MAX_PREC:
            raise ValueError("valid range for prec is [1, MAX_PREC]")
        if self.rounding not in _ROUNDINGS:
            raise TypeError("valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n"
                            "   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]")
        if traps is None:
            self.traps = dict(dc.traps) if dc else {s: s in (InvalidOperation, DivisionByZero, Overflow)
                                                      for s in _SIGNALS}
        elif isinstance(traps, dict):
            self.traps = {s: bool(traps.get(s, False)) for s in _SIGNALS}
        else:
            self.traps = {s: s in traps for s in _SIGNALS}
        if flags is None:
            self.flags = dict.fromkeys(_SIGNALS, False)
        elif isinstance(flags, dict):
            self.flags = {s: bool(flags.get(s, False)) for s in _SIGNALS}
        else:
            self.flags = {s: s in flags for s in _SIGNALS}

    def __repr__(self):
        flags = [s.__name__ for s in _REPR_ORDER if self.flags[s]]
        traps = [s.__name__ for s in _REPR_ORDER if self.traps[s]]
        return ("Context(prec=%d, rounding=%s, Emin=%d, Emax=%d, capitals=%d, clamp=%d, flags=[%s], traps=[%s])"
                % (self.prec, self.rounding, self.Emin, self.Emax, self.capitals, self.clamp, ", ".join(flags),
                   ", ".join(traps)))

    def copy(self):
        c = Context.__new__(Context)
        c.prec = self.prec
        c.rounding = self.rounding
        c.Emin = self.Emin
        c.Emax = self.Emax
        c.capitals = self.capitals
        c.clamp = self.clamp
        c.flags = dict(self.flags)
        c.traps = dict(self.traps)
        return c

    __copy__ = copy

    def __reduce__(self):
        return (self.__class__, (self.prec, self.rounding, self.Emin, self.Emax, self.capitals, self.clamp,
                                 [s for s in _SIGNALS if self.flags[s]], [s for s in _SIGNALS if self.traps[s]]))

    def clear_flags(self):
        for s in _SIGNALS:
            self.flags[s] = False

    def clear_traps(self):
        for s in _SIGNALS:
            self.traps[s] = False

    def Etiny(self):
        return self.Emin - self.prec + 1

    def Etop(self):
        return self.Emax - self.prec + 1

    def radix(self):
        return Decimal(10)

    def create_decimal(self, num="0"):
        if isinstance(num, str) and (num != num.strip() or "_" in num):
            _signal(self, ConversionSyntax)
            return _special(0, 0, "n")
        d = num if isinstance(num, Decimal) else Decimal(num, context=self)
        if d._is_special:
            if d._exp != "F":
                return _nan_payload(d, self) if d._exp == "n" else _special(d._sign, d._int, "N")
            return d
        return _fix(d._sign, d._int, d._exp, self)

    def create_decimal_from_float(self, f):
        d = Decimal.from_float(f)
        if d._is_special:
            return d
        return _fix(d._sign, d._int, d._exp, self)

    def _d(self, a):
        if isinstance(a, Decimal):
            return a
        if isinstance(a, int):
            return Decimal(a)
        raise TypeError("conversion from %s to Decimal is not supported" % type(a).__name__)

    def abs(self, a):
        return self._d(a).__abs__(context=self)

    def add(self, a, b):
        return self._d(a).__add__(self._d(b), self)

    def subtract(self, a, b):
        return self._d(a).__sub__(self._d(b), self)

    def multiply(self, a, b):
        return self._d(a).__mul__(self._d(b), self)

    def divide(self, a, b):
        return self._d(a).__truediv__(self._d(b), self)

    def divide_int(self, a, b):
        return self._d(a).__floordiv__(self._d(b), self)

    def remainder(self, a, b):
        return self._d(a).__mod__(self._d(b), self)

    def divmod(self, a, b):
        return self._d(a).__divmod__(self._d(b), self)

    def remainder_near(self, a, b):
        return self._d(a).remainder_near(b, self)

    def power(self, a, b, modulo=None):
        return self._d(a).__pow__(self._d(b), modulo, self)

    def fma(self, a, b, c):
        return self._d(a).fma(b, c, self)

    def plus(self, a):
        return self._d(a).__pos__(self)

    def minus(self, a):
        return self._d(a).__neg__(self)

    def sqrt(self, a):
        return self._d(a).sqrt(self)

    def exp(self, a):
        return self._d(a).exp(self)

    def ln(self, a):
        return self._d(a).ln(self)

    def log10(self, a):
        return self._d(a).log10(self)

    def logb(self, a):
        return self._d(a).logb(self)

    def scaleb(self, a, b):
        return self._d(a).scaleb(b, self)

    def quantize(self, a, b):
        if a.__class__ is not Decimal:
            a = self._d(a)
        return a.quantize(b, None, self)

    def same_quantum(self, a, b):
        return self._d(a).same_quantum(b)

    def normalize(self, a):
        return self._d(a).normalize(self)

    def to_integral_value(self, a):
        return self._d(a).to_integral_value(context=self)

    to_integral = to_integral_value

    def to_integral_exact(self, a):
        return self._d(a).to_integral_exact(context=self)

    def to_sci_string(self, a):
        return self._d(a)._to_string(False, self)

    def to_eng_string(self, a):
        return self._d(a)._to_string(True, self)

    def compare(self, a, b):
        return self._d(a).compare(b, self)

    def compare_signal(self, a, b):
        return self._d(a).compare_signal(b, self)

    def compare_total(self, a, b):
        return self._d(a).compare_total(b)

    compare_total_mag = _context_op("compare_total_mag")
    logical_and = _context_op("logical_and")
    logical_or = _context_op("logical_or")
    logical_xor = _context_op("logical_xor")
    logical_invert = _context_op("logical_invert", 1)
    shift = _context_op("shift")
    rotate = _context_op("rotate")

    def max(self, a, b):
        return self._d(a).max(b, self)

    def min(self, a, b):
        return self._d(a).min(b, self)

    def max_mag(self, a, b):
        return self._d(a).max_mag(b, self)

    def min_mag(self, a, b):
        return self._d(a).min_mag(b, self)

    def next_plus(self, a):
        return self._d(a).next_plus(self)

    def next_minus(self, a):
        return self._d(a).next_minus(self)

    def next_toward(self, a, b):
        return self._d(a).next_toward(b, self)

    def copy_abs(self, a):
        return self._d(a).copy_abs()

    def copy_negate(self, a):
        return self._d(a).copy_negate()

    def copy_sign(self, a, b):
        return self._d(a).copy_sign(b)

    def copy_decimal(self, a):
        return Decimal(self._d(a))

    def number_class(self, a):
        return self._d(a).number_class(self)

    def is_finite(self, a):
        return self._d(a).is_finite()

    def is_infinite(self, a):
        return self._d(a).is_infinite()

    def is_nan(self, a):
        return self._d(a).is_nan()

    def is_qnan(self, a):
        return self._d(a).is_qnan()

    def is_snan(self, a):
        return self._d(a).is_snan()

    def is_signed(self, a):
        return self._d(a).is_signed()

    def is_zero(self, a):
        return self._d(a).is_zero()

    def is_normal(self, a):
        return self._d(a).is_normal(self)

    def is_subnormal(self, a):
        return self._d(a).is_subnormal(self)

    def is_canonical(self, a):
        return True

    def canonical(self, a):
        return self._d(a)


DefaultContext = Context(prec=28, rounding=ROUND_HALF_EVEN, Emin=-999999, Emax=999999, capitals=1, clamp=0,
                         traps=[InvalidOperation, DivisionByZero, Overflow])
BasicContext = Context(prec=9, rounding=ROUND_HALF_UP, traps=[DivisionByZero, Overflow, InvalidOperation, Clamped,
                                                               Underflow])
ExtendedContext = Context(prec=9, rounding=ROUND_HALF_EVEN, traps=[])

# the current context (one per process: mpsh runs one thread), in a list so the hot paths read it by index
_current = [DefaultContext.copy()]


def getcontext():
    """Returns this thread's context."""
    return _current[0]


def setcontext(context):
    """Set this thread's context to context."""
    if not isinstance(context, Context):
        raise TypeError("argument must be a context")
    if context is DefaultContext or context is BasicContext or context is ExtendedContext:
        context = context.copy()
        context.clear_flags()
    _current[0] = context


class _ContextManager(object):
    def __init__(self, new_context):
        self.new_context = new_context

    def __enter__(self):
        self.saved_context = getcontext()
        setcontext(self.new_context)
        return self.new_context

    def __exit__(self, t, v, tb):
        setcontext(self.saved_context)


def localcontext(ctx=None, **kwargs):
    """A context manager that sets a copy of ctx (or of the current context) as the context for its block."""
    if ctx is None:
        ctx = getcontext()
    c = ctx.copy()
    for k, v in kwargs.items():
        if k not in ("prec", "rounding", "Emin", "Emax", "capitals", "clamp", "flags", "traps"):
            raise TypeError("'%s' is an invalid keyword argument for this function" % k)
        if k == "flags" or k == "traps":
            v = {s: s in v for s in _SIGNALS} if not isinstance(v, dict) else {s: bool(v.get(s)) for s in _SIGNALS}
        setattr(c, k, v)
    return _ContextManager(c)
