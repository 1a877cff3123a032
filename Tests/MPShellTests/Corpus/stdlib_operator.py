# operator: the operators as functions, itemgetter/attrgetter/methodcaller with their reprs, in-place forms
import operator
from operator import itemgetter, attrgetter, methodcaller

print(operator.add(2, 3), operator.sub(2, 3), operator.mul("ab", 2), operator.truediv(7, 2), operator.floordiv(7, 2))
print(operator.mod(7, 3), operator.pow(2, 10), operator.neg(5), operator.pos(-5), operator.abs(-3), operator.inv(5))
print(operator.and_(6, 3), operator.or_(6, 3), operator.xor(6, 3), operator.lshift(1, 4), operator.rshift(32, 2))
print(operator.lt(1, 2), operator.le(2, 2), operator.eq(1, 1.0), operator.ne(1, 2), operator.ge(1, 2), operator.gt(3, 2))
print(operator.not_(0), operator.truth([]), operator.is_(None, None), operator.is_not(1, None))
print(operator.contains([1, 2], 2), operator.countOf([1, 2, 1], 1), operator.indexOf("abc", "c"))
print(operator.getitem({"a": 1}, "a"), operator.concat([1], [2]), operator.index(7), operator.index(True))
d = {}
operator.setitem(d, "k", 5); print(d); operator.delitem(d, "k"); print(d)
l = [1]
r = operator.iadd(l, [2]); print(r is l, l, operator.iadd(1, 2), operator.imul([0], 3), operator.isub(5, 2))
print(operator.ior({1}, {2}), operator.iand(6, 3), operator.ixor(6, 3), operator.ipow(2, 3), operator.itruediv(1, 4))
print(operator.length_hint([1, 2, 3]), operator.length_hint(iter([]), 5) >= 0, operator.call(max, 1, 5))

rows = [("b", 2, 9.5), ("a", 3, 1.5), ("c", 1, 4.0)]
print(sorted(rows, key=itemgetter(1)), sorted(rows, key=itemgetter(2, 0)))
print(itemgetter(1)("abc"), itemgetter(0, 2)("abc"), itemgetter(slice(1, None))([1, 2, 3]))
print(repr(itemgetter(1)), repr(itemgetter("a", "b")))

class Pt:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.inner = self if x == 0 else None
    def dist(self, scale=1):
        return (self.x + self.y) * scale
pts = [Pt(3, 1), Pt(1, 2), Pt(0, 5)]
print([p.x for p in sorted(pts, key=attrgetter("x"))], attrgetter("x", "y")(pts[0]), attrgetter("inner.y")(pts[2]))
print(repr(attrgetter("x")), repr(attrgetter("x", "inner.y")))
print(methodcaller("dist")(pts[0]), methodcaller("dist", scale=10)(pts[1]), methodcaller("upper")("abc"))
print(repr(methodcaller("dist", 2, scale=3)), list(map(methodcaller("strip", "x"), ["xax", "bxx"])))
from functools import reduce
print(reduce(operator.mul, range(1, 6)), reduce(operator.add, ["a", "b", "c"]))
print(operator.__add__(1, 2), operator.__getitem__([5], 0))
for bad in (lambda: operator.index(1.5), lambda: operator.indexOf([1], 2), lambda: attrgetter(1),
            lambda: operator.concat(1, 2), lambda: itemgetter(5)([1])):
    try:
        bad()
    except (TypeError, ValueError, IndexError) as e:
        print(type(e).__name__, e)
attrgetter("z")(pts[0])
