# globals() and vars() list a module's names in the order they were bound (a deleted and re-bound name moves to
# the end), as a module's __dict__ does; dir() sorts.
import math
zeta = 1
alpha = 2
def mid():
    return later
later = 3
del zeta
zeta = 4
print([k for k in globals() if not k.startswith("__")])
print([k for k in vars() if not k.startswith("__")])
print([k for k in dir() if not k.startswith("__")])
