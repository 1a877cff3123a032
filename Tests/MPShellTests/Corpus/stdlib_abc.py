# abc: ABC and abstractmethod (instantiation refused while an abstract method is unimplemented), properties,
# a concrete subclass with arguments, register() as a decorator
from abc import ABC, abstractmethod
import abc

class Shape(ABC):
    @abstractmethod
    def area(self):
        pass

    @abstractmethod
    def perimeter(self):
        """the length around"""

    def describe(self):
        return "%s with area %s" % (type(self).__name__, self.area())

class Square(Shape):
    def __init__(self, side):
        self.side = side
    def area(self):
        return self.side ** 2
    def perimeter(self):
        return 4 * self.side

class HalfDone(Shape):
    def area(self):
        return 0

for cls in (Shape, HalfDone):
    try:
        cls()
    except TypeError as e:
        print(e)
s = Square(3)
print(s.area(), s.perimeter(), s.describe(), isinstance(s, Shape), isinstance(s, ABC))

class Plain(ABC):
    def hello(self):
        return "hello"
print(Plain().hello())

@Shape.register
class Circle:
    pass
print(Circle.__name__, abc.get_cache_token() >= 0)
print(getattr(Shape.area, "__isabstractmethod__", False), getattr(Square.area, "__isabstractmethod__", False))
HalfDone()
