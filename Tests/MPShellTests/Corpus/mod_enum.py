# enum: Enum, IntEnum, Flag, IntFlag, StrEnum, auto, unique, the functional API, member values as tuples
from enum import Enum, IntEnum, Flag, IntFlag, StrEnum, auto, unique
class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1
    def describe(self):
        return self.name.lower()
print(Color.RED, repr(Color.RED), Color.RED.name, Color.RED.value, Color(2), Color['BLUE'], Color.CRIMSON is Color.RED)
print(list(Color), len(Color), Color, repr(Color), Color.RED in Color, Color.GREEN.describe(), type(Color.RED).__name__)
print(Color.RED == Color.RED, Color.RED == 1, Color.RED != Color.GREEN, {Color.RED: 'r'}[Color.CRIMSON], list(Color.__members__))
print(isinstance(Color.RED, Color), isinstance(Color.RED, Enum), f'{Color.RED}', '%s' % Color.BLUE, [c.value for c in Color.__reversed__()])
try: Color(7)
except ValueError as e: print('ValueError:', e)
try: Color['PINK']
except KeyError as e: print('KeyError:', e)
class Shape(IntEnum):
    CIRCLE = auto()
    SQUARE = auto()
print(Shape.CIRCLE, repr(Shape.SQUARE), Shape.SQUARE == 2, Shape.CIRCLE < Shape.SQUARE, int(Shape.SQUARE) + 1, sorted([Shape.SQUARE, Shape.CIRCLE]), [10, 20, 30][Shape.SQUARE])
class Perm(Flag):
    R = auto()
    W = auto()
    X = auto()
rw = Perm.R | Perm.W
print(repr(rw), rw, Perm.R in rw, Perm.X in rw, bool(Perm.R & Perm.W), list(rw), repr(~Perm.R), Perm(7), Perm.R.value, Perm.X.value)
class P2(IntFlag):
    A = 1
    B = 2
print(P2.A | P2.B, repr(P2.A | P2.B), P2.A | 2 == 3)
class S(StrEnum):
    ONE = auto()
    TWO = 'two'
print(S.ONE, repr(S.ONE), S.ONE == 'one', S.TWO.upper())
Animal = Enum('Animal', 'ANT BEE CAT')
print(list(Animal), Animal.BEE.value, repr(Animal))
try:
    @unique
    class Mistake(Enum):
        ONE = 1
        UNO = 1
except ValueError as e:
    print('ValueError:', e)
class Planet(Enum):
    MERCURY = (3.303e+23, 2.4397e6)
    EARTH = (5.976e+24, 6.37814e6)
    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius
print(Planet.EARTH.mass, Planet.EARTH.value, Planet((3.303e+23, 2.4397e6)))
