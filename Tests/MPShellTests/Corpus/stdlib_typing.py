# typing: the forms' reprs, Optional/Union flattening, TypeVar, Generic bases, cast, get_origin/get_args,
# NamedTuple (class and functional forms), TypedDict, NewType, overload, TYPE_CHECKING
from typing import (Any, Callable, Dict, Generic, Iterable, Iterator, List, Optional, Set, Tuple, TypeVar, Union,
                    NamedTuple, TypedDict, Sequence, Mapping, Generator, cast, overload, TYPE_CHECKING,
                    get_origin, get_args, NewType, Protocol, ClassVar, Type, FrozenSet)
import typing

print(Any, List, Dict, Optional, Union, Callable)
print(List[int], Dict[str, int], Tuple[int, ...], Set[str], Optional[int], Union[int, str])
print(Union[int, None], Union[int, str, None], Union[int], Union[int, Union[str, float]], Union[int, int, str])
print(Callable[[int, str], bool], Callable[..., int], Iterable[int], Iterator[str], Generator[int, None, None])
print(Sequence[int], Mapping[str, List[int]], Type[int], FrozenSet[int], ClassVar[int])
print(List[int] == List[int], Union[int, str] == Union[str, int], Optional[int] == Union[int, None])
print(get_origin(List[int]), get_args(Dict[str, int]), get_origin(Union[int, str]) is Union, get_args(int), get_origin(int))

T = TypeVar("T")
K = TypeVar("K", covariant=True)
N = TypeVar("N", int, float)
B = TypeVar("B", bound=str)
print(T, K, N, B, T.__name__, N.__constraints__, B.__bound__, List[T], Dict[str, T][int])

class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: List[T] = []
    def push(self, item: T) -> None:
        self.items.append(item)
    def pop(self) -> T:
        return self.items.pop()
s = Stack[int]()
s.push(1); s.push(2)
print(s.pop(), s.items, isinstance(s, Stack))

Vector = List[float]
def scale(k: float, v: Vector) -> Vector:
    return [k * x for x in v]
print(scale(2.0, [1.0, 2.5]))

def first(xs: Sequence[T]) -> Optional[T]:
    return xs[0] if xs else None
print(first([3, 4]), first([]), cast(int, "not checked"), cast("List[int]", 5), TYPE_CHECKING)

class Point(NamedTuple):
    x: int
    y: int = 0
    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)
p = Point(3, -4)
q = Point(1)
print(p, q, p.x, p[1], p.norm1(), tuple(p), len(p), p == (3, -4), p == Point(3, -4), hash(p) == hash((3, -4)))
x, y = p
print(x, y, p._asdict(), p._replace(y=5), Point._make([7, 8]), Point._fields, Point(y=2, x=1))
try:
    p.x = 5
except AttributeError as e:
    print("AttributeError", e)
for bad in (lambda: Point(), lambda: Point(1, 2, 3), lambda: Point(1, z=2)):
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
Pair = NamedTuple("Pair", [("a", int), ("b", str)])
print(Pair(1, "x"), Pair._fields)

class Movie(TypedDict):
    name: str
    year: int
m = Movie(name="Blade Runner", year=1982)
print(m, type(m).__name__)

UserId = NewType("UserId", int)
print(UserId(5), UserId.__name__, UserId.__supertype__)

@overload
def f(x: int) -> int: ...
@overload
def f(x: str) -> str: ...
def f(x):
    return x * 2
print(f(2), f("a"))

class Closer(Protocol):
    def close(self) -> None: ...
class Thing:
    def close(self) -> None:
        print("closed")
def shut(c: Closer) -> None:
    c.close()
shut(Thing())
print(typing.Text, typing.AnyStr, typing.NoReturn)
for bad in (lambda: Optional[int, str], lambda: List[int, str], lambda: Any[int], lambda: TypeVar("X", int)):
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
List()
