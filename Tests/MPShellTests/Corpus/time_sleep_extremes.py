# time.sleep with infinite, NaN, huge and negative seconds raises CPython's errors (never a signal).
import time
for arg in [float("inf"), float("nan"), 10**30, -1]:
    try:
        time.sleep(arg)
    except (OverflowError, ValueError) as e:
        # a float's OverflowError is worded by the CPython patch release (3.11.7: "timestamp out of range for
        # platform time_t", 3.11.2: "timestamp too large to convert to C _PyTime_t"): its first word is compared
        print(type(e).__name__, str(e).split()[0] if isinstance(e, OverflowError) and isinstance(arg, float) else e)
