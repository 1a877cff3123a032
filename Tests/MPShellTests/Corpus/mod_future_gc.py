# __future__ and gc: feature imports are accepted (annotations stay unevaluated names), gc's switches
from __future__ import annotations, division, print_function
import __future__
import gc

def f(x: UndefinedName) -> AlsoUndefined:
    return x * 2
print(f(21))
print(__future__.annotations.mandatory if hasattr(__future__.annotations, 'mandatory') else None,
      sorted(n for n in __future__.all_feature_names)[:3])
print(gc.isenabled(), isinstance(gc.collect(), int), gc.get_threshold()[0] > 0)
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled(), isinstance(gc.get_count(), tuple))
