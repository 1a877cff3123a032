# Issue 20, PENDING (not in the corpus run: time.sleep is in Modules.swift, given to the modules engineer).
# mpsh dies by SIGILL on each of these (an unchecked Int(Double) on the seconds); CPython raises.
import time
for arg in [float("inf"), float("nan"), 10**30, -1]:
    try:
        time.sleep(arg)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)
