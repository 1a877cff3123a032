# operator: in-place operator functions on mutable and immutable values, truth helpers, call()
import operator

lst = [1]
same = operator.iadd(lst, [2, 3])
print(lst, same is lst)
tup = (1,)
new = operator.iadd(tup, (2,))
print(tup, new, new is tup)
s = {1, 2}
operator.ior(s, {3}); operator.iand(s, {1, 3}); print(s)
print(operator.isub(10, 3), operator.itruediv(7, 2), operator.ifloordiv(7, 2), operator.imod(7, 2), operator.ipow(2, 5))
print(operator.ilshift(1, 3), operator.irshift(16, 1), operator.ixor(5, 1), operator.iconcat([1], [2]), operator.call(max, 3, 9))
