# abc and typing: abstract methods refuse instantiation with CPython's message; annotations with typing names
from abc import ABC, abstractmethod
from typing import List, Dict, Optional, Callable, TypeVar, NamedTuple, Any, Union, Tuple

class Shape(ABC):
    @abstractmethod
    def area(self) -> float: ...
    @abstractmethod
    def name(self) -> str: ...
    def describe(self) -> str:
        return '%s with area %.1f' % (self.name(), self.area())

class Square(Shape):
    def __init__(self, side: float) -> None:
        self.side = side
    def area(self) -> float:
        return self.side ** 2
    def name(self) -> str:
        return 'square'

class Half(Shape):
    def area(self):
        return 0

print(Square(3).describe(), isinstance(Square(1), Shape))
for cls in (Shape, Half):
    try:
        cls()
    except TypeError as e:
        print('TypeError:', e)
T = TypeVar('T')
def first(items: List[T], default: Optional[T] = None) -> Optional[T]:
    return items[0] if items else default
Handler = Callable[[int], str]
def apply(h: Handler, x: Union[int, float]) -> str:
    return h(x)
class Point(NamedTuple):
    x: int
    y: int = 0
p = Point(3)
print(first([1, 2]), first([], 'd'), apply(str, 5), p, p.x, p._replace(y=4), p._asdict(), Point._fields)
counts: Dict[str, int] = {'a': 1}
pair: Tuple[int, str] = (1, 'x')
print(counts, pair, Any is not None)
