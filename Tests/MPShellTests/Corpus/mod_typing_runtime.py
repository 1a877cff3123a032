# typing at run time: annotated functions run normally; NamedTuple, TypedDict as dict, Generic classes, cast
from typing import NamedTuple, TypedDict, Generic, TypeVar, List, Optional, cast, Iterator, Dict

class Employee(NamedTuple):
    name: str
    id: int = 3
class Movie(TypedDict):
    title: str
    year: int
T = TypeVar('T')
class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: List[T] = []
    def push(self, item: T) -> None:
        self.items.append(item)
    def pop(self) -> Optional[T]:
        return self.items.pop() if self.items else None
def count_up(n: int) -> Iterator[int]:
    yield from range(n)
e = Employee('guido')
m: Movie = {'title': 'Blade Runner', 'year': 1982}
s: Stack[int] = Stack()
s.push(1); s.push(2)
print(e, e._fields, m, type(m).__name__, s.pop(), s.pop(), s.pop(), list(count_up(3)), cast(int, '3'))
def lookup(d: Dict[str, int], k: str) -> int:
    return d.get(k, -1)
print(lookup({'a': 1}, 'a'), lookup({}, 'z'))
