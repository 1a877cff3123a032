# operator: the function forms of the operators, itemgetter/attrgetter/methodcaller and their reprs
import operator as op
from functools import reduce

print(op.add(2, 3), op.sub(2, 3), op.mul('ab', 2), op.truediv(7, 2), op.floordiv(7, 2), op.mod(7, 3), op.pow(2, 10))
print(op.neg(5), op.pos(-5), op.abs(-3), op.invert(5), op.lshift(1, 4), op.rshift(16, 2), op.and_(6, 3), op.or_(6, 3), op.xor(6, 3))
print(op.eq(1, 1.0), op.ne(1, 2), op.lt(1, 2), op.le(2, 2), op.gt(1, 2), op.ge(3, 2), op.not_(0), op.truth([]), op.is_(None, None), op.is_not(1, None))
print(op.contains([1, 2], 2), op.countOf([1, 2, 1], 1), op.indexOf('abc', 'c'), op.concat([1], [2]), op.getitem('xyz', 1))
d = {'a': 1}; op.setitem(d, 'b', 2); op.delitem(d, 'a'); print(d)
rows = [('b', 2, 'x'), ('a', 3, 'y'), ('c', 1, 'z')]
print(sorted(rows, key=op.itemgetter(1)), sorted(rows, key=op.itemgetter(0, 2)), op.itemgetter(slice(1, None))('hello'))
class P:
    def __init__(self, name, inner=None):
        self.name = name; self.inner = inner
    def greet(self, punct='!'):
        return 'hi ' + self.name + punct
ps = [P('bo', P('x')), P('al', P('y'))]
print([p.name for p in sorted(ps, key=op.attrgetter('name'))], op.attrgetter('inner.name')(ps[0]), op.attrgetter('name', 'inner.name')(ps[1]))
print(op.methodcaller('greet')(ps[0]), op.methodcaller('greet', punct='?')(ps[1]), list(map(op.methodcaller('upper'), ['a', 'b'])))
print(reduce(op.mul, range(1, 6)), op.index(7), op.length_hint([1, 2, 3]))
x = [1]; x = op.iadd(x, [2]); print(x, op.imul(3, 4))
print(repr(op.itemgetter(1)), repr(op.attrgetter('a.b')), repr(op.methodcaller('f', 1, k=2)))
