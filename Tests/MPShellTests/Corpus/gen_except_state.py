# the exception being handled is the generator's own across a yield
import sys
def handler():
    try:
        raise ValueError("inside")
    except ValueError:
        yield 1
        print("generator still handling:", repr(sys.exc_info()[1]))
        yield 2

g = handler()
print(next(g))
print("consumer handling:", sys.exc_info()[1])
try:
    raise TypeError("outer")
except TypeError:
    print(next(g))
    print("consumer handling:", repr(sys.exc_info()[1]))

def reraiser():
    try:
        raise IndexError("first")
    except IndexError:
        yield "suspended in except"
        raise
r = reraiser()
print(next(r))
try:
    next(r)
except IndexError as e:
    print("re-raised", e)
