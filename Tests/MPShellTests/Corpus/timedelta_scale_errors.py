# timedelta times or divided by a float or int: rounding half to even, and CPython's errors for a NaN or infinite
# factor, a zero divisor and a result out of range (these stopped mpsh with a Swift fatal error; the runtime
# fuzzer found it).
from datetime import timedelta as T
t = T(seconds=5)
for f in [lambda: t*float("inf"), lambda: t*float("nan"), lambda: t/0.0, lambda: t/0, lambda: t*1e300, lambda: t/1e-300, lambda: t/float("inf"), lambda: float("inf")*t, lambda: t/T(0), lambda: t*1e10, lambda: t*1e14, lambda: -t*1e14, lambda: t*0.5, lambda: t/3, lambda: t/T(seconds=2), lambda: T(microseconds=3)*0.5, lambda: T(microseconds=5)/2]:
    try: print(repr(f()))
    except Exception as e: print(type(e).__name__, e)
