import math as m, os.path
from math import sqrt, pi as PI
from itertools import *
print(m.floor(2.5), sqrt(9), PI, os.path.join("a", "b"), list(islice(count(), 3)))
import time, random
print(callable(time.sleep), callable(random.random))
