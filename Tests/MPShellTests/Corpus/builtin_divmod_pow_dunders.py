# builtin divmod and pow on user classes: __divmod__, then the other operand's __rdivmod__, NotImplemented passed
# on, pow's modulus given to __pow__, and __rpow__ for a built-in base; hash() of floats equal to ints' and
# Fractions' where the values are equal
from fractions import Fraction


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __repr__(self):
        return 'Money(%d)' % self.cents

    def __divmod__(self, other):
        if isinstance(other, int):
            q, r = divmod(self.cents, other)
            return Money(q), Money(r)
        return NotImplemented

    def __rdivmod__(self, other):
        return ('rdivmod', other, self.cents)

    def __pow__(self, exp, mod=None):
        return ('pow', self.cents, exp, mod)

    def __rpow__(self, base):
        return ('rpow', base, self.cents)


print(divmod(Money(1007), 4), divmod(10, Money(3)), divmod(7.5, 2), divmod(-7, 2))
print(pow(Money(2), 10), pow(Money(2), 10, 7), pow(3, Money(4)), Money(5) ** 2, 2 ** Money(8))
try:
    divmod(Money(1), 'x')
except TypeError as e:
    print('TypeError', e)
for x in [0.5, -2.25, 1e-300, 123456.789, 2.0 ** 70, -0.0]:
    print(x, hash(x) == hash(Fraction(x)), hash(x))
print(hash(0.1), hash(-1.0), hash(1.5), hash(float('inf')), {0.5: 'a', Fraction(1, 2): 'b'})
for a, b in [(1, 'x'), (2.5, None), ('s', 3)]:
    try:
        divmod(a, b)
    except TypeError as e:
        print('TypeError', e)
