# Set inclusion (<=, >=) between sets and frozensets, subclasses and mixed element types, in one pass over
# the smaller set; a set against a list is CPython's TypeError.
a, b, c = {1, 2}, {1, 2, 3}, frozenset([1, 2])
print(a <= b, b <= a, a <= a, a <= c, c <= a, a >= b, b >= a, c >= a, a < b, a < c, b > a, set() <= a, a <= set(), set() >= set())
print({"x"} <= {"x", "y"}, {(1, 2)} <= {(1, 2)}, {1.0} <= {1}, {True} <= {1})
try: print({1} <= [1])
except TypeError as e: print(e)
class S(set): pass
print(S([1]) <= {1, 2}, {1} <= S([1]), S([1, 3]) >= S([3]))
