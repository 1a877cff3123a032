# time.sleep with infinite, NaN, huge and negative seconds raises CPython's errors (never a signal).
import time
for arg in [float("inf"), float("nan"), 10**30, -1]:
    try:
        time.sleep(arg)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)
