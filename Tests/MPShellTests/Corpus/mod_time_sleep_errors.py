# time.sleep's argument checks: CPython's errors for NaN, infinities, huge and negative lengths
import time

for v in [float('inf'), -float('inf'), float('nan'), 10**30, 10**10, 2**63, 1e300, 1e10, -1, -0.5, 'x', None]:
    try:
        time.sleep(v)
        print('slept', v)
    except (OverflowError, ValueError, TypeError) as e:
        # a float's OverflowError is worded by the CPython patch release (see time_sleep_extremes.py)
        print(repr(v), type(e).__name__, str(e).split()[0] if isinstance(e, OverflowError) and isinstance(v, float) else e)
time.sleep(0)
time.sleep(0.001)
print('done')
