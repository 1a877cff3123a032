# dataclasses: inheritance of fields, nested asdict/astuple, __post_init__, kw_only, match_args
from dataclasses import dataclass, field, asdict, astuple, fields

@dataclass
class Base:
    id: int
    tags: list = field(default_factory=list)

@dataclass
class Item(Base):
    name: str = 'item'
    price: float = 0.0

    def __post_init__(self):
        self.total = self.price * 2

@dataclass
class Order:
    items: list
    meta: dict
    owner: tuple = ('nobody', 0)

it = Item(1, ['a'], 'pen', 1.25)
print(it, it.total, [f.name for f in fields(Item)])
o = Order([it, Item(2)], {'k': Item(3, name='x')})
print(asdict(o))
print(astuple(o))
d = asdict(it); d['tags'].append('changed'); print(it.tags)

@dataclass(kw_only=True)
class Options:
    verbose: bool = False
    level: int

print(Options(level=3), Item.__match_args__, Options.__match_args__)
try:
    Options(1)
except TypeError as e:
    print('TypeError:', e)
try:
    Options()
except TypeError as e:
    print('TypeError:', e)
