# time.sleep's argument checks: CPython's errors for NaN, infinities, huge and negative lengths
import time

for v in [float('inf'), -float('inf'), float('nan'), 10**30, 10**10, 2**63, 1e300, 1e10, -1, -0.5, 'x', None]:
    try:
        time.sleep(v)
        print('slept', v)
    except (OverflowError, ValueError, TypeError) as e:
        print(repr(v), type(e).__name__, e)
time.sleep(0)
time.sleep(0.001)
print('done')
