# time's conversions at the edges of time_t and of a C int: CPython's ValueError / OverflowError / OSError /
# TypeError, never a signal (issue 20). gmtime is UTC whatever the zone; mktime inverts localtime.
import time
cases = [
    "time.gmtime(10**30)", "time.gmtime(float('nan'))", "time.gmtime(float('inf'))", "time.gmtime(float('-inf'))",
    "time.gmtime(2**63)", "time.gmtime(-2**63-1)", "time.gmtime(1e308)", "time.gmtime(2**62)", "time.localtime(2**62)",
    "time.ctime(10**18)", "time.ctime(float('nan'))", "time.localtime('a')", "time.gmtime([])",
    "tuple(time.gmtime(-10**12))", "tuple(time.gmtime(10**12))", "tuple(time.gmtime(0))", "tuple(time.gmtime(-1))",
    "tuple(time.gmtime(1.5))", "tuple(time.gmtime(-1.5))", "tuple(time.gmtime(951782400))", "tuple(time.gmtime(True))",
    "time.mktime(10**12)", "time.mktime((10**12, 1, 1, 0, 0, 0, 0, 0, 0))", "time.mktime((2**63, 1, 1, 0, 0, 0, 0, 0, 0))",
    "time.mktime((2026, 1, 1, 0, 0, 0))", "time.mktime((2026, 1, 1, 0, 0, 0, 0, 1, 'x'))",
    "time.mktime(time.localtime(1767225600)) == 1767225600.0", "time.mktime(time.localtime(86400 * 365)) == 86400 * 365",
    "time.asctime((2026, 1, 2, 3, 4, 5, 4, 2, 0))", "time.asctime(5)", "time.asctime((1, 2))",
    "time.strftime('%Y-%m-%d %H:%M:%S', (1999, 12, 31, 23, 59, 58, 4, 365, 0))",
    "time.strftime('%Y', (1999, 12, 31))", "time.gmtime(None)[0] >= 2024", "type(time.mktime(time.localtime()))",
]
for c in cases:
    try:
        print(c, '->', repr(eval(c)))
    except (ValueError, OverflowError, OSError, TypeError) as e:
        print(c, '->', type(e).__name__, e)
