# dataclasses: order=True orders by the compared fields, compare=False is left out of == and <, frozen=True
# refuses assignment and hashes, unsafe_hash, field options, and CPython's errors
from dataclasses import dataclass, field, FrozenInstanceError, fields, asdict, astuple, replace, is_dataclass

@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    note: str = field(default='', compare=False)

vs = [Version(1, 2, 'b'), Version(1, 0), Version(0, 9, 'old'), Version(1, 2, 'a')]
print(sorted(vs))
print(Version(1, 2, 'x') == Version(1, 2, 'y'), Version(1, 2) < Version(1, 3), Version(2) >= Version(1, 9), max(vs))
try:
    Version(1) < (1, 0)
except TypeError as e:
    print('TypeError:', e)

@dataclass(frozen=True)
class Point:
    x: float
    y: float = 0.0

p = Point(1.5)
print(p, hash(p) == hash((1.5, 0.0)), {p: 'here'}[Point(1.5, 0.0)], p == Point(1.5))
for attempt in [lambda: setattr(p, 'x', 2), lambda: setattr(p, 'z', 1)]:
    try:
        attempt()
    except FrozenInstanceError as e:
        print(type(e).__name__, e, isinstance(e, AttributeError))
print(replace(p, y=3.0), p)

@dataclass(unsafe_hash=True)
class Tag:
    name: str
    weight: int = field(default=1, hash=False)

print(hash(Tag('a', 5)) == hash(('a',)), Tag('a') == Tag('a', 1), len({Tag('a'), Tag('a')}))

@dataclass
class Mutable:
    items: list = field(default_factory=list)
    secret: str = field(default='hidden', repr=False)
    count: int = field(default=0, init=False)

a, b = Mutable(), Mutable()
a.items.append(1)
print(a, b, a.count, a.secret, a.__eq__(b), Mutable.__hash__ is None)
print([f.name for f in fields(Mutable)], asdict(a), astuple(Version(1, 2, 'n')), is_dataclass(a), is_dataclass(Mutable), is_dataclass(1))
errors = []
try:
    @dataclass
    class Bad:
        xs: list = []
except ValueError as e:
    print('ValueError:', e)
try:
    @dataclass
    class Bad2:
        a: int = 1
        b: int
except TypeError as e:
    print('TypeError:', e)
try:
    @dataclass(order=True, eq=False)
    class Bad3:
        a: int
except ValueError as e:
    print('ValueError:', e)
for call in [lambda: Point(), lambda: Point(1, 2, 3), lambda: Point(1, x=2), lambda: Point(1, z=2), lambda: Version()]:
    try:
        call()
    except TypeError as e:
        print('TypeError:', e)
try:
    p.x = 10
except FrozenInstanceError as e:
    print('assignment refused:', e, p.x)
