# __future__ feature records and the gc module's interface (mpsh frees by reference counting: collect() finds 0)
from __future__ import annotations, division
import __future__
import gc

for name in __future__.all_feature_names:
    f = getattr(__future__, name)
    print(name, f, f.getOptionalRelease(), f.getMandatoryRelease(), f.compiler_flag)
print(__future__.annotations is annotations, division.compiler_flag == __future__.CO_FUTURE_DIVISION)

def f(x: Undefined) -> AlsoUndefined:
    return x
print(f(3))

print(gc.collect() >= 0, gc.collect(0) >= 0, gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled(), gc.get_threshold(), len(gc.get_count()), gc.garbage)
gc.set_threshold(1000)
print(gc.get_threshold()[0])
print(gc.is_tracked(1), gc.is_tracked([]))
gc.collect(3)
