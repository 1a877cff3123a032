"""The numeric tower: Number > Complex > Real > Rational > Integral.

mpsh has no metaclasses, so isinstance() cannot ask these classes whether int or float belongs to them: each name
here is therefore a tuple of the built-in types that CPython registers under it plus a class of its own (which a
user class can subclass, under its name with a leading underscore: numbers._Real, ...). isinstance(x,
numbers.Real) and issubclass(bool, numbers.Integral) give CPython's answers; `class X(numbers.Real)` must name
numbers._Real instead."""

__all__ = ["Number", "Complex", "Real", "Rational", "Integral"]


class _Number:
    __slots__ = ()
    __hash__ = None


class _Complex(_Number):
    __slots__ = ()


class _Real(_Complex):
    __slots__ = ()


class _Rational(_Real):
    __slots__ = ()


class _Integral(_Rational):
    __slots__ = ()


Integral = (int, _Integral)
Rational = (int, _Rational)
Real = (int, float, _Real)
Complex = (int, float, _Complex)
Number = (int, float, _Number)
