import math
math.nonexistent
