# enum: permission flags combined, tested and listed; IntFlag arithmetic; a Flag's members and aliases
from enum import Flag, IntFlag, auto

class Perm(Flag):
    READ = auto()
    WRITE = auto()
    EXEC = auto()
    ALL = READ | WRITE | EXEC

user = Perm.READ | Perm.WRITE
print(user, repr(user), Perm.WRITE in user, Perm.EXEC in user, bool(user & Perm.EXEC), Perm.ALL)
print([p.name for p in Perm], len(Perm), Perm(3) == user, Perm.ALL.value, user ^ Perm.READ)
class Mode(IntFlag):
    R = 4
    W = 2
    X = 1
m = Mode.R | Mode.X
print(m, repr(m), m == 5, m & 4, int(m), Mode(6), Mode.W in Mode(7))
