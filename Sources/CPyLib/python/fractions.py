"""Rational numbers: Fraction(numerator, denominator), exact arithmetic, and conversions."""

import math
import numbers

__all__ = ["Fraction"]

_HASH_MODULUS = 2305843009213693951
_HASH_INF = 314159


def _parse(s):
    # [sign] digits [/ digits]  or  [sign] digits [. digits] [e [sign] digits], blanks around, "_" between digits
    original = s
    s = s.strip()

    def bad():
        return ValueError("Invalid literal for Fraction: %r" % original)

    def digits(t):
        if not t or t[0] == "_" or t[-1] == "_" or "__" in t:
            raise bad()
        for c in t:
            if not (c.isdigit() or c == "_"):
                raise bad()
        return t.replace("_", "")

    sign = 1
    if s[:1] in ("+", "-"):
        if s[0] == "-":
            sign = -1
        s = s[1:]
    if not s or not (s[0].isdigit() or (s[0] == "." and s[1:2].isdigit())):
        raise bad()
    if "/" in s:
        num, den = s.split("/", 1)
        n = int(digits(num))
        d = int(digits(den))
        if d == 0:
            raise ZeroDivisionError("Fraction(%s, 0)" % (sign * n))
        return sign * n, d
    exp = 0
    low = s.lower()
    if "e" in low:
        i = low.index("e")
        e = s[i + 1:]
        s = s[:i]
        esign = 1
        if e[:1] in ("+", "-"):
            if e[0] == "-":
                esign = -1
            e = e[1:]
        exp = esign * int(digits(e))
    if "." in s:
        whole, frac = s.split(".", 1)
        whole = digits(whole) if whole else ""
        frac = digits(frac) if frac else ""
        n = int(whole + frac) if whole + frac else 0
        exp -= len(frac)
    else:
        n = int(digits(s))
    d = 1
    if exp >= 0:
        n *= 10 ** exp
    else:
        d = 10 ** -exp
    return sign * n, d


def _is_rational(x):
    return isinstance(x, (int, Fraction)) or (hasattr(x, "numerator") and hasattr(x, "denominator")
                                               and not isinstance(x, float))


class Fraction(numbers._Rational):
    __slots__ = ("_numerator", "_denominator")

    def __new__(cls, numerator=0, denominator=None, *, _normalize=True):
        self = object.__new__(cls)
        if denominator is None:
            if type(numerator) is int or isinstance(numerator, int):
                self._numerator = int(numerator)
                self._denominator = 1
                return self
            if isinstance(numerator, Fraction):
                self._numerator = numerator._numerator
                self._denominator = numerator._denominator
                return self
            if isinstance(numerator, float) or type(numerator).__name__ == "Decimal" and \
                    type(numerator).__module__ == "decimal":
                n, d = numerator.as_integer_ratio()
                self._numerator = n
                self._denominator = d
                return self
            if isinstance(numerator, str):
                n, d = _parse(numerator)
                numerator, denominator = n, d
            elif _is_rational(numerator):
                self._numerator = numerator.numerator
                self._denominator = numerator.denominator
                return self
            else:
                raise TypeError("argument should be a string or a Rational instance")
        elif isinstance(numerator, int) and isinstance(denominator, int):
            numerator = int(numerator)
            denominator = int(denominator)
        elif _is_rational(numerator) and _is_rational(denominator):
            numerator, denominator = (numerator.numerator * denominator.denominator,
                                      denominator.numerator * numerator.denominator)
        else:
            raise TypeError("both arguments should be Rational instances")
        if denominator == 0:
            raise ZeroDivisionError("Fraction(%s, 0)" % numerator)
        if _normalize:
            g = math.gcd(numerator, denominator)
            if denominator < 0:
                g = -g
            numerator //= g
            denominator //= g
        self._numerator = numerator
        self._denominator = denominator
        return self

    @classmethod
    def from_float(cls, f):
        if isinstance(f, int):
            return cls(f)
        if not isinstance(f, float):
            raise TypeError("%s.from_float() only takes floats, not %r (%s)" % (cls.__name__, f, type(f).__name__))
        return cls(*f.as_integer_ratio())

    @classmethod
    def from_decimal(cls, dec):
        return cls(str(dec))

    def as_integer_ratio(self):
        return (self._numerator, self._denominator)

    def limit_denominator(self, max_denominator=1000000):
        # the closest fraction with a denominator at most max_denominator: the last convergent of the continued
        # fraction that fits, or the best semiconvergent below it
        if max_denominator < 1:
            raise ValueError("max_denominator should be at least 1")
        if self._denominator <= max_denominator:
            return Fraction(self)
        p0, q0, p1, q1 = 0, 1, 1, 0
        n, d = self._numerator, self._denominator
        while True:
            a = n // d
            q2 = q0 + a * q1
            if q2 > max_denominator:
                break
            p0, q0, p1, q1 = p1, q1, p0 + a * p1, q2
            n, d = d, n - a * d
        k = (max_denominator - q0) // q1
        if 2 * d * (q0 + k * q1) <= self._denominator:
            return Fraction(p1, q1, _normalize=False)
        return Fraction(p0 + k * p1, q0 + k * q1, _normalize=False)

    @property
    def numerator(self):
        return self._numerator

    @property
    def denominator(self):
        return self._denominator

    def __repr__(self):
        return "%s(%s, %s)" % (type(self).__name__, self._numerator, self._denominator)

    def __str__(self):
        if self._denominator == 1:
            return str(self._numerator)
        return "%s/%s" % (self._numerator, self._denominator)

    def __format__(self, spec):
        if spec == "":
            return str(self)
        raise TypeError("unsupported format string passed to Fraction.__format__")

    # arithmetic: with an int or a Fraction the result is exact, with a float it is a float

    def _coerce(self, other):
        if isinstance(other, Fraction):
            return other
        if isinstance(other, int):
            return Fraction(other)
        return None

    def __add__(self, other):
        b = self._coerce(other)
        if b is not None:
            na, da, nb, db = self._numerator, self._denominator, b._numerator, b._denominator
            if da == db:
                return Fraction(na + nb, da)
            return Fraction(na * db + nb * da, da * db)
        if isinstance(other, float):
            return float(self) + other
        return NotImplemented

    def __radd__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__add__(self)
        if isinstance(other, float):
            return other + float(self)
        return NotImplemented

    def __sub__(self, other):
        b = self._coerce(other)
        if b is not None:
            na, da, nb, db = self._numerator, self._denominator, b._numerator, b._denominator
            if da == db:
                return Fraction(na - nb, da)
            return Fraction(na * db - nb * da, da * db)
        if isinstance(other, float):
            return float(self) - other
        return NotImplemented

    def __rsub__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__sub__(self)
        if isinstance(other, float):
            return other - float(self)
        return NotImplemented

    def __mul__(self, other):
        b = self._coerce(other)
        if b is not None:
            return Fraction(self._numerator * b._numerator, self._denominator * b._denominator)
        if isinstance(other, float):
            return float(self) * other
        return NotImplemented

    def __rmul__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__mul__(self)
        if isinstance(other, float):
            return other * float(self)
        return NotImplemented

    def __truediv__(self, other):
        b = self._coerce(other)
        if b is not None:
            return Fraction(self._numerator * b._denominator, self._denominator * b._numerator)
        if isinstance(other, float):
            return float(self) / other
        return NotImplemented

    def __rtruediv__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__truediv__(self)
        if isinstance(other, float):
            return other / float(self)
        return NotImplemented

    def __floordiv__(self, other):
        b = self._coerce(other)
        if b is not None:
            return (self._numerator * b._denominator) // (self._denominator * b._numerator)
        if isinstance(other, float):
            return float(self) // other
        return NotImplemented

    def __rfloordiv__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__floordiv__(self)
        if isinstance(other, float):
            return other // float(self)
        return NotImplemented

    def __mod__(self, other):
        b = self._coerce(other)
        if b is not None:
            da, db = self._denominator, b._denominator
            return Fraction((self._numerator * db) % (b._numerator * da), da * db)
        if isinstance(other, float):
            return float(self) % other
        return NotImplemented

    def __rmod__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__mod__(self)
        if isinstance(other, float):
            return other % float(self)
        return NotImplemented

    def __divmod__(self, other):
        b = self._coerce(other)
        if b is not None:
            da, db = self._denominator, b._denominator
            q, r = divmod(self._numerator * db, da * b._numerator)
            return (q, Fraction(r, da * db))
        if isinstance(other, float):
            return divmod(float(self), other)
        return NotImplemented

    def __rdivmod__(self, other):
        b = self._coerce(other)
        if b is not None:
            return b.__divmod__(self)
        if isinstance(other, float):
            return divmod(other, float(self))
        return NotImplemented

    def __pow__(self, other):
        b = self._coerce(other)
        if b is not None:
            if b._denominator == 1:
                p = b._numerator
                if p >= 0:
                    return Fraction(self._numerator ** p, self._denominator ** p, _normalize=False)
                if self._numerator >= 0:
                    return Fraction(self._denominator ** -p, self._numerator ** -p, _normalize=False)
                return Fraction((-self._denominator) ** -p, (-self._numerator) ** -p, _normalize=False)
            return float(self) ** float(b)
        if isinstance(other, float):
            return float(self) ** other
        return NotImplemented

    def __rpow__(self, other):
        if self._denominator == 1 and self._numerator >= 0:
            return other ** self._numerator
        if isinstance(other, int):
            return Fraction(other) ** self
        if self._denominator == 1:
            return other ** self._numerator
        return other ** float(self)

    def __pos__(self):
        return Fraction(self._numerator, self._denominator, _normalize=False)

    def __neg__(self):
        return Fraction(-self._numerator, self._denominator, _normalize=False)

    def __abs__(self):
        return Fraction(abs(self._numerator), self._denominator, _normalize=False)

    def __int__(self):
        if self._numerator < 0:
            return -(-self._numerator // self._denominator)
        return self._numerator // self._denominator

    def __trunc__(self):
        return self.__int__()

    def __floor__(self):
        return self._numerator // self._denominator

    def __ceil__(self):
        return -(-self._numerator // self._denominator)

    def __round__(self, ndigits=None):
        if ndigits is None:
            floor, remainder = divmod(self._numerator, self._denominator)
            if remainder * 2 < self._denominator:
                return floor
            if remainder * 2 > self._denominator:
                return floor + 1
            return floor if floor % 2 == 0 else floor + 1
        shift = 10 ** abs(ndigits)
        if ndigits > 0:
            return Fraction(round(self * shift), shift)
        return Fraction(round(self / shift) * shift)

    def __float__(self):
        return self._numerator / self._denominator

    def __hash__(self):
        if self._denominator == 1:
            return hash(self._numerator)
        f = self._numerator / self._denominator
        if Fraction(f) == self:
            # equal to a float: the float's hash, whatever mpsh's float hash is
            return hash(f)
        try:
            dinv = pow(self._denominator, -1, _HASH_MODULUS)
        except ValueError:
            h = _HASH_INF
        else:
            h = hash(hash(abs(self._numerator)) * dinv)
        r = h if self._numerator >= 0 else -h
        return -2 if r == -1 else r

    def __eq__(self, other):
        if isinstance(other, Fraction):
            return self._numerator == other._numerator and self._denominator == other._denominator
        if isinstance(other, int):
            return self._denominator == 1 and self._numerator == other
        if isinstance(other, float):
            if math.isnan(other) or math.isinf(other):
                return 0.0 == other
            return self == Fraction(other)
        return NotImplemented

    def __ne__(self, other):
        r = self.__eq__(other)
        if r is NotImplemented:
            return r
        return not r

    def _cmp(self, other):
        # -1, 0, 1, or None when other is a NaN; NotImplemented for other types
        if isinstance(other, float):
            if math.isnan(other):
                return None
            if math.isinf(other):
                return -1 if other > 0 else 1
            other = Fraction(other)
        elif isinstance(other, int):
            other = Fraction(other)
        elif not isinstance(other, Fraction):
            return NotImplemented
        a = self._numerator * other._denominator
        b = other._numerator * self._denominator
        return (a > b) - (a < b)

    def __lt__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else (c is not None and c < 0)

    def __le__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else (c is not None and c <= 0)

    def __gt__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else (c is not None and c > 0)

    def __ge__(self, other):
        c = self._cmp(other)
        return c if c is NotImplemented else (c is not None and c >= 0)

    def __bool__(self):
        return self._numerator != 0

    def __copy__(self):
        if type(self) is Fraction:
            return self
        return type(self)(self._numerator, self._denominator)

    def __deepcopy__(self, memo):
        if type(self) is Fraction:
            return self
        return type(self)(self._numerator, self._denominator)
