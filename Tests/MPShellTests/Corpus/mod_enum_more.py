# enum: _missing_, methods and classmethods on enums, members as dict keys and in sets, pickling-free copies
import copy
from enum import Enum, IntEnum, auto

class Status(Enum):
    ACTIVE = 'active'
    INACTIVE = 'inactive'

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for m in cls:
                if m.value == value.lower():
                    return m
        return None

    @classmethod
    def default(cls):
        return cls.ACTIVE

    @property
    def label(self):
        return self.value.title()

print(Status('ACTIVE'), Status.default(), Status.INACTIVE.label, Status('inactive') is Status.INACTIVE)
try:
    Status(3)
except ValueError as e:
    print('ValueError:', e)
counts = {Status.ACTIVE: 0, Status.INACTIVE: 0}
for s in ['active', 'ACTIVE', 'inactive']:
    counts[Status(s)] += 1
print(counts, {Status.ACTIVE, Status.ACTIVE, Status.INACTIVE} == {Status.ACTIVE, Status.INACTIVE})
print(copy.copy(Status.ACTIVE) is Status.ACTIVE, copy.deepcopy([Status.ACTIVE])[0] is Status.ACTIVE)

class Priority(IntEnum):
    LOW = auto()
    MEDIUM = auto()
    HIGH = auto()

tasks = [('write', Priority.LOW), ('test', Priority.HIGH), ('review', Priority.MEDIUM)]
print(sorted(tasks, key=lambda t: t[1]), max(p for _, p in tasks), Priority.HIGH > 2, Priority(2))
print([p.name for p in Priority], Priority['LOW'] + Priority.HIGH, '%d items' % Priority.HIGH, f'{Priority.MEDIUM:>3}')
Weekday = Enum('Weekday', [('MON', 1), ('TUE', 2)])
print(Weekday.TUE, Weekday(1), Weekday.MON.value, len(Weekday), [w.name for w in Weekday])
Big = IntEnum('Big', 'A B C', start=10)
print(list(Big), Big.C == 12)
