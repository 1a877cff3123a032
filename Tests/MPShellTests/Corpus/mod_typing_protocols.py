# typing: Protocol classes used as annotations, Literal/Final/Union names, overload-free get_type_hints-free use
from typing import Protocol, Literal, Final, Union, Sequence, Mapping, Iterable, Callable

class Greeter(Protocol):
    def greet(self, name: str) -> str: ...

class English:
    def greet(self, name: str) -> str:
        return 'Hello, ' + name

def welcome(g: Greeter, names: Iterable[str]) -> list:
    return [g.greet(n) for n in names]

MODE: Final = 'fast'
def pick(mode: Literal['fast', 'slow']) -> Union[int, str]:
    return 1 if mode == MODE else 'slow'
def apply(f: Callable[..., int], xs: Sequence[int]) -> Mapping[int, int]:
    return {x: f(x) for x in xs}
print(welcome(English(), ['ann', 'bob']), pick('fast'), pick('slow'), apply(abs, [-1, 2]))
